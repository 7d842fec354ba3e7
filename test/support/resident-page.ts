// Shared setup and page-driving steps of the browser tests and scripts/screens.ts: the one-node server with the
// client built, tear-down, the resident's phone page (triage, the line, the chat, ending it), the counsellor
// who takes her, requests to other origins, and the console sign-in.
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Association, QueueEntry } from '../../protocol/index.ts';
import { authenticatorFor } from '../sim/authenticator.ts';
import { CounsellorBot } from '../sim/bots.ts';
import type { ChatPeer } from '../sim/chat-peer.ts';
import { startCluster, stopSharedRedis, type TestCluster } from './cluster.ts';
import { type Cast, lineOf } from './queue-helpers.ts';
import { waitFor } from './wait.ts';

/** The neutral site the quick exit leads to. */
export const EXIT_URL = 'https://it.wikipedia.org/wiki/Milano';
/** The console's desktop window. */
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

/** One node with the client built and served, its quick exit pointing at EXIT_URL; `env` adds to it. */
export function startResidentServer(env: Record<string, string> = {}): Promise<TestCluster> {
  return startCluster({ nodes: 1, buildClient: true, env: { EXIT_URL, ...env } });
}

/** Stops whatever a suite started (any of it may be missing if its start failed), then the shared Redis. */
export async function stopAll(started: { cast?: Cast; browser?: Browser; cluster?: TestCluster }): Promise<void> {
  await started.cast?.dismiss();
  await started.browser?.close();
  await started.cluster?.close();
  await stopSharedRedis();
}

/** Creates a counsellor account and connects a bot signed in with it. */
export async function connectCounsellor(
  cluster: TestCluster,
  account: Parameters<TestCluster['addCounsellor']>[0],
): Promise<CounsellorBot> {
  const c = await cluster.addCounsellor(account);
  return CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
}

/** URLs of every request the page makes to an origin other than `origin`. */
export function recordForeignRequests(page: Page, origin: string): string[] {
  const foreign: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).origin !== origin) foreign.push(r.url());
  });
  return foreign;
}

export interface TriageAnswers {
  danger?: 'yes' | 'no' | 'unsure';
  canWrite?: 'yes' | 'briefly';
  association?: Association;
  topics?: string[];
}

/** Ticks the triage answers, by default: not in danger, can write, Telefono Donna, no topic. */
export async function answerTriage(page: Page, answers: TriageAnswers = {}): Promise<void> {
  const { danger = 'no', canWrite = 'yes', association = 'telefono-donna', topics = [] } = answers;
  await page.getByTestId(`danger-${danger}`).check();
  await page.getByTestId(`canwrite-${canWrite}`).check();
  await page.getByTestId(`assoc-${association}`).check();
  for (const topic of topics) await page.getByTestId(`topic-${topic}`).check();
}

/** Taps Join (once the secure connection allows it) and expects her place in the line to show. */
/** Taps Join and waits until she has a place in the line (the triage worker placed her), so a counsellor can take her. */
export async function joinLine(page: Page): Promise<void> {
  await page.getByTestId('join').click({ timeout: 15_000 });
  await expect.poll(() => page.getByTestId('position').getAttribute('data-position'), { timeout: 10_000 }).toMatch(/^[1-9][0-9]*$/);
}

/** Expects her page to show her first in the line. */
export async function expectFirstInLine(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('position').getAttribute('data-position'), { timeout: 10_000 }).toBe('1');
}

/** Taps Join (once the secure connection allows it) and expects her to be first in the line. */
export async function joinLineAtFront(page: Page): Promise<void> {
  await page.getByTestId('join').click({ timeout: 15_000 });
  await expectFirstInLine(page);
}

/** The tickets the counsellor sees in the line now, so that a ticket added later can be told apart. */
export async function ticketsInLine(counsellor: CounsellorBot): Promise<Set<string>> {
  return new Set((await lineOf(counsellor)).map((e) => e.ticketId));
}

/** Waits for a ticket that was not in `before` to reach the counsellor's line, and returns it. */
export async function newEntryInLine(counsellor: CounsellorBot, before: Set<string>): Promise<QueueEntry> {
  let entry: QueueEntry | undefined;
  await waitFor(
    async () => {
      entry = (await lineOf(counsellor)).find((e) => !before.has(e.ticketId));
      return entry !== undefined;
    },
    10_000,
    'her ticket in the line',
  );
  return entry!;
}

/** Expects her page to show the verified counsellor's heading, i.e. the chat is open. */
export async function waitForVerifiedChat(page: Page): Promise<void> {
  await expect.poll(() => page.getByTestId('verified').isVisible(), { timeout: 10_000 }).toBe(true);
}

/** The counsellor takes the ticket and her page opens the chat; returns the counsellor's side of it. */
export async function takeIntoChat(page: Page, counsellor: CounsellorBot, ticketId: string): Promise<ChatPeer> {
  const peer = await counsellor.claim(ticketId);
  await waitForVerifiedChat(page);
  return peer;
}

/** She types a message and taps Send. */
export async function sendMessage(page: Page, text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send').click();
}

/** She ends the chat (with confirmation) and the counsellor is told so. */
export async function endChat(page: Page, counsellor: CounsellorBot, peer: ChatPeer): Promise<void> {
  await page.getByTestId('end-chat').click();
  await page.getByTestId('confirm-end').click();
  await waitFor(() => counsellor.ended.get(peer.chatId) === 'resident-ended', 10_000, 'counsellor told she ended the chat');
}

/** Opens the resident's page and, for any language but Italian, switches its interface language. */
export async function openInLanguage(page: Page, url: string, language: string): Promise<void> {
  await page.goto(url);
  if (language !== 'it') await page.getByTestId('lang-select').selectOption(language);
}

/** Opens the console and submits the sign-in form. */
/** `code` defaults to the next one of the Authenticator registered for her (any code when there is none). */
export async function signInToConsole(page: Page, url: string, username: string, password: string, code?: string): Promise<void> {
  await page.goto(`${url}/console`);
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('totp').fill(code ?? authenticatorFor(username)?.next() ?? '000000');
  await page.getByTestId('login').click();
}

/** Waits until at least one counsellor is on shift. */
export async function waitForOnShift(cluster: TestCluster): Promise<void> {
  await waitFor(async () => (await cluster.redis.zCard(`${cluster.config.KEY_PREFIX}shift`)) > 0, 10_000, 'counsellor on shift');
}
