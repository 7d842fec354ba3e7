// Quick exit (S4) and the back-forward cache (S5) on the resident's phone page, in real Chromium against a real
// server and Redis: a tap, Escape twice and Shift three times each replace the page with the neutral site, end
// the visit on the server (keys purged, counsellor told), leave nothing on the device and nothing to go back
// to; the same keys typed into the message field do nothing; a page restored by Back shows an empty start.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounsellorBot } from '../sim/bots.ts';
import type { ChatPeer } from '../sim/chat-peer.ts';
import { CHROMIUM_PATH, PHONE } from '../support/browser.ts';
import { scanKeys, type TestCluster } from '../support/cluster.ts';
import { Cast, lineOf } from '../support/queue-helpers.ts';
import {
  answerTriage,
  EXIT_URL,
  joinLine,
  newEntryInLine,
  recordForeignRequests,
  sendMessage,
  startResidentServer,
  stopAll,
  takeIntoChat,
  ticketsInLine,
} from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

/** Where she goes by an ordinary navigation (a link, the address bar) before coming Back. */
const AWAY_URL = 'https://www.example.org/';
const NEUTRAL_PAGE = '<!doctype html><title>Milano</title><p>neutral</p>';

let cluster: TestCluster;
let browser: Browser;
let cast: Cast;
let counsellor: CounsellorBot;
let origin: string;

beforeAll(async () => {
  cluster = await startResidentServer();
  origin = new URL(cluster.urls[0]!).origin;
  // Playwright switches the back-forward cache off by default; it is switched back on here so that the
  // restore path (pageshow with persisted) is exercised for real where Chromium decides to use the cache.
  // The flags are those of launchBrowser() in test/support/browser.ts.
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  cast = new Cast(cluster);
  counsellor = await cast.counsellor({ association: 'telefono-donna', capacity: 10 });
}, 120_000);
afterAll(() => stopAll({ cast, browser, cluster }));

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Requests to any origin but the app's, other than the neutral pages the test itself expects. */
  foreign: string[];
  ticketId: string;
  peer: ChatPeer | null;
}

interface Tab {
  context: BrowserContext;
  page: Page;
  foreign: string[];
  /** The page she was on before opening the app (the entry Back should lead to after an exit). */
  previous: string;
}

/** Records every pageshow of every document, so the back-forward cache tests know which path Chromium took. */
function recordPageshows(): void {
  const w = window as unknown as { __pageshows?: boolean[] };
  w.__pageshows = [];
  window.addEventListener('pageshow', (e) => w.__pageshows!.push(e.persisted));
}

/** A fresh phone context in which only the app's origin is reachable; the neutral sites are answered locally. */
async function phone(): Promise<Tab> {
  const context = await browser.newContext(PHONE);
  const foreign: string[] = [];
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (new URL(url).origin === origin) return route.continue();
    if (url === EXIT_URL || url === AWAY_URL) return route.fulfill({ status: 200, contentType: 'text/html', body: NEUTRAL_PAGE });
    foreign.push(url);
    return route.abort();
  });
  await context.addInitScript(recordPageshows);
  return { context, page: await context.newPage(), foreign, previous: AWAY_URL };
}

/**
 * A phone whose browser keeps the page in the back-forward cache despite `Cache-Control: no-store` (as some
 * mobile browsers do): the header is taken off the real response of the page itself, nothing else changes.
 * Returns the reasons Chromium gives when it still does not keep the page.
 */
async function cachingPhone(): Promise<Tab & { notCached: string[] }> {
  const context = await browser.newContext(PHONE);
  await context.addInitScript(recordPageshows);
  const page = await context.newPage();
  const foreign = recordForeignRequests(page, origin);
  const cdp = await context.newCDPSession(page);
  const notCached: string[] = [];
  cdp.on('Page.backForwardCacheNotUsed', (e) => notCached.push(...e.notRestoredExplanations.map((x) => x.reason)));
  cdp.on('Fetch.requestPaused', (e) => {
    const responseHeaders = (e.responseHeaders ?? []).filter((h) => !['cache-control', 'pragma'].includes(h.name.toLowerCase()));
    void cdp
      .send('Fetch.continueResponse', { requestId: e.requestId, responseCode: e.responseStatusCode ?? 200, responseHeaders })
      .catch(() => undefined);
  });
  await cdp.send('Page.enable');
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: `${origin}/`, resourceType: 'Document', requestStage: 'Response' }] });
  return { context, page, foreign, notCached, previous: `${origin}/healthz` };
}

/** She answers the triage and waits in the line; optionally the counsellor takes her and they exchange a message. */
async function visit(where: 'line' | 'chat', tab?: Tab): Promise<Visit> {
  const { context, page, foreign, previous } = tab ?? (await phone());
  const before = await ticketsInLine(counsellor);
  await page.goto(previous);
  await page.goto(origin);
  await answerTriage(page);
  await joinLine(page);
  const { ticketId } = await newEntryInLine(counsellor, before);
  if (where === 'line') return { context, page, foreign, ticketId, peer: null };
  const peer = await takeIntoChat(page, counsellor, ticketId);
  await peer.send('Ciao, sono Elena. Come stai?');
  await expect.poll(() => page.getByTestId('message').filter({ hasText: 'Come stai' }).count(), { timeout: 10_000 }).toBe(1);
  await sendMessage(page, 'Non bene, ho paura.');
  await waitFor(() => peer.received.some((r) => r.text === 'Non bene, ho paura.'), 10_000, 'counsellor got her message');
  return { context, page, foreign, ticketId, peer };
}

/** Back after an ordinary navigation away; resolves how the page came back (restored or loaded afresh). */
async function comeBack(page: Page): Promise<{ restored: boolean; navigation: string | null }> {
  // A page restored from the cache fires no load event: wait for the commit, then for its pageshow.
  await page.goBack({ waitUntil: 'commit', timeout: 10_000 });
  await expect.poll(() => new URL(page.url()).origin).toBe(origin);
  await page.waitForFunction(
    () => document.readyState === 'complete' && ((window as unknown as { __pageshows?: boolean[] }).__pageshows?.length ?? 0) > 0,
    null,
    {
      timeout: 10_000,
    },
  );
  const how = await page.evaluate(() => ({
    pageshows: (window as unknown as { __pageshows?: boolean[] }).__pageshows ?? [],
    navigation: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.type ?? null,
  }));
  return { restored: how.pageshows.includes(true), navigation: how.navigation };
}

/** The empty start screen: no answer kept, no message, no chat, page visible. */
async function assertEmptyStart(page: Page, chatText: string): Promise<void> {
  await expect.poll(() => page.getByTestId('danger-no').isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await page.getByTestId('danger-no').isChecked()).toBe(false);
  expect(await page.getByTestId('message').count()).toBe(0);
  expect(await page.getByTestId('verified').count()).toBe(0);
  expect(await page.getByTestId('message-input').count()).toBe(0);
  expect(await page.getByTestId('position').count()).toBe(0);
  expect(await page.content()).not.toContain(chatText);
  expect(
    await page.evaluate(() => ({ hidden: document.body.hidden, exiting: document.documentElement.classList.contains('exiting') })),
  ).toEqual({
    hidden: false,
    exiting: false,
  });
}

/** Keys in the ephemeral Redis that still name her ticket or her chat. */
async function keysAbout(ids: string[]): Promise<string[]> {
  const all = await scanKeys(cluster.redis, cluster.config.KEY_PREFIX);
  return all.filter((k) => ids.some((id) => k.key.includes(id) || k.value.includes(id))).map((k) => k.key);
}

/** Everything S4 and S2 promise once she has used the exit, whatever way she used it. */
async function assertExited(v: Visit): Promise<void> {
  const { context, page, foreign, ticketId, peer } = v;
  // The neutral site replaced the app.
  await page.waitForURL(EXIT_URL, { timeout: 5_000 });
  expect(await page.title()).toBe('Milano');

  // The server ended the visit and purged everything about it within 2 s.
  const ids = peer ? [ticketId, peer.chatId] : [ticketId];
  if (peer) await waitFor(() => counsellor.ended.get(peer.chatId) === 'resident-exit', 2_000, 'counsellor told of the quick exit');
  let left: string[] = [];
  await waitFor(
    async () => {
      left = await keysAbout(ids);
      return left.length === 0;
    },
    2_000,
    'her keys purged',
  ).catch(() => undefined);
  expect(left, 'keys still naming her ticket or chat 2 s after the exit').toEqual([]);
  expect((await lineOf(counsellor)).map((e) => e.ticketId)).not.toContain(ticketId);

  // location.replace: the app's history entry is gone, so Back leads to the page she was on before it.
  // (That page may come back from the back-forward cache, which fires no load event: wait for the commit.)
  await page.goBack({ waitUntil: 'commit', timeout: 10_000 });
  await expect.poll(() => page.url(), { message: 'Back after the exit' }).toBe(AWAY_URL);
  expect(await page.getByTestId('message').count()).toBe(0);

  // Nothing on the device for the origin: no cookie, no web storage, no database, no service worker.
  expect(await context.cookies()).toEqual([]);
  const fresh = await context.newPage();
  await fresh.goto(origin);
  const stored = await fresh.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).map((d) => d.name),
    sw: (await navigator.serviceWorker.getRegistrations()).length,
    cookie: document.cookie,
  }));
  expect(stored).toEqual({ local: 0, session: 0, idb: [], sw: 0, cookie: '' });
  expect(await context.cookies()).toEqual([]);
  await fresh.close();

  expect(foreign, 'requests to other origins').toEqual([]);
}

const EXITS = {
  tap: (page: Page) => page.getByTestId('quick-exit').tap(),
  'Escape twice': async (page: Page) => {
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
  },
  'Shift three times': async (page: Page) => {
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
    await page.keyboard.press('Shift');
  },
} as const;

describe('quick exit', () => {
  for (const [how, exit] of Object.entries(EXITS)) {
    for (const where of ['line', 'chat'] as const) {
      it(`by ${how} in the ${where}: neutral page, nothing to go back to, visit purged, nothing stored`, async () => {
        const v = await visit(where);
        try {
          await exit(v.page);
          await assertExited(v);
        } finally {
          await v.context.close();
        }
      });
    }
  }

  it('by Escape twice on the start screen, with a triage answer focused', async () => {
    // A radio button is not a text field: the shortcut must work on every screen, not only after joining.
    const { context, page, foreign } = await phone();
    try {
      await page.goto(origin);
      await page.getByTestId('danger-no').check();
      await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('danger-no');
      await EXITS['Escape twice'](page);
      await page.waitForURL(EXIT_URL, { timeout: 5_000 });
      expect(foreign).toEqual([]);
    } finally {
      await context.close();
    }
  });

  for (const how of ['Escape twice', 'Shift three times'] as const) {
    it(`not by ${how} while she types in the message field`, async () => {
      const v = await visit('chat');
      const { page, context, peer } = v;
      try {
        const input = page.getByTestId('message-input');
        await input.click();
        await input.pressSequentially('Aspetta, ');
        await EXITS[how](page);
        await input.pressSequentially('sono ancora qui');
        // A round trip after the keys: had they fired the exit, the page would be gone before this could pass.
        await page.getByTestId('send').click();
        await waitFor(
          () => peer!.received.some((r) => r.text === 'Aspetta, sono ancora qui'),
          10_000,
          'counsellor got the message typed around the keys',
        );
        await peer!.send('Ti leggo.');
        await expect.poll(() => page.getByTestId('message').filter({ hasText: 'Ti leggo.' }).count(), { timeout: 10_000 }).toBe(1);
        expect(new URL(page.url()).origin).toBe(origin);
        expect(
          await page.evaluate(() => ({ hidden: document.body.hidden, exiting: document.documentElement.classList.contains('exiting') })),
        ).toEqual({
          hidden: false,
          exiting: false,
        });
        expect(counsellor.ended.has(peer!.chatId)).toBe(false);
        expect(await keysAbout([peer!.chatId])).not.toEqual([]);
        expect(v.foreign).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});

describe('back-forward cache', () => {
  it('as served (no-store): Back after navigating away normally shows an empty start screen', async () => {
    const v = await visit('chat');
    try {
      await v.page.goto(AWAY_URL);
      expect(await v.page.title()).toBe('Milano');
      const how = await comeBack(v.page);
      // Headless Chromium does not keep a no-store page with a WebSocket; either path must end on the start.
      expect(how.restored || how.navigation === 'back_forward', JSON.stringify(how)).toBe(true);
      await assertEmptyStart(v.page, 'Come stai');
      expect(v.foreign).toEqual([]);
    } finally {
      await v.context.close();
    }
  });

  it('restored from the cache (pageshow persisted): empty start screen, and the visit is ended on the server', async () => {
    const tab = await cachingPhone();
    const v = await visit('chat', tab);
    try {
      // An ordinary navigation to another page of the same site (nothing leaves the machine).
      await v.page.goto(`${origin}/healthz`);
      const how = await comeBack(v.page);
      expect(how.restored, `the page was not restored from the back-forward cache: ${tab.notCached.join(', ')}`).toBe(true);
      await assertEmptyStart(v.page, 'Come stai');
      // The restored page wiped her keys and ended the visit like a quick exit; nothing about it remains.
      await waitFor(() => counsellor.ended.get(v.peer!.chatId) === 'resident-exit', 5_000, 'counsellor told the restored page left');
      let left: string[] = [];
      await waitFor(
        async () => {
          left = await keysAbout([v.ticketId, v.peer!.chatId]);
          return left.length === 0;
        },
        2_000,
        'keys purged after the restore',
      ).catch(() => undefined);
      expect(left).toEqual([]);
      // The restored start screen is a working page: she can start again.
      await answerTriage(v.page);
      await joinLine(v.page);
      await v.page.getByTestId('leave-line').click();
      expect(v.foreign).toEqual([]);
    } finally {
      await v.context.close();
    }
  });
});
