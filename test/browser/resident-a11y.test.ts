// WCAG 2.2 A/AA on every screen of the resident's phone page, in Italian and in Arabic (right to left), checked
// by axe-core in real Chromium against a real server and Redis: start, triage in danger (emergency numbers),
// refusal (nobody on shift), waiting, chat with messages both ways, and the ended chat.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounsellorBot } from '../sim/bots.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import type { TestCluster } from '../support/cluster.ts';
import { Cast } from '../support/queue-helpers.ts';
import {
  answerTriage,
  expectFirstInLine,
  newEntryInLine,
  openInLanguage,
  sendMessage,
  startResidentServer,
  stopAll,
  takeIntoChat,
  ticketsInLine,
} from '../support/resident-page.ts';
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let cluster: TestCluster;
let browser: Browser;
let cast: Cast;
/** Telefono Donna only: a resident who asks for Ebano is told nobody is on shift. */
let counsellor: CounsellorBot;

beforeAll(async () => {
  cluster = await startResidentServer();
  browser = await launchBrowser();
  cast = new Cast(cluster);
  counsellor = await cast.counsellor({ association: 'telefono-donna', capacity: 5, languages: ['it', 'ar'] });
}, 120_000);
afterAll(() => stopAll({ cast, browser, cluster }));

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe on the whole document (the exit link included) and returns the WCAG A/AA violations. */
async function axe(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const w = window as unknown as {
      axe: {
        run(
          ctx: Document,
          opts: unknown,
        ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
      };
    };
    const res = await w.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return res.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => JSON.stringify(n.target)) }));
  }, WCAG_TAGS);
}

/** Records the violations of one screen without stopping, so one run reports every screen. */
async function check(page: Page, language: string, screen: string): Promise<void> {
  const violations = await axe(page);
  const report = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.targets.join(', ')}`).join('\n  ');
  expect
    .soft(
      violations.map((v) => v.id),
      `${language} ${screen}: axe violations\n  ${report}`,
    )
    .toEqual([]);
}

async function visitEveryScreen(language: 'it' | 'ar'): Promise<void> {
  const context = await browser.newContext({ ...PHONE, bypassCSP: true });
  const page = await context.newPage();
  try {
    await openInLanguage(page, cluster.urls[0]!, language);
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(language);
    await expect.poll(() => page.getByTestId('join').isEnabled(), { timeout: 15_000 }).toBe(true);
    await check(page, language, 'start');

    await page.getByTestId('danger-yes').check();
    await expect.poll(() => page.getByTestId('emergency-numbers').first().isVisible()).toBe(true);
    expect(await page.locator('a[href="tel:112"]').count()).toBeGreaterThan(0);
    expect(await page.locator('a[href="tel:1522"]').count()).toBeGreaterThan(0);
    await check(page, language, 'triage in danger');

    // Ebano has nobody on shift in this cluster.
    await answerTriage(page, { danger: 'yes', association: 'ebano' });
    await page.getByTestId('join').click();
    await expect.poll(() => page.getByTestId('refusal').getAttribute('data-code'), { timeout: 10_000 }).toBe('NOBODY_ON_SHIFT');
    await check(page, language, 'refusal');

    await page.getByTestId('refusal').getByRole('button').click();
    await expect.poll(() => page.getByTestId('join').isEnabled(), { timeout: 10_000 }).toBe(true);
    const before = await ticketsInLine(counsellor);
    await answerTriage(page, { danger: 'no', association: 'telefono-donna' });
    await page.getByTestId('join').click();
    await expectFirstInLine(page);
    await check(page, language, 'waiting');

    const entry = await newEntryInLine(counsellor, before);
    const peer = await takeIntoChat(page, counsellor, entry.ticketId);
    await peer.send(language === 'ar' ? 'مرحبا، كيف يمكنني مساعدتك؟' : 'Ciao, come posso aiutarti?');
    await expect.poll(() => page.locator('[data-testid="message"][data-from="them"]').count(), { timeout: 10_000 }).toBe(1);
    await sendMessage(page, language === 'ar' ? 'أحتاج إلى مساعدة.' : 'Ho bisogno di aiuto.');
    await expect
      .poll(() => page.locator('[data-testid="message"][data-from="me"]').getAttribute('data-state'), { timeout: 10_000 })
      .toBe('delivered');
    await check(page, language, 'chat');

    await counsellor.end(peer.chatId);
    await expect.poll(() => page.getByTestId('chat-ended').isVisible(), { timeout: 10_000 }).toBe(true);
    await check(page, language, 'ended');
  } finally {
    await context.close();
  }
}

describe('resident page accessibility (axe-core, WCAG 2.2 A/AA)', () => {
  it('every screen in Italian', async () => {
    await visitEveryScreen('it');
  });

  it('every screen in Arabic (right to left)', async () => {
    await visitEveryScreen('ar');
  });
});
