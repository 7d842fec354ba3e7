// The resident's phone page on a poor connection and with respect to other origins, in real Chromium against a
// real server and Redis: a network cut in the middle of a chat loses and duplicates nothing on either side, and
// during a whole visit (start, triage, line, chat, end) every request stays on the app's own origin.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncResult } from '../../protocol/index.ts';
import type { CounsellorBot } from '../sim/bots.ts';
import { call, type ChatPeer } from '../sim/chat-peer.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import type { TestCluster } from '../support/cluster.ts';
import { Cast } from '../support/queue-helpers.ts';
import {
  answerTriage,
  endChat,
  joinLine,
  newEntryInLine,
  sendMessage,
  startResidentServer,
  stopAll,
  takeIntoChat,
  ticketsInLine,
} from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let browser: Browser;
let cast: Cast;
let counsellor: CounsellorBot;
let origin: string;

beforeAll(async () => {
  cluster = await startResidentServer();
  origin = new URL(cluster.urls[0]!).origin;
  browser = await launchBrowser();
  cast = new Cast(cluster);
  counsellor = await cast.counsellor({ association: 'telefono-donna', capacity: 5 });
}, 120_000);
afterAll(() => stopAll({ cast, browser, cluster }));

/** Triage, the line, and the counsellor takes her: returns the counsellor's side of the chat. */
async function startChat(page: Page): Promise<ChatPeer> {
  const before = await ticketsInLine(counsellor);
  await answerTriage(page, { danger: 'unsure', canWrite: 'briefly', association: 'telefono-donna', topics: ['psychological'] });
  await joinLine(page);
  const entry = await newEntryInLine(counsellor, before);
  return takeIntoChat(page, counsellor, entry.ticketId);
}

async function bubbles(page: Page, from: 'me' | 'them'): Promise<{ text: string; state: string }[]> {
  return page
    .locator(`[data-testid="message"][data-from="${from}"]`)
    .evaluateAll((els) =>
      els.map((e) => ({ text: e.querySelector('.chat-text')?.textContent ?? '', state: e.getAttribute('data-state') ?? '' })),
    );
}

describe('resident page on a poor connection', () => {
  it('a network cut in the middle of a chat: visible, then every message exactly once, in order, delivered', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(origin);
      const peer = await startChat(page);
      await peer.send('Ciao, sono qui. Scrivi quando puoi.');
      await expect.poll(async () => (await bubbles(page, 'them')).length, { timeout: 10_000 }).toBe(1);
      await sendMessage(page, 'Ok, un attimo.');
      await waitFor(() => peer.received.length === 1, 10_000, 'counsellor got her first message');
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state')).toBe('online');

      // The cut comes right after she taps Send: that message may or may not have reached the server.
      await sendMessage(page, 'Aspetta…');
      await context.setOffline(true);
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('reconnecting');
      expect(await page.getByTestId('connection-state').isVisible()).toBe(true);
      expect(await page.getByTestId('connection-state').textContent()).not.toBe('');

      // While she is offline the counsellor writes three times (the server keeps them) and she writes twice.
      const fromCounsellor = ['Sei ancora lì?', 'Se non puoi rispondere va bene.', 'Ti aspetto.'];
      for (const text of fromCounsellor) await peer.send(text);
      const fromHer = ['Scusa, la connessione è pessima.', 'Sono ancora qui.'];
      for (const text of fromHer) await sendMessage(page, text);
      const offline = await bubbles(page, 'me');
      expect(offline.map((b) => b.text)).toEqual(['Ok, un attimo.', 'Aspetta…', ...fromHer]);
      for (const b of offline.slice(2)) expect(['sending', 'failed']).toContain(b.state);
      expect((await bubbles(page, 'them')).length).toBe(1);
      expect(peer.received.length).toBeLessThanOrEqual(2);

      await context.setOffline(false);
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('online');

      // Her page: every message of the counsellor once, in order; hers once, in order, all delivered.
      await expect
        .poll(async () => (await bubbles(page, 'them')).map((b) => b.text), { timeout: 15_000 })
        .toEqual(['Ciao, sono qui. Scrivi quando puoi.', ...fromCounsellor]);
      await expect
        .poll(async () => await bubbles(page, 'me'), { timeout: 15_000 })
        .toEqual(['Ok, un attimo.', 'Aspetta…', ...fromHer].map((text) => ({ text, state: 'delivered' })));
      expect(await page.getByTestId('message').count()).toBe(1 + fromCounsellor.length + 2 + fromHer.length);

      // The counsellor: each of hers once and in order, and the server holds each of them once.
      await waitFor(() => peer.received.length >= 4, 10_000, 'counsellor got the messages written offline');
      expect(peer.received.map((r) => r.text)).toEqual(['Ok, un attimo.', 'Aspetta…', ...fromHer]);
      expect(peer.received.map((r) => r.seq)).toEqual([0, 1, 2, 3]);
      expect(peer.decryptFailures).toBe(0);
      const stored = await call<SyncResult>(counsellor.socket, 'chat:sync', { chatId: peer.chatId, from: 0 });
      expect(stored.messages.map((m) => m.seq)).toEqual([0, 1, 2, 3]);

      // Still the same, working chat.
      await peer.send('Bene, ti leggo di nuovo.');
      await expect.poll(async () => (await bubbles(page, 'them')).length, { timeout: 10_000 }).toBe(5);
      expect(counsellor.ended.has(peer.chatId)).toBe(false);

      await endChat(page, counsellor, peer);
    } finally {
      await context.close();
    }
  });
});

describe('resident page and other origins', () => {
  it('every request of a whole visit (start, triage, line, chat, end) goes to the same origin', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    const requests: string[] = [];
    const sockets: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('websocket', (ws) => sockets.push(ws.url()));
    // Anything for another origin is recorded above and then stopped here, so nothing leaves the machine.
    await context.route(
      (url) => url.origin !== origin,
      (route) => route.abort(),
    );
    try {
      await page.goto(origin);
      await expect.poll(() => page.getByTestId('join').isEnabled(), { timeout: 15_000 }).toBe(true);
      await page.getByTestId('danger-yes').check();
      await expect.poll(() => page.getByTestId('emergency-numbers').first().isVisible()).toBe(true);
      const peer = await startChat(page);
      await peer.send('Ciao, sono Elena.');
      await expect.poll(async () => (await bubbles(page, 'them')).length, { timeout: 10_000 }).toBe(1);
      await sendMessage(page, 'Ciao.');
      await expect.poll(async () => (await bubbles(page, 'me')).map((b) => b.state), { timeout: 10_000 }).toEqual(['delivered']);
      await endChat(page, counsellor, peer);
      await expect.poll(() => page.getByTestId('danger-no').isVisible(), { timeout: 10_000 }).toBe(true);

      // The visit really used the network: the page, its scripts and the socket.
      expect(requests).toContain(`${origin}/`);
      expect(requests.some((u) => u.endsWith('.js'))).toBe(true);
      expect(sockets.length).toBeGreaterThan(0);
      // data: URLs never leave the page, so they are not requests to anyone.
      const elsewhere = [...requests, ...sockets]
        .filter((u) => !u.startsWith('data:'))
        .filter((u) => new URL(u.replace(/^ws/, 'http')).origin !== origin);
      expect(elsewhere).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
