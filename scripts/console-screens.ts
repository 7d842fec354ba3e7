// Screenshots of the counsellor console's screens at 1280x800 for docs/console.md, written to
// docs/screens/console-*.png (`npm run screens:console`); the transfer dialog, offer and handoff come from
// test/browser/transfer.test.ts with SCREENSHOTS=1. Runs the real system like the browser tests: a private Redis,
// one server with the client built and pinned, three counsellors in Chromium (Giulia and Marta certified, Amina
// just enrolled), one resident on the phone page and three resident bots. All names and texts are made up.
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { AccountStore } from '../server/accounts/account-store.ts';
import { createInvitation } from '../server/accounts/enrolment.ts';
import type { Language, Topic, Triage } from '../protocol/index.ts';
import { Authenticator, authenticatorFor } from '../test/sim/authenticator.ts';
import { ResidentBot } from '../test/sim/bots.ts';
import { call, type ChatPeer } from '../test/sim/chat-peer.ts';
import { launchBrowser, PHONE } from '../test/support/browser.ts';
import type { TestCluster } from '../test/support/cluster.ts';
import { answerTriage, DESKTOP, startResidentServer, stopAll } from '../test/support/resident-page.ts';
import { waitFor } from '../test/support/wait.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'docs', 'screens');
/** Every wait for the page or the server is bounded by this. */
const STEP_MS = 15_000;

const say = (s: string) => process.stdout.write(`${s}\n`);

/** Saves the window (or the whole page, for the tall enrolment screens) as docs/screens/console-<name>.png. */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  const path = join(OUT, `console-${name}.png`);
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  say(`  ${relative(ROOT, path)}`);
}

/** Polls a page-side condition until it holds, within STEP_MS. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  await waitFor(cond, STEP_MS, what);
}

const visible = (page: Page, testId: string) => () => page.getByTestId(testId).first().isVisible();

/** A desktop window (scale 1, so the images are exactly 1280x800 CSS pixels). */
async function desktop(browser: Browser, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ ...DESKTOP, deviceScaleFactor: 1, locale: 'it-IT' });
  contexts.push(context);
  return context.newPage();
}

/** Fills the sign-in form; `shot` names a screenshot of the filled form taken before it is sent. */
async function signIn(page: Page, username: string, password: string, code: string, shot?: string): Promise<void> {
  await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('totp').fill(code);
  if (shot) await shoot(page, shot);
  await page.getByTestId('login').click();
  await until(`${username} signed in`, async () => (await page.getByTestId('connection-state').getAttribute('data-state')) === 'online');
}

/** 1-3: Amina enrols from her invitation link, saves her recovery codes and signs in, uncertified. */
async function enrolment(cluster: TestCluster, page: Page): Promise<void> {
  say('enrolment:');
  const url = cluster.urls[0]!;
  const invitation = await createInvitation(new AccountStore(cluster.store, cluster.config.STORE_PREFIX), {
    username: 'amina',
    alias: 'Amina',
    association: 'telefono-donna',
    role: 'counsellor',
    capacity: 2,
    languages: ['it', 'ar', 'fr'],
    createdBy: 'screens',
    now: Date.now(),
  });
  await page.goto(`${url}/console#invite=${invitation.token}`);
  await until('enrolment form', visible(page, 'totp-qr'));
  // Her authenticator app, fed the key shown on the screen (as she would type it by hand).
  const app = new Authenticator(((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, ''));
  const password = 'melograno tram nebbia viola';
  await page.getByTestId('enrol-password').fill(password);
  await page.getByTestId('enrol-confirm').fill(password);
  await page.getByTestId('enrol-code').fill(app.next());
  await page.getByTestId('enrol-code').blur();
  await shoot(page, 'enrol', true);

  await page.getByTestId('enrol-submit').click();
  await until('recovery codes', async () => (await page.getByTestId('recovery-codes').locator('li').count()) === 10);
  await page.getByTestId('codes-saved').check();
  await shoot(page, 'enrol-recovery-codes', true);

  await page.getByTestId('enrol-done').click();
  await until('sign-in after enrolment', visible(page, 'login-notice'));
  await signIn(page, 'amina', password, app.next());
  await until('certificate pending notice', visible(page, 'not-certified'));
}

/** A resident bot with categorical triage answers, joined and placed in the line. */
async function residentBot(cluster: TestCluster, bots: ResidentBot[], triage: Partial<Triage>): Promise<string> {
  const bot = new ResidentBot(cluster.urls[0]!, cluster.pins, {
    danger: 'no',
    canWrite: 'yes',
    topics: [],
    language: 'it',
    association: 'telefono-donna',
    ...triage,
  });
  bots.push(bot);
  return (await bot.join()).ticketId;
}

const entryOf = (page: Page, ticketId: string) => page.locator(`[data-testid="queue-entry"][data-ticket-id="${ticketId}"]`);
const tabOf = (page: Page, chatId: string) => page.locator(`[data-testid="chat-tab"][data-chat-id="${chatId}"]`);
const lastMine = (page: Page) => page.locator('[data-testid="message"][data-from="me"]').last();

async function consoleSend(page: Page, text: string): Promise<void> {
  await page.getByTestId('message-input').fill(text);
  await page.getByTestId('send').click();
  await until(`"${text}" sent`, async () => (await lastMine(page).textContent())?.includes(text) === true);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  say('starting a private Redis and a server, building the client…');
  const cluster = await startResidentServer();
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const bots: ResidentBot[] = [];
  try {
    browser = await launchBrowser();
    const url = cluster.urls[0]!;
    const giuliaAccount = await cluster.addCounsellor({
      username: 'giulia',
      association: 'telefono-donna',
      capacity: 3,
      languages: ['it', 'en', 'es'],
    });
    const martaAccount = await cluster.addCounsellor({ username: 'marta', association: 'telefono-donna', languages: ['it', 'es', 'fr'] });

    const amina = await desktop(browser, contexts);
    await enrolment(cluster, amina);

    say('sign-in and the line:');
    const giulia = await desktop(browser, contexts);
    await giulia.goto(`${url}/console`);
    await until('sign-in form', visible(giulia, 'login'));
    await signIn(giulia, 'giulia', giuliaAccount.password, authenticatorFor('giulia')!.next(), 'sign-in');
    const marta = await desktop(browser, contexts);
    await marta.goto(`${url}/console`);
    await signIn(marta, 'marta', martaAccount.password, authenticatorFor('marta')!.next());

    // Three residents from bots, of different urgency and language, then one in danger on her phone.
    const queued = (n: number) => async () => (await giulia.getByTestId('queue-entry').count()) === n;
    const bot = (triage: Partial<Triage> & { language: Language; topics: Topic[] }) => residentBot(cluster, bots, triage);
    await bot({ language: 'en', topics: ['housing', 'info'] });
    const tSpanish = await bot({ danger: 'unsure', language: 'es', topics: ['psychological', 'economic'] });
    const tBriefly = await bot({ canWrite: 'briefly', language: 'it', topics: ['children'] });
    await until('three residents in the line', queued(3));

    const phoneContext = await browser.newContext(PHONE);
    contexts.push(phoneContext);
    const phone = await phoneContext.newPage();
    // The quick exit leads to a neutral site; answered here so the script makes no request outside.
    await phone.route('https://it.wikipedia.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Milano</title>' }),
    );
    await phone.goto(url);
    await answerTriage(phone, { danger: 'yes', canWrite: 'yes', association: 'telefono-donna', topics: ['physical'] });
    await phone.getByTestId('triage-details').fill('Sono in bagno, lui è di là. Ha rotto la porta della cucina e urla.');
    await phone.getByTestId('join').click({ timeout: STEP_MS });
    await until('danger alert', visible(giulia, 'danger-alert'));
    await until('four residents in the line', queued(4));
    await shoot(giulia, 'line-danger');
    await until('line shown to Amina', async () => (await amina.getByTestId('queue-entry').count()) === 4);
    await shoot(amina, 'certificate-pending');

    say('chats:');
    // "Take her" on the alert opens the chat with the resident in danger: her details come pinned.
    await giulia.getByTestId('danger-take').click();
    await until('pinned triage details', visible(giulia, 'triage-details'));
    await until('her phone verified Giulia', visible(phone, 'verified'));
    const dangerChat = (await giulia.getByTestId('chat-tab').first().getAttribute('data-chat-id'))!;
    const botOf = (ticketId: string) => bots.find((b) => b.ticket?.ticketId === ticketId)!;
    const takeBot = async (ticketId: string): Promise<ChatPeer> => {
      await entryOf(giulia, ticketId).getByTestId('take').click();
      return botOf(ticketId).waitForChat(STEP_MS);
    };
    const spanish = await takeBot(tSpanish);
    const briefly = await takeBot(tBriefly);
    await until('three tabs', async () => (await giulia.getByTestId('chat-tab').count()) === 3);

    // The conversation in the danger chat: the safety check from the canned replies, her answer, a question.
    await tabOf(giulia, dangerChat).click();
    await giulia.getByTestId('canned-toggle').click();
    await giulia.getByTestId('canned-reply').filter({ hasText: 'Safety check' }).click();
    await giulia.getByTestId('send').click();
    await until(
      'safety check on her phone',
      async () => (await phone.getByTestId('message').filter({ hasText: 'Puoi scrivere' }).count()) === 1,
    );
    await phone.getByTestId('message-input').fill('Sì, per ora posso scrivere. Ho chiuso a chiave.');
    await phone.getByTestId('send').click();
    await until('her answer on the console', async () => (await giulia.locator('[data-testid="message"][data-from="them"]').count()) === 1);
    await consoleSend(giulia, 'Hai fatto bene. Sei ferita? Se ti senti in pericolo adesso, chiama il 112.');
    await until('both messages read', async () => (await lastMine(giulia).getAttribute('data-state')) === 'delivered');
    // Messages arrive on the two other tabs, unread; then she starts typing on her phone.
    await spanish.send('Hola, ¿sigue ahí? Tengo poco tiempo.');
    await briefly.send('Scusi, posso scrivere solo poco.');
    await briefly.send('Lui torna alle sei.');
    await until('unread counts', async () => (await tabOf(giulia, briefly.chatId).getAttribute('data-unread')) === '2');
    // At a person's pace: the typing signal goes out at most every 2 s, and her last one was for her answer.
    await phone.getByTestId('message-input').pressSequentially('No, non sono ferita, ma', { delay: 120 });
    await until('typing indicator', visible(giulia, 'typing'));
    await shoot(giulia, 'chat');

    await giulia.getByTestId('canned-toggle').click();
    await until('canned replies', async () => (await giulia.getByTestId('canned-reply').count()) > 0);
    await shoot(giulia, 'canned-replies');
    await giulia.getByTestId('canned-toggle').click();

    say('shift settings:');
    await giulia.getByTestId('shift-settings').locator('summary').click();
    await until('at capacity', visible(giulia, 'at-capacity'));
    await shoot(giulia, 'shift');
    await giulia.getByTestId('shift-settings').locator('summary').click();

    say('banners:');
    // Her connection drops: no automatic reconnection, so the banner stands while Giulia writes to her.
    const brieflyBot = botOf(tBriefly);
    brieflyBot.socket.io.reconnection(false);
    await tabOf(giulia, briefly.chatId).click();
    (brieflyBot.socket.io.engine as unknown as { close(): void }).close();
    await until('disconnected banner', async () => (await tabOf(giulia, briefly.chatId).getAttribute('data-banner')) === 'disconnected');
    await consoleSend(giulia, 'Va bene, ti aspetto. Scrivimi quando puoi.');
    await until('stored for her', async () => (await lastMine(giulia).getAttribute('data-state')) === 'sent');
    await shoot(giulia, 'banner-disconnected');
    // She comes back: the same chat resumes, and what Giulia wrote meanwhile reaches her.
    const connected = new Promise<void>((r) => brieflyBot.socket.once('connect', () => r()));
    brieflyBot.socket.connect();
    await connected;
    await call(brieflyBot.socket, 'resident:resume', { resumeToken: brieflyBot.ticket!.resumeToken });
    await briefly.resume();
    await until('reconnected banner', async () => (await tabOf(giulia, briefly.chatId).getAttribute('data-banner')) === 'reconnected');
    await until('read after she came back', async () => (await lastMine(giulia).getAttribute('data-state')) === 'delivered');
    await briefly.send('Eccomi, ero senza rete.');
    await until(
      'her message after coming back',
      async () => (await giulia.locator('[data-testid="message"][data-from="them"]').count()) === 3,
    );
    await shoot(giulia, 'banner-reconnected');

    // The resident in danger presses Exit on her phone.
    await tabOf(giulia, dangerChat).click();
    await phone.getByTestId('quick-exit').click();
    await until('quick-exit banner', async () => (await tabOf(giulia, dangerChat).getAttribute('data-banner')) === 'quick-exit');
    await shoot(giulia, 'banner-quick-exit');
    await giulia.getByTestId('close-chat').click();

    say('end:');
    await tabOf(giulia, briefly.chatId).click();
    await giulia.getByTestId('end-chat').click();
    await giulia.getByTestId('outcome-select').selectOption('information');
    await shoot(giulia, 'end');
    await giulia.getByTestId('confirm-end').click();
    await until('chat ended for her', async () => brieflyBot.ended === 'counsellor-ended');

    // The dialog, the offer, the handoff note and the transferred chat are shot by test/browser/transfer.test.ts
    // (SCREENSHOTS=1); here only what that test does not show: the chat while the offer waits.
    say('transfer:');
    await tabOf(giulia, spanish.chatId).click();
    await consoleSend(giulia, 'Sì, ci sono. Ti passo a una collega che parla spagnolo.');
    await giulia.getByTestId('transfer-chat').click();
    const dialog = giulia.getByTestId('transfer-dialog');
    await until('Marta listed', async () => (await dialog.getByTestId('transfer-colleague').count()) === 1);
    await dialog.getByTestId('transfer-colleague').check();
    await dialog
      .getByTestId('transfer-note')
      .fill('Parla spagnolo. Due bambini piccoli; lui controlla i soldi. Scrivere solo prima delle 18.');
    await dialog.getByTestId('transfer-submit').click();
    await until('transfer pending', async () => (await giulia.getByTestId('transfer-status').getAttribute('data-state')) === 'pending');
    await shoot(giulia, 'transfer-pending');

    await until('offer with the note', visible(marta, 'offer-note'));
    await marta.getByTestId('transfer-offer').getByTestId('offer-accept').click();
    await until('Marta has the chat', async () => (await marta.getByTestId('chat-tab').count()) === 1);
    await botOf(tSpanish).waitForChat(STEP_MS);

    say('account:');
    await until('transferred banner', async () => (await giulia.getByTestId('chat-banner').getAttribute('data-reason')) === 'transferred');
    await giulia.getByTestId('close-chat').click();
    await giulia.getByTestId('account').click();
    await until('account dialog', visible(giulia, 'account-dialog'));
    await shoot(giulia, 'account');
  } finally {
    for (const b of bots) b.close();
    for (const c of contexts) await c.close().catch(() => undefined);
    await stopAll({ browser, cluster });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`console-screens: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
