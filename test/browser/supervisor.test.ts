// The supervisor's page in real Chromium against a real server and Redis: only a supervisor account gets in;
// the live board follows the line within 2 s and matches a scripted load (counsellors busy, away and available,
// residents waiting by urgency and language), with the alert raised over the thresholds; she invites, stores the
// association key from the operator's file, certifies and revokes a counsellor (signed in her browser), sees
// the server refuse an invalid policy, exports CSV and finds her actions in the audit log; nothing is stored in
// the browser. With SCREENSHOTS=1 it also writes docs/screens/supervisor-*.png.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language, Triage } from '../../protocol/index.ts';
import { aggregateHashKey } from '../../store/aggregates.ts';
import { authenticatorFor } from '../sim/authenticator.ts';
import { CounsellorBot, login, type ResidentBot } from '../sim/bots.ts';
import { call } from '../sim/chat-peer.ts';
import { launchBrowser } from '../support/browser.ts';
import type { TestCluster, TestCounsellor } from '../support/cluster.ts';
import { Cast } from '../support/queue-helpers.ts';
import { DESKTOP, startResidentServer, stopAll } from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

const SCREENSHOTS = process.env.SCREENSHOTS === '1';
const SCREENS = resolve(import.meta.dirname, '../../docs/screens');
/** A wall screen's size for the board; the other views at a laptop's. */
const WALL = { viewport: { width: 1600, height: 900 } };

let cluster: TestCluster;
let browser: Browser;
let cast: Cast;
let supervisor: TestCounsellor;
let context: BrowserContext;
let page: Page;

async function shoot(name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({
    path: join(SCREENS, `supervisor-${name}.png`),
    animations: 'disabled',
    caret: 'hide',
    fullPage: name !== 'board',
  });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.2 A/AA violations by axe-core, reported softly so one run shows every view. Evaluated over CDP, so the page's CSP stays on. */
async function checkA11y(view: string): Promise<void> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run(ctx: Document, opts: unknown): Promise<{ violations: { id: string; help: string; nodes: { target: unknown[] }[] }[] }> };
    };
    const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
  });
  expect.soft(violations, `supervisor ${view}: axe violations`).toEqual([]);
}

async function signIn(p: Page, username: string, password: string): Promise<void> {
  await p.goto(`${cluster.urls[0]!}/supervisor`);
  await p.getByTestId('username').fill(username);
  await p.getByTestId('password').fill(password);
  await p.getByTestId('totp').fill(authenticatorFor(username)?.next() ?? '000000');
  await p.getByTestId('login').click();
}

/** Counsellors with real-looking names (so the board reads like a shift), connected and on shift. */
const named: CounsellorBot[] = [];
async function namedCounsellor(username: string, capacity: number, languages: Language[]): Promise<CounsellorBot> {
  const c = await cluster.addCounsellor({ username, association: 'telefono-donna', capacity, languages });
  const bot = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
  named.push(bot);
  await waitFor(() => cast.onShift(bot.id), 5_000, `${username} on shift`);
  return bot;
}

/**
 * Screenshots only: two weeks of plausible hourly counts and six hours of level samples for Telefono Donna, so
 * the charts in docs/ show a shape (a live test run has a few minutes of history). Written where the roll-up
 * and the level sampler write; deterministic.
 */
async function seedHistoryForScreens(): Promise<void> {
  const HOUR = 3_600_000;
  const now = Date.now();
  let seed = 7;
  const rand = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const thisHour = Math.floor(now / HOUR) * HOUR;
  const m = cluster.store.multi();
  for (let h = 1; h <= 14 * 24; h++) {
    const hour = thisHour - h * HOUR;
    const local = (new Date(hour).getUTCHours() + 1) % 24;
    const day = new Date(hour).getUTCDay();
    const base = local >= 9 && local <= 21 ? 4 + 3 * Math.sin(((local - 9) / 12) * Math.PI) : local >= 22 || local <= 1 ? 2 : 0.6;
    const joined = Math.round(base * (day === 0 || day === 6 ? 0.7 : 1) * (0.6 + rand() * 0.8));
    if (joined === 0) continue;
    const abandoned = rand() < 0.25 ? 1 : 0;
    const answered = Math.max(0, joined - abandoned);
    const key = aggregateHashKey(cluster.config.STORE_PREFIX, 'telefono-donna', hour);
    const add = (field: string, n: number) => n > 0 && m.hIncrBy(key, field, n);
    const urgent = Math.min(joined, Math.round(rand() * 1.4));
    add('joined:u1', urgent);
    add('joined:u3', joined - urgent);
    add('answered:u3', answered);
    add('abandoned:u3', abandoned);
    add('ended:u3', answered);
    for (let i = 0; i < answered; i++) {
      const r = rand();
      add(`wait:u3:${r < 0.35 ? '<1m' : r < 0.7 ? '1-3m' : r < 0.85 ? '3-5m' : r < 0.95 ? '5-10m' : r < 0.99 ? '10-20m' : '40m+'}`, 1);
      const o = rand();
      add(`outcome:${o < 0.45 ? 'information' : o < 0.75 ? 'referred' : o < 0.8 ? 'emergency' : o < 0.9 ? 'resident-left' : 'other'}`, 1);
    }
    if (local >= 19 && rand() < 0.3) add('refused:full', 1);
    if (local < 8 && rand() < 0.2) add('refused:nobody', 1);
  }
  await m.exec();
  const levels = `${cluster.config.KEY_PREFIX}levels:telefono-donna`;
  await cluster.redis.del(levels);
  const minute = 60_000;
  const start = Math.floor(now / minute) * minute - 6 * 60 * minute;
  for (let i = 0; i < 6 * 60; i++) {
    // A calm afternoon, then the evening rush.
    const waiting = Math.max(0, Math.round(2 + 2 * Math.sin(i / 45) + (rand() < 0.1 ? 1 : 0) + (i > 300 ? (i - 300) / 8 : 0)));
    const active = Math.max(0, Math.round(3.5 + 1.5 * Math.sin(i / 60 + 1)));
    await cluster.redis.lPush(levels, `${start + i * minute}:${waiting}:${active}`);
  }
}

const figure = (id: string) => page.getByTestId(`${id}-value`).textContent();
const member = (username: string) => page.locator(`[data-testid="member"][data-username="${username}"]`);

beforeAll(async () => {
  // Low thresholds, so the scripted load turns the board red.
  cluster = await startResidentServer({ BOARD_AMBER_WAITING: '3', BOARD_RED_WAITING: '5' });
  cast = new Cast(cluster);
  browser = await launchBrowser();
  supervisor = await cluster.addCounsellor({ username: 'sofia', association: 'telefono-donna', role: 'supervisor' });
  context = await browser.newContext({ ...DESKTOP, acceptDownloads: true });
  page = await context.newPage();
  // Anything the page's CSP blocks (an inline script or style, a request elsewhere) is recorded here.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`),
    );
  });
}, 180_000);

afterAll(async () => {
  for (const bot of named) bot.close();
  await context?.close();
  await stopAll({ cast, browser, cluster });
});

describe('supervisor page', () => {
  it('refuses a counsellor account with a clear message', async () => {
    const c = await cluster.addCounsellor({ username: 'nadia', association: 'telefono-donna' });
    const other = await browser.newContext(DESKTOP);
    const p = await other.newPage();
    try {
      await signIn(p, c.username, c.password);
      await expect.poll(() => p.getByTestId('login-error').textContent(), { timeout: 20_000 }).toMatch(/not a supervisor account/i);
      expect(await p.getByTestId('board').count()).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('signs in and the board follows the line within 2 s', async () => {
    const counsellor = await namedCounsellor('rosa', 3, ['it', 'ar']);
    await signIn(page, supervisor.username, supervisor.password);
    await expect.poll(() => figure('fig-waiting'), { timeout: 20_000 }).toBe('0');
    expect(await page.getByTestId('counsellor-row').filter({ hasText: 'Available' }).count()).toBeGreaterThanOrEqual(1);

    const { bot } = await cast.waiting({ association: 'telefono-donna', danger: 'yes', language: 'ar' });
    const placedAt = Date.now();
    await expect.poll(() => figure('fig-waiting'), { timeout: 2_000, interval: 50 }).toBe('1');
    const delay = Date.now() - placedAt;
    expect(delay).toBeLessThanOrEqual(2_000);
    expect(await page.getByTestId('fig-urgency-1').textContent()).toContain('1');
    expect(await page.getByTestId('waiting-languages').textContent()).toContain('العربية');

    // Taken into a chat: no longer waiting, one active chat.
    await counsellor.claim(bot.ticket!.ticketId);
    await expect.poll(() => figure('fig-waiting'), { timeout: 2_000, interval: 50 }).toBe('0');
    await expect.poll(() => figure('fig-active'), { timeout: 2_000, interval: 50 }).toBe('1');
    await cast.dismiss();
    await expect.poll(() => figure('fig-active'), { timeout: 5_000 }).toBe('0');
  });

  it('shows a scripted load as it is: counsellors by state with load, residents by urgency and language, the alert over the thresholds', async () => {
    await page.setViewportSize(WALL.viewport);
    const elena = await namedCounsellor('elena', 2, ['it', 'ar']);
    const marta = await namedCounsellor('marta', 3, ['it', 'es']);
    const giulia = await namedCounsellor('giulia', 2, ['it', 'en']);
    await namedCounsellor('chiara', 3, ['it', 'en', 'fr']);
    await call(giulia.socket, 'counsellor:status', { availability: 'away' });

    const join = (t: Partial<Triage>) => cast.waiting({ association: 'telefono-donna', ...t });
    // Three chats: Elena at her capacity (busy), Marta with one of three.
    const taken: ResidentBot[] = [];
    for (const [who, t] of [
      [elena, { danger: 'no', language: 'it' }],
      [elena, { danger: 'unsure', language: 'ar' }],
      [marta, { danger: 'no', language: 'es' }],
    ] as const) {
      const { bot, ticketId } = await join(t);
      await who.claim(ticketId);
      taken.push(bot);
    }
    // Six waiting: urgency 1 x2, 2 x1, 3 x3 (by the triage answers), in four languages.
    for (const t of [
      { danger: 'yes', language: 'it' },
      { danger: 'yes', language: 'ar' },
      { danger: 'unsure', language: 'es' },
      { danger: 'no', language: 'it' },
      { danger: 'no', language: 'en' },
      { danger: 'no', language: 'ar' },
    ] as const) {
      await join(t);
    }

    await expect.poll(() => figure('fig-waiting'), { timeout: 3_000, interval: 50 }).toBe('6');
    await expect.poll(() => figure('fig-active'), { timeout: 3_000, interval: 50 }).toBe('3');
    expect(await page.getByTestId('fig-waiting').getAttribute('data-level')).toBe('red');
    await expect.poll(() => page.getByRole('alert').filter({ hasText: 'Alert' }).count()).toBe(1);
    expect(await page.getByTestId('board-alert').textContent()).toContain('6 waiting');
    const urgency = await Promise.all(
      ['1', '2', '3'].map((u) => page.getByTestId(`fig-urgency-${u}`).locator('.figure-value').textContent()),
    );
    expect(urgency.map(Number).reduce((a, b) => a + b, 0)).toBe(6);
    expect(Number(urgency[0])).toBeGreaterThanOrEqual(2);
    const rowOf = (alias: string) => page.getByTestId('counsellor-row').filter({ hasText: alias });
    await expect.poll(() => rowOf('Giulia').getAttribute('data-state'), { timeout: 3_000, interval: 50 }).toBe('away');
    expect(await rowOf('Elena').getAttribute('data-state')).toBe('busy');
    expect(await rowOf('Elena').textContent()).toContain('2/2');
    expect(await rowOf('Marta').getAttribute('data-state')).toBe('available');
    expect(await rowOf(marta.session.counsellor.alias).textContent()).toContain('1/3');
    expect(await page.getByTestId('state-busy').textContent()).toContain('1');
    await shoot('board');
    await checkA11y('board');
    await cast.dismiss();
    for (const bot of named.splice(0)) bot.close();
    await page.setViewportSize(DESKTOP.viewport);
    await expect.poll(() => figure('fig-waiting'), { timeout: 5_000 }).toBe('0');
  });

  it('invites a counsellor and shows the enrolment link once', async () => {
    await page.getByTestId('view-team').click();
    await page.getByTestId('invite-username').fill('lucia');
    await page.getByTestId('invite-alias').fill('Lucia');
    await page.getByTestId('invite-capacity').fill('2');
    await page.getByTestId('invite-lang-es').check();
    await page.getByTestId('invite-submit').click();
    await expect.poll(() => page.getByTestId('invite-link').inputValue(), { timeout: 10_000 }).toMatch(/^http.*#/);
    await expect.poll(() => member('lucia').count(), { timeout: 10_000 }).toBe(0); // not an account until she enrols
    await page.getByTestId('invite-done').click();
    expect(await page.getByTestId('invite-link').count()).toBe(0);
  });

  it('stores the association key from the operator file, certifies a pending counsellor and revokes her', async () => {
    const paola = await cluster.addCounsellor({ username: 'paola', association: 'telefono-donna', certify: false });
    const keyFile = join(cluster.dir, 'operator-handed.key');
    writeFileSync(keyFile, JSON.stringify(cluster.keys['telefono-donna']));
    await page.getByTestId('view-board').click();
    await page.getByTestId('view-team').click();
    await expect.poll(() => member('paola').getAttribute('data-certificate'), { timeout: 10_000 }).toBe('pending');
    expect(await member('paola').getByTestId('certify').isDisabled()).toBe(true);

    // The other association's file is refused before anything is sent.
    const wrongFile = join(cluster.dir, 'other.key');
    writeFileSync(wrongFile, JSON.stringify(cluster.keys.ebano));
    await page.getByTestId('key-file').setInputFiles(wrongFile);
    await page.getByTestId('key-password').fill(supervisor.password);
    await page.getByTestId('store-key').click();
    await expect.poll(() => page.getByTestId('key-error').textContent(), { timeout: 20_000 }).toMatch(/another association/);

    await page.getByTestId('key-file').setInputFiles(keyFile);
    await page.getByTestId('key-password').fill(supervisor.password);
    await page.getByTestId('store-key').click();
    await expect.poll(() => page.getByTestId('signing-key').getAttribute('data-status'), { timeout: 20_000 }).toBe('unlocked');

    // Locked again, her password unlocks the stored copy (the file is not needed any more).
    await page.getByTestId('lock-key').click();
    await page.getByTestId('key-password').fill('not her password at all');
    await page.getByTestId('unlock-key').click();
    await expect.poll(() => page.getByTestId('key-error').textContent(), { timeout: 20_000 }).toMatch(/Wrong password/);
    await page.getByTestId('key-password').fill(supervisor.password);
    await page.getByTestId('unlock-key').click();
    await expect.poll(() => page.getByTestId('signing-key').getAttribute('data-status'), { timeout: 20_000 }).toBe('unlocked');

    await member('paola').getByTestId('certify').click();
    await expect.poll(() => member('paola').getAttribute('data-certificate'), { timeout: 10_000 }).toBe('ok');
    const signedIn = await login(cluster.urls[0]!, paola.username, paola.password);
    expect(signedIn.login.certificate).not.toBeNull();
    const bot = await CounsellorBot.connect(cluster.urls[0]!, paola.username, paola.password);
    bot.close();
    await shoot('team');
    await checkA11y('team');

    await member('paola').getByTestId('revoke').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => member('paola').getAttribute('data-certificate'), { timeout: 10_000 }).toBe('revoked');
  });

  it('resets a second factor and shows the new secret, its QR code and recovery codes once', async () => {
    await member('paola').getByTestId('reset-2fa').click();
    await page.getByTestId('confirm-action').click();
    await expect.poll(() => page.getByTestId('totp-qr').count(), { timeout: 10_000 }).toBe(1);
    expect((await page.getByTestId('totp-secret').textContent())?.replaceAll(' ', '')).toMatch(/^[A-Z2-7]{16,}$/);
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBeGreaterThan(0);
    await page.getByTestId('second-factor-done').click();
    expect(await page.getByTestId('second-factor').count()).toBe(0);
  });

  it('shows the server refusing an invalid policy, and saves a valid one', async () => {
    await page.getByTestId('view-policy').click();
    const hours = page.getByTestId('policy-openingHours');
    await expect.poll(() => hours.inputValue(), { timeout: 10_000 }).not.toBe('');
    // Out of range: caught here, nothing sent.
    await page.getByTestId('policy-maxLineLength').fill('0');
    expect(await page.getByTestId('policy-save').isDisabled()).toBe(true);
    await page.getByTestId('policy-maxLineLength').fill('40');
    // A syntax only the server knows: its refusal is shown as it says it.
    await hours.fill('mon-fri 25:00-26:00');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-error').textContent(), { timeout: 10_000 }).toMatch(/openingHours/);
    await hours.fill('24/7');
    await page.getByTestId('policy-save').click();
    await expect.poll(() => page.getByTestId('policy-saved').textContent(), { timeout: 10_000 }).toMatch(/Saved/);
    await shoot('policy');
    await checkA11y('policy');
  });

  it('draws the charts and exports the shown rows as CSV', async () => {
    if (SCREENSHOTS) await seedHistoryForScreens();
    await page.getByTestId('view-charts').click();
    await expect.poll(() => page.getByTestId('export-csv').isEnabled(), { timeout: 10_000 }).toBe(true);
    await shoot('charts');
    await checkA11y('charts');
    await page.getByTestId('granularity').selectOption('hour');
    await expect.poll(() => page.getByTestId('export-csv').isEnabled(), { timeout: 10_000 }).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    expect(download.suggestedFilename()).toMatch(/^helpdesk-hour-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^period_start_europe_rome,joined,answered,abandoned,/);
    expect(lines.length - 1).toBe(await page.getByTestId('aggregate-row').count());
  });

  it('lists her actions in the audit log, newest first', async () => {
    await page.getByTestId('view-audit').click();
    await expect.poll(() => page.getByTestId('audit-entry').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const actions = await page.getByTestId('audit-entry').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action') ?? ''));
    for (const expected of [/certif/, /revok/, /second-factor/, /policy-refused/, /policy-changed/, /signing-key/, /invit/]) {
      expect(actions.some((a) => expected.test(a))).toBe(true);
    }
    expect(actions.indexOf('policy-changed')).toBeLessThan(actions.findIndex((a) => /certif/.test(a)));
    await shoot('audit');
    await checkA11y('audit');
  });

  it('keeps nothing in the browser and signs out', async () => {
    const storage = await page.evaluate(async () => ({
      local: localStorage.length,
      session: sessionStorage.length,
      idb: (await indexedDB.databases()).length,
      cookie: document.cookie,
    }));
    expect(storage).toEqual({ local: 0, session: 0, idb: 0, cookie: '' });
    expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
    expect(await context.cookies()).toEqual([]);
    await page.getByTestId('logout').click();
    await expect.poll(() => page.getByTestId('username').isVisible(), { timeout: 5_000 }).toBe(true);
    await waitFor(async () => (await page.getByTestId('board').count()) === 0, 2_000, 'board gone');
  });
});
