// A whole conversation on the resident's phone page in Italian and in Arabic (right to left), in real Chromium
// against a real server and Redis with a counsellor bot: the document's language and direction follow her
// choice, the two sides' bubbles are mirrored, messages arrive both ways and reach "delivered", and switching
// the interface language in the middle of a chat keeps the chat.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounsellorBot } from '../sim/bots.ts';
import type { ChatPeer } from '../sim/chat-peer.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import type { TestCluster } from '../support/cluster.ts';
import { Cast } from '../support/queue-helpers.ts';
import {
  answerTriage,
  endChat as endChatOnPage,
  joinLineAtFront,
  newEntryInLine,
  sendMessage,
  startResidentServer,
  stopAll,
  takeIntoChat,
  ticketsInLine,
} from '../support/resident-page.ts';
import { waitFor } from '../support/wait.ts';

const ARABIC = /[\u0600-\u06FF]/;

let cluster: TestCluster;
let browser: Browser;
let cast: Cast;
let counsellor: CounsellorBot;

beforeAll(async () => {
  cluster = await startResidentServer();
  browser = await launchBrowser();
  cast = new Cast(cluster);
  counsellor = await cast.counsellor({ association: 'telefono-donna', capacity: 5, languages: ['it', 'ar', 'en'] });
}, 120_000);
afterAll(() => stopAll({ cast, browser, cluster }));

async function documentLanguage(page: Page): Promise<{ lang: string; dir: string }> {
  return page.evaluate(() => ({ lang: document.documentElement.lang, dir: document.documentElement.dir }));
}

/** She answers the triage in the current interface language and the counsellor takes her; returns the chat. */
async function startChat(page: Page, expectLanguage: string): Promise<ChatPeer> {
  const before = await ticketsInLine(counsellor);
  await answerTriage(page);
  await joinLineAtFront(page);
  const entry = await newEntryInLine(counsellor, before);
  // The chat language follows the interface language unless she picks another one.
  expect(entry.language).toBe(expectLanguage);
  return takeIntoChat(page, counsellor, entry.ticketId);
}

/** She writes; the counsellor gets exactly that text. */
async function residentSays(page: Page, peer: ChatPeer, text: string): Promise<void> {
  await sendMessage(page, text);
  await waitFor(() => peer.received.some((r) => r.text === text), 10_000, `counsellor got "${text}"`);
}

/** The counsellor writes; her page shows it exactly once. */
async function counsellorSays(page: Page, peer: ChatPeer, text: string): Promise<void> {
  await peer.send(text);
  await expect
    .poll(() => page.locator('[data-testid="message"][data-from="them"]').filter({ hasText: text }).count(), { timeout: 10_000 })
    .toBe(1);
}

/** Her bubbles and the counsellor's, as horizontal centres relative to the message list's centre. */
async function bubbleSides(page: Page): Promise<{ me: number[]; them: number[] }> {
  return page.getByTestId('message-list').evaluate((list) => {
    const box = list.getBoundingClientRect();
    const centre = box.left + box.width / 2;
    const offsets = (from: string) =>
      [...list.querySelectorAll<HTMLElement>(`[data-testid="message"][data-from="${from}"]`)].map((el) => {
        const r = el.getBoundingClientRect();
        return r.left + r.width / 2 - centre;
      });
    return { me: offsets('me'), them: offsets('them') };
  });
}

/** LTR: her bubbles on the right, the counsellor's on the left; RTL: mirrored. */
async function expectLayout(page: Page, dir: 'ltr' | 'rtl'): Promise<void> {
  const sides = await bubbleSides(page);
  expect(sides.me.length).toBeGreaterThan(0);
  expect(sides.them.length).toBeGreaterThan(0);
  const mine = dir === 'ltr' ? (x: number) => x > 0 : (x: number) => x < 0;
  expect(sides.me.every(mine), `${dir}: her bubbles ${JSON.stringify(sides)}`).toBe(true);
  expect(
    sides.them.every((x) => !mine(x) && x !== 0),
    `${dir}: counsellor's bubbles ${JSON.stringify(sides)}`,
  ).toBe(true);
}

async function ownStates(page: Page): Promise<string[]> {
  return page.locator('[data-testid="message"][data-from="me"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-state') ?? ''));
}

async function texts(page: Page): Promise<string[]> {
  return page.locator('[data-testid="message"] .chat-text').allTextContents();
}

/** She ends the chat (with confirmation): the counsellor is told, and her page is an empty start screen. */
async function endChat(page: Page, peer: ChatPeer): Promise<void> {
  await endChatOnPage(page, counsellor, peer);
  await expect.poll(() => page.getByTestId('danger-no').isVisible(), { timeout: 10_000 }).toBe(true);
  expect(await page.getByTestId('message').count()).toBe(0);
}

describe('resident page languages', () => {
  it('a full conversation in Italian: lang="it", left to right, delivered both ways', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(cluster.urls[0]!);
      expect(await documentLanguage(page)).toEqual({ lang: 'it', dir: 'ltr' });
      expect(await page.getByTestId('lang-select').inputValue()).toBe('it');
      const peer = await startChat(page, 'it');
      expect(await page.getByTestId('verified').textContent()).toContain('verificata da Telefono Donna');

      await counsellorSays(page, peer, 'Ciao, sono Elena di Telefono Donna. Come posso aiutarti?');
      await residentSays(page, peer, 'Buongiorno. Mio marito mi controlla il telefono.');
      await counsellorSays(page, peer, 'Capisco. Adesso sei al sicuro?');
      await residentSays(page, peer, 'Sì, per ora è al lavoro.');

      expect(await texts(page)).toEqual([
        'Ciao, sono Elena di Telefono Donna. Come posso aiutarti?',
        'Buongiorno. Mio marito mi controlla il telefono.',
        'Capisco. Adesso sei al sicuro?',
        'Sì, per ora è al lavoro.',
      ]);
      expect(peer.received.map((r) => r.text)).toEqual(['Buongiorno. Mio marito mi controlla il telefono.', 'Sì, per ora è al lavoro.']);
      await expect.poll(() => ownStates(page), { timeout: 10_000 }).toEqual(['delivered', 'delivered']);
      await expect.poll(() => page.locator('[data-from="me"] .chat-state').first().textContent()).toContain('Consegnato');
      await expectLayout(page, 'ltr');

      await endChat(page, peer);
      expect(await documentLanguage(page)).toEqual({ lang: 'it', dir: 'ltr' });
    } finally {
      await context.close();
    }
  });

  it('a full conversation in Arabic: lang="ar" dir="rtl", mirrored bubbles, Arabic delivered both ways', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(cluster.urls[0]!);
      await page.getByTestId('lang-select').selectOption('ar');
      await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
      // The page speaks Arabic, including the exit control and the question she answers first.
      expect(await page.getByTestId('quick-exit').textContent()).toMatch(ARABIC);
      expect(await page.locator('legend').first().textContent()).toMatch(ARABIC);
      const peer = await startChat(page, 'ar');
      expect(await page.getByTestId('verified').textContent()).toMatch(ARABIC);

      await counsellorSays(page, peer, 'مرحبا، أنا إيلينا من جمعية تيليفونو دونا. كيف يمكنني مساعدتك؟');
      await residentSays(page, peer, 'زوجي يراقب هاتفي وأنا خائفة.');
      await counsellorSays(page, peer, 'أفهمك. هل أنت في أمان الآن؟');
      await residentSays(page, peer, 'نعم، هو في العمل الآن.');

      expect(await texts(page)).toEqual([
        'مرحبا، أنا إيلينا من جمعية تيليفونو دونا. كيف يمكنني مساعدتك؟',
        'زوجي يراقب هاتفي وأنا خائفة.',
        'أفهمك. هل أنت في أمان الآن؟',
        'نعم، هو في العمل الآن.',
      ]);
      expect(peer.received.map((r) => r.text)).toEqual(['زوجي يراقب هاتفي وأنا خائفة.', 'نعم، هو في العمل الآن.']);
      await expect.poll(() => ownStates(page), { timeout: 10_000 }).toEqual(['delivered', 'delivered']);
      expect(await page.locator('[data-from="me"] .chat-state').first().textContent()).toMatch(ARABIC);
      await expectLayout(page, 'rtl');

      await endChat(page, peer);
      expect(await documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
    } finally {
      await context.close();
    }
  });

  it('switching the language in the middle of a chat keeps the chat and flips the layout', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    try {
      await page.goto(cluster.urls[0]!);
      const peer = await startChat(page, 'it');
      await counsellorSays(page, peer, 'Ciao, sono qui.');
      await residentSays(page, peer, 'Grazie.');
      await expectLayout(page, 'ltr');
      const heading = await page.getByTestId('verified').textContent();

      await page.getByTestId('lang-select').selectOption('ar');
      await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'ar', dir: 'rtl' });
      // Same chat: same messages, same counsellor, still open on both sides, in the new language.
      expect(await texts(page)).toEqual(['Ciao, sono qui.', 'Grazie.']);
      await expect.poll(() => page.getByTestId('verified').textContent()).toMatch(ARABIC);
      expect(await page.getByTestId('verified').textContent()).not.toBe(heading);
      expect(await page.getByTestId('message-input').isEnabled()).toBe(true);
      expect(counsellor.ended.has(peer.chatId)).toBe(false);
      await expectLayout(page, 'rtl');

      await residentSays(page, peer, 'شكراً، أنا ما زلت هنا.');
      await counsellorSays(page, peer, 'ممتاز، أنا معك.');
      expect(await texts(page)).toEqual(['Ciao, sono qui.', 'Grazie.', 'شكراً، أنا ما زلت هنا.', 'ممتاز، أنا معك.']);
      expect(peer.received.map((r) => r.text)).toEqual(['Grazie.', 'شكراً، أنا ما زلت هنا.']);
      await expect.poll(() => ownStates(page), { timeout: 10_000 }).toEqual(['delivered', 'delivered']);
      await expectLayout(page, 'rtl');

      await page.getByTestId('lang-select').selectOption('it');
      await expect.poll(() => documentLanguage(page)).toEqual({ lang: 'it', dir: 'ltr' });
      expect(await texts(page)).toHaveLength(4);
      await expectLayout(page, 'ltr');
      await endChat(page, peer);
    } finally {
      await context.close();
    }
  });
});
