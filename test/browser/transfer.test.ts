// Transfer in real Chromium, on two nodes: a counsellor opens the dialog in her console, picks a colleague
// signed in on the other node and writes a note; the colleague's console shows the offer with the note (opened
// with her key) and she accepts; the resident's phone says calmly that a colleague continues, runs a fresh
// handshake and chats with the new counsellor, who sees the note on the chat she took over. With SCREENSHOTS=1
// it also writes docs/screens/console-transfer-*.png.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounsellorBot } from '../sim/bots.ts';
import { launchBrowser, PHONE } from '../support/browser.ts';
import { startCluster, type TestCluster } from '../support/cluster.ts';
import {
  answerTriage,
  DESKTOP,
  EXIT_URL,
  joinLine,
  sendMessage,
  signInToConsole,
  stopAll,
  waitForVerifiedChat,
} from '../support/resident-page.ts';
import { lineOf } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let browser: Browser;

const SCREENS = resolve(import.meta.dirname, '../../docs/screens');

async function shoot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `console-transfer-${name}.png`), animations: 'disabled', caret: 'hide' });
}

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, buildClient: true, env: { EXIT_URL } });
  browser = await launchBrowser();
}, 180_000);
afterAll(() => stopAll({ browser, cluster }));

async function consoleOf(url: string, username: string): Promise<Page> {
  const a = await cluster.addCounsellor({ username, association: 'telefono-donna' });
  const page = await (await browser.newContext(DESKTOP)).newPage();
  await signInToConsole(page, url, a.username, a.password);
  await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');
  return page;
}

describe('transfer between two consoles', () => {
  it('dialog, offer with a note, accept; the resident is told and chats with the new counsellor', async () => {
    const giulia = await consoleOf(cluster.urls[0]!, 'giulia');
    const marta = await consoleOf(cluster.urls[1]!, 'marta');
    const phone = await (await browser.newContext(PHONE)).newPage();

    await phone.goto(cluster.urls[0]!);
    await answerTriage(phone);
    await joinLine(phone);

    // Giulia takes her from the line and writes.
    await expect.poll(() => giulia.getByTestId('take').count(), { timeout: 15_000 }).toBe(1);
    await giulia.getByTestId('take').click();
    await waitForVerifiedChat(phone);
    await expect.poll(() => phone.getByTestId('verified').textContent()).toContain('Giulia');
    await giulia.getByTestId('message-input').fill('Ciao, sono Giulia.');
    await giulia.getByTestId('send').click();
    await expect.poll(() => phone.getByTestId('message').filter({ hasText: 'sono Giulia' }).count(), { timeout: 10_000 }).toBe(1);
    // A message that went out leaves an empty composer and no refusal under it.
    expect(await giulia.getByTestId('message-input').inputValue()).toBe('');
    expect(await giulia.locator('.composer-error').count()).toBe(0);

    // The dialog: Marta is listed (her certificate verified in Giulia's browser), the other line too.
    await giulia.getByTestId('transfer-chat').click();
    const dialog = giulia.getByTestId('transfer-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => dialog.getByTestId('transfer-colleague').count(), { timeout: 10_000 }).toBe(1);
    expect(await dialog.textContent()).toContain('Marta');
    expect(await dialog.getByTestId('transfer-line').count()).toBe(1);
    await dialog.getByTestId('transfer-colleague').check();
    await dialog.getByTestId('transfer-note').fill('Ha due bambini. Preferisce messaggi brevi.');
    await shoot(giulia, 'dialog');
    await dialog.getByTestId('transfer-submit').click();
    await expect.poll(() => giulia.getByTestId('transfer-status').getAttribute('data-state'), { timeout: 10_000 }).toBe('pending');

    // Marta's console: the offer, with the note opened in her browser.
    const offer = marta.getByTestId('transfer-offer');
    await expect.poll(() => offer.count(), { timeout: 10_000 }).toBe(1);
    expect(await offer.textContent()).toContain('Giulia');
    expect(await offer.getByTestId('offer-note').textContent()).toBe('Ha due bambini. Preferisce messaggi brevi.');
    await shoot(marta, 'offer');
    await offer.getByTestId('offer-accept').click();

    // Giulia's chat ends as transferred; the resident reads that a colleague continues.
    await expect.poll(() => giulia.getByTestId('chat-banner').getAttribute('data-reason'), { timeout: 10_000 }).toBe('transferred');
    await expect.poll(() => giulia.getByTestId('message-input').isDisabled(), { timeout: 5_000 }).toBe(true);

    // Marta's console answers the new handshake; the phone verifies her and shows her name.
    await expect.poll(() => marta.getByTestId('chat-tab').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => phone.getByTestId('verified').textContent(), { timeout: 15_000 }).toContain('Marta');
    await marta.getByTestId('chat-tab').click();
    expect(await marta.getByTestId('handoff-note').textContent()).toContain('Ha due bambini. Preferisce messaggi brevi.');
    // The "you accepted" notice has served its purpose once the chat is open.
    await expect.poll(() => marta.getByTestId('console-notice').count(), { timeout: 5_000 }).toBe(0);
    await shoot(marta, 'handoff');
    // Nothing of the chat with Giulia is on her phone any more.
    expect(await phone.getByTestId('message').filter({ hasText: 'sono Giulia' }).count()).toBe(0);

    await marta.getByTestId('message-input').fill('Ciao, sono Marta, continuo io.');
    await marta.getByTestId('send').click();
    await expect.poll(() => phone.getByTestId('message').filter({ hasText: 'continuo io' }).count(), { timeout: 10_000 }).toBe(1);
    await sendMessage(phone, 'Va bene, grazie');
    await expect.poll(() => marta.getByTestId('message').filter({ hasText: 'Va bene, grazie' }).count(), { timeout: 10_000 }).toBe(1);
    // Giulia's page never sees the new chat.
    expect(await giulia.getByTestId('message').filter({ hasText: 'Va bene, grazie' }).count()).toBe(0);
    await shoot(giulia, 'transferred');
  });
});

describe('a transfer to the other association she missed while offline', () => {
  it('her page learns of it on resume and accepts the Ebano counsellor who takes her', async () => {
    const td = await cluster.addCounsellor({ username: 'teresa', association: 'telefono-donna' });
    const eb = await cluster.addCounsellor({ username: 'elena', association: 'ebano' });
    const teresa = await CounsellorBot.connect(cluster.urls[0]!, td.username, td.password);
    const elena = await CounsellorBot.connect(cluster.urls[1]!, eb.username, eb.password);
    const context = await browser.newContext(PHONE);
    const phone = await context.newPage();
    try {
      await phone.goto(cluster.urls[0]!);
      // She chose Telefono Donna only: her page accepts no Ebano certificate until a transfer says so.
      await answerTriage(phone, { association: 'telefono-donna' });
      await joinLine(phone);
      let ticketId = '';
      await waitFor(async () => Boolean((ticketId = (await lineOf(teresa))[0]?.ticketId ?? '')), 10_000, 'her ticket in the line');
      const peer = await teresa.claim(ticketId);
      await waitForVerifiedChat(phone);

      // Offline while Teresa hands her to the Ebano line: she sees neither chat:requeued nor chat:ended.
      await context.setOffline(true);
      await expect.poll(() => phone.getByTestId('connection-state').getAttribute('data-state'), { timeout: 15_000 }).toBe('reconnecting');
      expect(await teresa.transfer(peer.chatId, { association: 'ebano' })).toEqual({ kind: 'requeued', association: 'ebano' });
      await context.setOffline(false);

      // Back online: the resume says she waits for Ebano; her page sends fresh keys and accepts Elena.
      await waitFor(async () => (await lineOf(elena)).some((e) => e.ticketId === ticketId), 20_000, 'in the Ebano line');
      const taken = await elena.claim(ticketId);
      await taken.send('Sono Elena, di Ebano.');
      await expect.poll(() => phone.getByTestId('message').filter({ hasText: 'Sono Elena' }).count(), { timeout: 10_000 }).toBe(1);
      expect(await phone.getByTestId('verified').textContent()).toContain('Elena');
      expect(await phone.getByTestId('verified').textContent()).toContain('Ebano');
    } finally {
      teresa.close();
      elena.close();
      await context.close();
    }
  });
});
