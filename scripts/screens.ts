// Screenshots of every screen of the resident's phone page at 360x740, in Italian and in Arabic, written to
// docs/screens/ (`node --import tsx scripts/screens.ts`). Runs the real system like the browser tests: a
// private Redis, a server with the client built and pinned, and a counsellor bot who answers.
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { CounsellorBot } from '../test/sim/bots.ts';
import { launchBrowser, PHONE } from '../test/support/browser.ts';
import type { TestCluster } from '../test/support/cluster.ts';
import { Cast } from '../test/support/queue-helpers.ts';
import {
  answerTriage,
  connectCounsellor,
  newEntryInLine,
  openInLanguage,
  sendMessage,
  startResidentServer,
  stopAll,
  ticketsInLine,
} from '../test/support/resident-page.ts';
import { waitFor } from '../test/support/wait.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs', 'screens');
const LANGUAGES = ['it', 'ar'] as const;
type ScreenLanguage = (typeof LANGUAGES)[number];

/** The conversation shown on the chat screen, in each language. */
const LINES: Record<ScreenLanguage, { counsellor: string[]; resident: string[] }> = {
  it: {
    counsellor: ['Ciao, sono Elena di Telefono Donna. Come posso aiutarti?', 'Capisco. Adesso sei al sicuro?'],
    resident: ['Buongiorno. Mio marito mi controlla il telefono.', 'Sì, per ora è al lavoro.'],
  },
  ar: {
    counsellor: ['مرحبا، أنا إيلينا من جمعية تيليفونو دونا. كيف يمكنني مساعدتك؟', 'أفهمك. هل أنت في أمان الآن؟'],
    resident: ['زوجي يراقب هاتفي وأنا خائفة.', 'نعم، هو في العمل الآن.'],
  },
};

const say = (s: string) => process.stdout.write(`${s}\n`);

async function shoot(page: Page, language: ScreenLanguage, screen: string): Promise<void> {
  const path = join(OUT, `${language}-${screen}.png`);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  say(`  ${relative(ROOT, path)}`);
}

/** Start, triage in danger, refusal (Ebano has nobody on shift), waiting, chat, ended: one visit, in order. */
async function everyScreen(browser: Browser, cluster: TestCluster, counsellor: CounsellorBot, language: ScreenLanguage): Promise<void> {
  // Scale 1: the images are exactly 360x740 pixels, the phone's CSS size.
  const context = await browser.newContext({ ...PHONE, deviceScaleFactor: 1 });
  const page = await context.newPage();
  try {
    await openInLanguage(page, cluster.urls[0]!, language);
    await waitFor(async () => (await page.evaluate(() => document.documentElement.lang)) === language, 5_000, `page in ${language}`);
    await waitFor(() => page.getByTestId('join').isEnabled(), 15_000, 'secure connection ready');
    await shoot(page, language, 'start');

    await page.getByTestId('danger-yes').check();
    const numbers = page.getByTestId('emergency-numbers').first();
    await numbers.waitFor();
    // The question and the numbers it reveals, just below the sticky exit bar.
    await page.getByTestId('danger-yes').evaluate((el) => {
      const question = el.closest('fieldset');
      const bar = document.getElementById('quick-exit')?.getBoundingClientRect().height ?? 0;
      if (question) window.scrollBy(0, question.getBoundingClientRect().top - bar - 8);
    });
    await shoot(page, language, 'danger');

    await answerTriage(page, { danger: 'yes', association: 'ebano' });
    await page.getByTestId('join').click();
    await page.getByTestId('refusal').waitFor({ timeout: 10_000 });
    await shoot(page, language, 'refusal');

    await page.getByTestId('refusal').getByRole('button').click();
    await waitFor(() => page.getByTestId('join').isEnabled(), 10_000, 'start screen again');
    const before = await ticketsInLine(counsellor);
    await answerTriage(page, { danger: 'no', association: 'telefono-donna' });
    await page.getByTestId('join').click();
    await waitFor(async () => (await page.getByTestId('position').getAttribute('data-position')) === '1', 10_000, 'position shown');
    await shoot(page, language, 'waiting');

    const entry = await newEntryInLine(counsellor, before);
    const peer = await counsellor.claim(entry.ticketId);
    await page.getByTestId('verified').waitFor({ timeout: 10_000 });
    const lines = LINES[language];
    for (let i = 0; i < lines.counsellor.length; i++) {
      await peer.send(lines.counsellor[i]!);
      await waitFor(
        async () => (await page.locator('[data-testid="message"][data-from="them"]').count()) === i + 1,
        10_000,
        'counsellor message shown',
      );
      await sendMessage(page, lines.resident[i]!);
      await waitFor(() => peer.received.length === i + 1, 10_000, 'resident message received');
    }
    await waitFor(
      async () => (await page.locator('[data-testid="message"][data-from="me"][data-state="delivered"]').count()) === lines.resident.length,
      10_000,
      'her messages delivered',
    );
    await page.getByTestId('message-input').blur();
    await shoot(page, language, 'chat');

    await counsellor.end(peer.chatId);
    await page.getByTestId('chat-ended').waitFor({ timeout: 10_000 });
    await shoot(page, language, 'ended');
  } finally {
    await context.close();
  }
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  say('starting a private Redis and a server, building the client…');
  const cluster = await startResidentServer();
  const cast = new Cast(cluster);
  let browser: Browser | null = null;
  const bots: CounsellorBot[] = [];
  try {
    browser = await launchBrowser();
    // A named account (not the Cast's random one), so the chat header reads "Elena, Telefono Donna".
    const counsellor = await connectCounsellor(cluster, {
      username: 'elena',
      association: 'telefono-donna',
      capacity: 5,
      languages: ['it', 'ar'],
    });
    bots.push(counsellor);
    await waitFor(() => cast.onShift(counsellor.id), 5_000, 'counsellor on shift');
    for (const language of LANGUAGES) {
      say(`${language}:`);
      await everyScreen(browser, cluster, counsellor, language);
    }
  } finally {
    for (const bot of bots) bot.close();
    await stopAll({ cast, browser: browser ?? undefined, cluster });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`screens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
