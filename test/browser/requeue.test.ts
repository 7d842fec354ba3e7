// Going back to the line, in real Chromium against a real server: a resident whose counsellor stays silent is
// told calmly that someone else is coming, rekeys and reaches a second counsellor; a console counsellor who is
// away is not counted, and when her association assigns automatically she gets the chat, answers the
// handshake and sees why it was taken back when she does not reply in time.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Triage } from '../../protocol/index.ts';
import { ResidentBot } from '../sim/bots.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import type { TestCluster } from '../support/cluster.ts';
import { lineOf, refusal } from '../support/queue-helpers.ts';
import {
  answerTriage,
  connectCounsellor,
  DESKTOP,
  expectFirstInLine,
  joinLineAtFront,
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
  // A counsellor who has not written within a second loses the chat. Ebano assigns automatically; Telefono
  // Donna (the resident test) stays manual, so its bots choose when to claim.
  cluster = await startResidentServer({ NO_REPLY_SECONDS: '1', ASSIGNMENT_EBANO: 'auto' });
  browser = await launchBrowser();
}, 120_000);
afterAll(() => stopAll({ browser, cluster }));

describe('resident page after a requeue', () => {
  it('tells her someone else is coming, sends fresh keys and chats with the next counsellor', async () => {
    const silent = await connectCounsellor(cluster, { username: 'silvia', association: 'telefono-donna' });
    const next = await connectCounsellor(cluster, { username: 'bianca', association: 'telefono-donna' });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(cluster.urls[0]!);
      await answerTriage(page);
      await joinLineAtFront(page);
      const [waiting] = await lineOf(silent);
      expect(waiting).toBeDefined();
      const ticketId = waiting!.ticketId;

      // The first counsellor takes her and answers the handshake, then never writes.
      const first = await silent.claim(ticketId);
      await expect
        .poll(() => page.getByTestId('requeued').textContent(), { timeout: 10_000 })
        .toBe("Ti stiamo mettendo in contatto con un'altra operatrice…");
      await waitFor(() => silent.ended.get(first.chatId) === 'reassigned', 10_000, 'first counsellor told the chat was reassigned');

      // Back in the line once her page has sent fresh keys, at the front.
      await waitFor(async () => (await lineOf(next)).some((e) => e.ticketId === ticketId), 10_000, 'resident back in the line');
      await expectFirstInLine(page);
      const second = await next.claim(ticketId);
      expect(second.chatId).not.toBe(first.chatId);
      await second.send('Ciao, sono Bianca. Ci sono io adesso.');
      await expect.poll(() => page.getByTestId('message').filter({ hasText: 'Ci sono io adesso' }).count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getByTestId('verified').textContent()).toContain('Bianca');
      await expect.poll(() => page.getByTestId('requeued').count()).toBe(0);

      // The new chat works both ways, with keys the first counsellor never saw.
      await sendMessage(page, 'Grazie');
      await waitFor(() => second.received.some((r) => r.text === 'Grazie'), 10_000, 'second counsellor got her message');
      expect(first.received).toEqual([]);
      expect(await page.getByTestId('message').count()).toBe(2);
    } finally {
      silent.close();
      next.close();
      await context.close();
    }
  });
});

describe('resident page after a requeue she missed', () => {
  it('offers fresh keys when she comes back online and is waiting without a place', async () => {
    const silent = await connectCounsellor(cluster, { username: 'sara', association: 'telefono-donna' });
    const next = await connectCounsellor(cluster, { username: 'beatrice', association: 'telefono-donna' });
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(cluster.urls[0]!);
      await answerTriage(page);
      await joinLineAtFront(page);
      const [waiting] = await lineOf(silent);
      const ticketId = waiting!.ticketId;

      // Offline while she is taken and given back: she sees neither chat:assigned nor chat:requeued.
      await context.setOffline(true);
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('reconnecting');
      const first = await silent.claim(ticketId);
      await waitFor(() => silent.ended.get(first.chatId) === 'reassigned', 10_000, 'first counsellor told the chat was reassigned');
      await context.setOffline(false);

      // Her resume answers "waiting, no place": the page sends fresh keys and she is back in the line.
      await waitFor(async () => (await lineOf(next)).some((e) => e.ticketId === ticketId), 20_000, 'resident back in the line');
      const second = await next.claim(ticketId);
      await second.send('Eccomi, sono Beatrice.');
      await expect.poll(() => page.getByTestId('message').filter({ hasText: 'Beatrice' }).count(), { timeout: 10_000 }).toBe(1);
      expect(await page.getByTestId('verified').textContent()).toContain('Beatrice');
    } finally {
      silent.close();
      next.close();
      await context.close();
    }
  });
});

describe('console availability and automatic assignment', () => {
  it('is not counted while away, opens an assigned chat and answers it, and explains a reassignment', async () => {
    const c = await cluster.addCounsellor({ username: 'amina', association: 'ebano' });
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    const triage: Triage = { danger: 'unsure', canWrite: 'yes', topics: [], language: 'it', association: 'ebano' };
    const turnedAway = new ResidentBot(cluster.urls[0]!, cluster.pins, triage);
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, triage);
    try {
      await signInToConsole(page, cluster.urls[0]!, c.username, c.password);
      await expect.poll(() => page.getByTestId('availability').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.getByTestId('sound').isChecked()).toBe(false);
      await waitForOnShift(cluster);

      // Away: the only Ebano counsellor does not count, so a resident is told nobody is on shift.
      await page.getByTestId('availability').selectOption('away');
      await expect.poll(() => page.getByTestId('availability').getAttribute('data-pending')).toBe('false');
      expect((await refusal(turnedAway.join())).code).toBe('NOBODY_ON_SHIFT');

      // Available again: the next resident is assigned to her without a click, and the console answers.
      await page.getByTestId('availability').selectOption('available');
      await expect.poll(() => page.getByTestId('availability').getAttribute('data-pending')).toBe('false');
      await resident.join({ waitForPosition: false });
      await expect.poll(() => page.getByTestId('assigned-alert').isVisible(), { timeout: 15_000 }).toBe(true);
      const chatId = await page.getByTestId('assigned-alert').getAttribute('data-chat-id');
      expect(await page.locator(`[data-testid="chat-tab"][data-chat-id="${chatId}"]`).count()).toBe(1);
      const rPeer = await resident.waitForChat();
      expect(rPeer.chatId).toBe(chatId);

      // She does not write within NO_REPLY_SECONDS: the chat goes back to the line, and she is told why.
      await page.getByTestId('open-assigned').click();
      const banner = page.locator(`.chat-panel[data-chat-id="${chatId}"] [data-testid="chat-banner"]`);
      await expect.poll(() => banner.getAttribute('data-reason'), { timeout: 10_000 }).toBe('reassigned');
      expect(await banner.textContent()).toBe(
        'The chat went back to the line (no reply in time, or you were disconnected); the resident is being connected to someone else',
      );
      expect(resident.requeues.map((r) => r.chatId)).toContain(chatId);
    } finally {
      await resident.leave('abandon').catch(() => undefined);
      turnedAway.close();
      resident.close();
      await context.close();
    }
  });
});
