// The plain pages in real Chromium against a real server and Redis: a resident on a phone chats with a
// counsellor bot and leaves with the quick exit (nothing left behind: no keys in Redis, no cookie or
// storage, no request to another origin); a counsellor signs in to the console and chats with a resident bot.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResidentBot } from '../sim/bots.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import { scanKeys, type TestCluster } from '../support/cluster.ts';
import {
  answerTriage,
  connectCounsellor,
  DESKTOP,
  EXIT_URL,
  joinLine,
  recordForeignRequests,
  sendMessage,
  signInToConsole,
  startResidentServer,
  stopAll,
  waitForOnShift,
} from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let browser: Browser;

beforeAll(async () => {
  cluster = await startResidentServer();
  browser = await launchBrowser();
}, 120_000);
afterAll(() => stopAll({ browser, cluster }));

describe('resident page', () => {
  it('chats end to end with a verified counsellor, then quick exit wipes everything and leaves no trace', async () => {
    const counsellor = await connectCounsellor(cluster, { username: 'elena', association: 'telefono-donna' });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const foreign = recordForeignRequests(page, new URL(cluster.urls[0]!).origin);
    await page.route('https://it.wikipedia.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Milano</title>neutral' }),
    );
    try {
      await page.goto(cluster.urls[0]!);
      const startUrl = page.url();
      expect(await page.title()).toBe('Informazioni');
      await expect.poll(() => page.getByTestId('quick-exit').isVisible()).toBe(true);
      await answerTriage(page);
      await joinLine(page);

      const cPeer = await counsellor.claim();
      await expect.poll(() => page.getByTestId('verified').textContent(), { timeout: 10_000 }).toContain('Telefono Donna');
      const canary = `BROWSER-CANARY-${Date.now()}`;
      await sendMessage(page, `ciao ${canary}`);
      await waitFor(() => cPeer.received.length === 1, 10_000, 'counsellor got the message');
      expect(cPeer.received[0]!.text).toBe(`ciao ${canary}`);
      await cPeer.send('Buongiorno, sono qui.');
      await expect.poll(() => page.getByTestId('message').filter({ hasText: 'Buongiorno' }).count(), { timeout: 10_000 }).toBe(1);
      await expect
        .poll(() => page.getByTestId('message').filter({ hasText: canary }).getAttribute('data-state'), { timeout: 10_000 })
        .toBe('delivered');

      // Nothing on the device, and the URL never changed.
      expect(page.url()).toBe(startUrl);
      const storage = await page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        idb: (await indexedDB.databases()).length,
        sw: (await navigator.serviceWorker?.getRegistrations())?.length ?? 0,
        cookie: document.cookie,
        history: history.length,
      }));
      expect(storage).toMatchObject({ local: 0, session: 0, idb: 0, sw: 0, cookie: '' });

      await page.getByTestId('quick-exit').click();
      await page.waitForURL(EXIT_URL, { timeout: 10_000 });
      await waitFor(() => counsellor.ended.get(cPeer.chatId) === 'resident-exit', 10_000, 'counsellor told of the quick exit');
      const left = (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)).filter(
        (k) => k.key.includes(cPeer.chatId) || k.value.includes(cPeer.chatId),
      );
      expect(left).toEqual([]);
      // location.replace: going back does not return to a live chat.
      await page.goBack().catch(() => null);
      expect(page.url()).not.toBe(startUrl);
      expect(await context.cookies()).toEqual([]);
      expect(foreign.filter((url) => url !== EXIT_URL)).toEqual([]);
      expect(cluster.logs.text()).not.toContain(canary);
    } finally {
      counsellor.close();
      await context.close();
    }
  });
});

describe('counsellor console', () => {
  it('signs in, sees the line, takes a resident and chats', async () => {
    const c = await cluster.addCounsellor({ username: 'fatima', association: 'ebano' });
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'yes',
      canWrite: 'briefly',
      topics: ['physical'],
      language: 'it',
      association: 'ebano',
    });
    try {
      await signInToConsole(page, cluster.urls[0]!, c.username, 'wrong password here');
      await expect.poll(() => page.getByTestId('login-error').isVisible(), { timeout: 15_000 }).toBe(true);
      await page.getByTestId('password').fill(c.password);
      await page.getByTestId('login').click();
      // She is on shift once her console shows the line; only then can a resident be admitted.
      await expect.poll(() => page.getByTestId('take-next').isVisible(), { timeout: 15_000 }).toBe(true);
      await waitForOnShift(cluster);
      const ticket = await resident.join();
      const entry = page.locator(`[data-testid="queue-entry"][data-ticket-id="${ticket.ticketId}"]`);
      await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
      expect(await entry.getAttribute('data-urgency')).toBe('1');
      await entry.getByTestId('take').click();
      const rPeer = await resident.waitForChat();
      await sendMessage(page, 'Sei al sicuro adesso?');
      await waitFor(() => rPeer.received.length === 1, 10_000, 'resident got the message');
      expect(rPeer.received[0]!.text).toBe('Sei al sicuro adesso?');
      await rPeer.send('Sì, per ora.');
      await expect.poll(() => page.getByTestId('message').filter({ hasText: 'per ora' }).count(), { timeout: 10_000 }).toBe(1);
      await resident.leave('exit');
      await expect.poll(() => page.getByTestId('chat-banner').textContent(), { timeout: 10_000 }).toMatch(/quick exit/i);
      const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
      expect(storage).toEqual({ local: 0, session: 0, cookie: '' });
    } finally {
      resident.close();
      await context.close();
    }
  });
});
