// The counsellor's workspace in real Chromium: two counsellors (Anna in the console, Bea a bot), four residents
// of different urgency (the one in immediate danger on the resident's phone page, the others bots). The line
// order, the danger alert (visual, sound path, title, mute), taking a specific resident, capacity and the
// shift settings, canned replies in her language inserted for editing, triage details pinned and never in
// clear on the server, unread counts, the presence banners (quick exit within 2 s), ending with an outcome
// that reaches only the anonymous aggregates, and nothing left in the console's browser storage.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_IN_CANNED_REPLIES } from '../../client/console/canned-replies.ts';
import type { ClaimResult } from '../../protocol/index.ts';
import { type CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { call } from '../sim/chat-peer.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import { scanKeys, type TestCluster } from '../support/cluster.ts';
import {
  answerTriage,
  connectCounsellor,
  DESKTOP,
  EXIT_URL,
  signInToConsole,
  startResidentServer,
  stopAll,
  waitForOnShift,
} from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let browser: Browser;

beforeAll(async () => {
  // Roll the anonymous aggregates up every second, so the outcome can be read back from the durable store.
  cluster = await startResidentServer({ ROLLUP_INTERVAL_SECONDS: '1' });
  browser = await launchBrowser();
}, 120_000);
afterAll(() => stopAll({ browser, cluster }));

const measure = (label: string, ms: number) => process.stdout.write(`[measure] ${label}: ${Math.round(ms)} ms\n`);

/** Records in the page, with the page's clock, when an element matching `selector` first appears. */
async function watchFor(page: Page, name: string, selector: string): Promise<void> {
  await page.evaluate(
    ({ name, selector }) => {
      const w = window as unknown as Record<string, number | undefined>;
      w[name] = undefined;
      const check = () => {
        if (w[name] === undefined && document.querySelector(selector)) w[name] = Date.now();
      };
      new MutationObserver(check).observe(document.documentElement, { subtree: true, childList: true, attributes: true });
      check();
    },
    { name, selector },
  );
}

async function seenAt(page: Page, name: string): Promise<number> {
  const at = await page.waitForFunction((n) => (window as unknown as Record<string, number | undefined>)[n], name, { timeout: 15_000 });
  return (await at.jsonValue()) as number;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 A/AA violations of the whole console, by axe-core (reported softly, so one run shows every screen). */
async function checkA11y(page: Page, screen: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> };
    };
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  expect.soft(violations, `console ${screen}: axe violations`).toEqual([]);
}

const lineOrder = (page: Page) =>
  page.locator('[data-testid="queue-entry"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket-id')));

describe('counsellor workspace', () => {
  it('two counsellors, four residents: order, danger alert, capacity, canned replies, details, banners, outcome, no storage', async () => {
    const anna = await cluster.addCounsellor({ username: 'anna', association: 'telefono-donna', capacity: 2, languages: ['it', 'ar'] });
    // bypassCSP only lets the test inject axe-core; the console's own behaviour does not depend on it.
    const consoleContext = await browser.newContext({ ...DESKTOP, bypassCSP: true });
    const phoneContext = await browser.newContext(PHONE);
    const cPage = await consoleContext.newPage();
    const rPage = await phoneContext.newPage();
    await rPage.route('https://it.wikipedia.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Milano</title>' }),
    );
    const bots: ResidentBot[] = [];
    const bot = (danger: 'yes' | 'no' | 'unsure', canWrite: 'yes' | 'briefly') => {
      const b = new ResidentBot(cluster.urls[0]!, cluster.pins, {
        danger,
        canWrite,
        topics: [],
        language: 'it',
        association: 'telefono-donna',
      });
      bots.push(b);
      return b;
    };
    let bea: CounsellorBot | undefined;
    const canary = `DETAILS-CANARY-${Date.now()}`;
    const sentFrames: string[] = [];
    rPage.on('websocket', (ws) =>
      ws.on('framesent', (f) => sentFrames.push(typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8'))),
    );
    try {
      // ---------- Anna signs in; Bea (a bot) is on shift too ----------
      await signInToConsole(cPage, cluster.urls[0]!, anna.username, anna.password);
      await expect.poll(() => cPage.getByTestId('take-next').isVisible(), { timeout: 20_000 }).toBe(true);
      await waitForOnShift(cluster);
      bea = await connectCounsellor(cluster, { username: 'bea', association: 'telefono-donna', capacity: 3 });
      // Her settings as the server holds them (the cap comes with them).
      await expect.poll(() => cPage.getByTestId('shift-settings').locator('summary').textContent()).toContain('(2)');

      // ---------- three bot residents: class 3 first, then two of class 2 ----------
      const r3 = bot('no', 'yes');
      const t3 = (await r3.join()).ticketId;
      const r2 = bot('unsure', 'yes');
      const t2 = (await r2.join()).ticketId;
      const r4 = bot('no', 'briefly');
      const t4 = (await r4.join()).ticketId;
      await expect.poll(() => lineOrder(cPage), { timeout: 10_000 }).toEqual([t2, t4, t3]);
      expect(await cPage.getByTestId('danger-alert').count()).toBe(0);

      // ---------- the resident in danger joins from her phone: alert, measured from her resident:join ----------
      let joinSentAt = 0;
      rPage.on('websocket', (ws) =>
        ws.on('framesent', (f) => {
          if (!joinSentAt && String(f.payload).includes('"resident:join"')) joinSentAt = Date.now();
        }),
      );
      await watchFor(cPage, '__dangerAt', '[data-testid="danger-alert"]');
      await rPage.goto(cluster.urls[0]!);
      await answerTriage(rPage, { danger: 'yes', canWrite: 'yes', association: 'telefono-donna' });
      await rPage.getByTestId('language-select').selectOption('ar');
      await rPage.getByTestId('triage-details').fill(`Vivo con lui. ${canary}`);
      await rPage.getByTestId('join').click({ timeout: 15_000 });
      const alertAt = await seenAt(cPage, '__dangerAt');
      expect(joinSentAt).toBeGreaterThan(0);
      measure('resident:join → danger alert shown on the console', alertAt - joinSentAt);
      const alert = cPage.getByTestId('danger-alert');
      expect(await alert.getAttribute('role')).toBe('alert');
      const t1 = await cPage.locator('[data-testid="queue-entry"][data-danger="yes"]').getAttribute('data-ticket-id');
      expect(t1).toBeTruthy();
      await expect.poll(() => lineOrder(cPage)).toEqual([t1, t2, t4, t3]);
      // The sound path ran (Web Audio alarm scheduled), and the tab title carries the marker.
      await expect.poll(() => alert.getAttribute('data-played')).toBe('1');
      expect(await cPage.title()).toMatch(/^⚠ DANGER/);
      await checkA11y(cPage, 'line with the danger alert');

      // ---------- mute: a second resident in danger raises the alert again, silently ----------
      await cPage.getByTestId('danger-mute').click();
      expect(await alert.getAttribute('data-muted')).toBe('true');
      expect(await cPage.getByTestId('danger-sound').isChecked()).toBe(false);
      const r5 = bot('yes', 'yes');
      await r5.join();
      await expect.poll(() => alert.textContent()).toContain('2 residents in immediate danger');
      expect(await alert.getAttribute('data-played')).toBe('1');
      await r5.leave('abandon');
      await expect.poll(() => alert.textContent()).toContain('A resident in immediate danger');

      // ---------- taking a specific resident (not the first), then the one in danger from the alert ----------
      await cPage.locator(`[data-testid="queue-entry"][data-ticket-id="${t4}"]`).getByTestId('take').click();
      const p4 = await r4.waitForChat();
      const takenAt = Date.now();
      await cPage.getByTestId('danger-take').click();
      await expect.poll(() => rPage.getByTestId('verified').isVisible(), { timeout: 15_000 }).toBe(true);
      // Her triage details are the chat's first message: pinned above the messages, not a bubble.
      const details = cPage.getByTestId('triage-details');
      await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain(canary);
      measure('take → first message (triage details) readable on the console', Date.now() - takenAt);
      expect(await details.textContent()).toContain('What she wrote before the chat');
      expect(await cPage.getByTestId('message-list').textContent()).not.toContain(canary);
      // Nobody in danger waits any more: the alert and the title marker go.
      await expect.poll(() => alert.count()).toBe(0);
      expect(await cPage.title()).not.toMatch(/DANGER/);

      // ---------- capacity: at 2 of 2 nothing can be taken; raising it (within the cap) frees a slot ----------
      await expect.poll(() => cPage.getByTestId('take-next').isDisabled()).toBe(true);
      expect(await cPage.getByTestId('at-capacity').textContent()).toContain('2 of 2');
      expect(await cPage.getByTestId('busy').textContent()).toContain('2 of 2');
      for (const take of await cPage.getByTestId('take').all()) expect(await take.isDisabled()).toBe(true);
      await cPage.getByTestId('shift-settings').locator('summary').click();
      await cPage.getByTestId('shift-capacity').fill('9');
      await cPage.getByTestId('shift-save').click();
      await expect.poll(() => cPage.getByTestId('shift-settings').getByRole('alert').textContent()).toContain('from 1 to 4');
      await cPage.getByTestId('shift-capacity').fill('3');
      await cPage.getByTestId('shift-save').click();
      await expect.poll(() => cPage.getByTestId('shift-result').textContent()).toContain('Saved');
      await expect.poll(() => cPage.getByTestId('take-next').isDisabled()).toBe(false);
      expect(await cPage.getByTestId('busy').count()).toBe(0);
      await cPage.getByTestId('shift-settings').locator('summary').click();
      // Bea takes the next one: the server's order agrees with the console's (class 2 before class 3).
      const beaClaim = await call<ClaimResult>(bea.socket, 'queue:claim', {});
      expect(beaClaim.entry.ticketId).toBe(t2);
      await bea.answer(beaClaim);
      await expect.poll(() => lineOrder(cPage)).toEqual([t3]);

      // ---------- canned reply in her language (Arabic), inserted for editing, not sent ----------
      const safety = BUILT_IN_CANNED_REPLIES.ar[0]!;
      await cPage.getByTestId('canned-toggle').click();
      expect(await cPage.getByTestId('canned-language').inputValue()).toBe('ar');
      await checkA11y(cPage, 'chat with pinned details and the canned replies open');
      const choice = cPage.getByTestId('canned-reply').filter({ hasText: 'Safety check' });
      expect(await choice.locator('span').getAttribute('dir')).toBe('rtl');
      await choice.click();
      const input = cPage.getByTestId('message-input');
      await expect.poll(() => input.inputValue()).toBe(safety.text);
      expect(await cPage.locator('[data-testid="message"][data-from="me"]').count()).toBe(0);
      await input.press('End');
      await input.pressSequentially(' ok');
      const sendAt = Date.now();
      await cPage.getByTestId('send').click();
      await expect.poll(() => rPage.getByTestId('message').filter({ hasText: safety.text }).count(), { timeout: 10_000 }).toBe(1);
      measure('console send → message readable on the phone', Date.now() - sendAt);

      // ---------- unread count on a tab she is not looking at ----------
      await p4.send('Sono ancora qui');
      const tab4 = cPage.locator(`[data-testid="chat-tab"]`).nth(0);
      await expect.poll(() => tab4.getAttribute('data-unread'), { timeout: 10_000 }).toBe('1');

      // ---------- the resident's connection drops and comes back: two distinct banners ----------
      await cPage.evaluate(() => {
        const w = window as unknown as { __banners: string[] };
        w.__banners = [];
        const tab = document.querySelectorAll('[data-testid="chat-tab"]')[0]!;
        new MutationObserver(() => w.__banners.push(tab.getAttribute('data-banner') ?? '')).observe(tab, {
          attributes: true,
          attributeFilter: ['data-banner'],
        });
      });
      (r4.socket.io.engine as unknown as { close(): void }).close();
      await expect
        .poll(() => cPage.evaluate(() => (window as unknown as { __banners: string[] }).__banners), { timeout: 15_000 })
        .toEqual(expect.arrayContaining(['disconnected', 'reconnected']));
      const banners = await cPage.evaluate(() => (window as unknown as { __banners: string[] }).__banners);
      expect(banners.indexOf('disconnected')).toBeLessThan(banners.lastIndexOf('reconnected'));
      await tab4.click();
      await expect.poll(() => tab4.getAttribute('data-unread')).toBe('0');
      const banner4 = cPage.getByTestId('chat-banner');
      expect(await banner4.getAttribute('data-banner')).toBe('reconnected');
      expect(await banner4.getAttribute('role')).toBe('status');

      // ---------- quick exit on the phone: the console shows it within 2 s ----------
      const tab1 = cPage.locator(`[data-testid="chat-tab"]`).nth(1);
      await tab1.click();
      await watchFor(cPage, '__exitAt', '[data-testid="chat-banner"][data-banner="quick-exit"]');
      const exitPressedAt = Date.now();
      await rPage.getByTestId('quick-exit').click();
      const exitShownAt = await seenAt(cPage, '__exitAt');
      measure('resident presses Exit → quick-exit banner on the console', exitShownAt - exitPressedAt);
      expect(exitShownAt - exitPressedAt).toBeLessThan(2_000);
      const exitBanner = cPage.getByTestId('chat-banner');
      expect(await exitBanner.getAttribute('role')).toBe('alert');
      expect(await exitBanner.textContent()).toMatch(/quick exit/i);
      expect(await tab1.textContent()).toContain('left (quick exit)');
      await rPage.waitForURL(EXIT_URL, { timeout: 10_000 });
      await cPage.getByTestId('close-chat').click();

      // ---------- ending with an outcome: required, and it reaches only the anonymous aggregates ----------
      await cPage.getByTestId('end-chat').click();
      const confirm = cPage.getByTestId('confirm-end');
      expect(await confirm.isDisabled()).toBe(true);
      await cPage.getByTestId('outcome-select').selectOption('referred');
      await confirm.click();
      await waitFor(() => r4.ended === 'counsellor-ended', 10_000, 'resident told the chat ended');
      await expect.poll(() => cPage.getByTestId('chat-tab').count()).toBe(0);
      const aggPrefix = `${cluster.config.STORE_PREFIX}agg:telefono-donna:`;
      let agg: Record<string, string> = {};
      await waitFor(
        async () => {
          agg = {};
          for (const k of await cluster.store.keys(`${aggPrefix}*`)) Object.assign(agg, await cluster.store.hGetAll(k));
          return Number(agg['outcome:referred'] ?? 0) >= 1;
        },
        15_000,
        'outcome rolled up into the aggregates',
      );
      const ids = [t1!, t2, t3, t4, p4.chatId, anna.id];
      const aggText = JSON.stringify(agg) + (await cluster.store.keys(`${aggPrefix}*`)).join(' ');
      for (const id of ids) expect(aggText).not.toContain(id);

      // ---------- the triage details never reached the server in clear ----------
      const everything = [...(await scanKeys(cluster.redis, '')), ...(await scanKeys(cluster.store, ''))]
        .map((k) => k.key + k.value)
        .join('\n');
      expect(everything).not.toContain(canary);
      expect(cluster.logs.text()).not.toContain(canary);
      expect(sentFrames.length).toBeGreaterThan(0);
      expect(sentFrames.join('\n')).not.toContain(canary);

      // ---------- nothing about a resident in the console's browser storage ----------
      const storage = await cPage.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        idb: (await indexedDB.databases()).length,
        cookie: document.cookie,
        caches: typeof caches === 'undefined' ? 0 : (await caches.keys()).length,
        sw: (await navigator.serviceWorker?.getRegistrations())?.length ?? 0,
      }));
      expect(storage).toEqual({ local: 0, session: 0, idb: 0, cookie: '', caches: 0, sw: 0 });
      expect(await consoleContext.cookies()).toEqual([]);
    } finally {
      for (const b of bots) b.close();
      bea?.close();
      await consoleContext.close();
      await phoneContext.close();
    }
  });
});
