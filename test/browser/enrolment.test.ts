// Enrolment in real Chromium: the invitation link opens the console's enrolment screen and leaves the address
// bar at once; she sees the QR code and the manual key, enters a code (computed here from the key she sees, as
// her authenticator app would), gets her recovery codes once, signs in with password and code, changes her
// password in the account dialog and signs in with the new one. The identity key is made in the browser.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromB64, sodiumReady, toB64 } from '../../crypto/index.ts';
import { derivePasswordKeys, sumoReady, unwrapSecret } from '../../crypto/keywrap.ts';
import { AccountStore } from '../../server/accounts/account-store.ts';
import { createInvitation } from '../../server/accounts/enrolment.ts';
import { Authenticator } from '../sim/authenticator.ts';
import { launchBrowser } from '../support/browser.ts';
import type { TestCluster } from '../support/cluster.ts';
import { DESKTOP, startResidentServer, stopAll } from '../support/resident-page.ts';

let cluster: TestCluster;
let browser: Browser;

beforeAll(async () => {
  await Promise.all([sodiumReady(), sumoReady()]);
  cluster = await startResidentServer();
  browser = await launchBrowser();
}, 120_000);
afterAll(() => stopAll({ browser, cluster }));

async function signIn(page: Page, username: string | null, password: string, code: string): Promise<void> {
  if (username !== null) await page.getByTestId('username').fill(username);
  await page.getByTestId('password').fill(password);
  await page.getByTestId('totp').fill(code);
  await page.getByTestId('login').click();
}

describe('console enrolment', () => {
  it('enrols from the invitation link with a QR code and manual key, shows the recovery codes once, then signs in with password and code', async () => {
    const url = cluster.urls[0]!;
    const accounts = new AccountStore(cluster.store, cluster.config.STORE_PREFIX);
    const inv = await createInvitation(accounts, {
      username: 'hana',
      alias: 'Hana',
      association: 'telefono-donna',
      role: 'counsellor',
      capacity: 2,
      languages: ['it', 'ar'],
      createdBy: 'test',
      now: Date.now(),
    });
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    try {
      await page.goto(`${url}/console#invite=${inv.token}`);
      await expect.poll(() => page.getByTestId('enrol-username').textContent(), { timeout: 15_000 }).toBe('hana');
      // The token left the address bar at once and never went into a request line.
      expect(page.url()).toMatch(new RegExp(`^${url}/console/?$`));
      expect(requests.filter((r) => r.includes(inv.token))).toEqual([]);
      expect(await page.getByTestId('enrol-who').textContent()).toContain('Telefono Donna');

      // QR code (inline SVG, drawn here) and the manual key her app would take.
      const qr = page.getByTestId('totp-qr');
      await expect.poll(() => qr.isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await qr.evaluate((el) => el.tagName.toLowerCase())).toBe('svg');
      expect(await qr.getAttribute('aria-label')).toContain('hana');
      const shownKey = (await page.getByTestId('totp-secret').textContent()) ?? '';
      expect(shownKey).toMatch(/^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/);
      const phone = new Authenticator(shownKey.replace(/\s+/g, ''));

      // A short password is refused before anything is sent.
      const password = 'hana chooses a long password';
      await page.getByTestId('enrol-password').fill('too short');
      await page.getByTestId('enrol-confirm').fill('too short');
      await page.getByTestId('enrol-code').fill(phone.current());
      await page.getByTestId('enrol-submit').click();
      expect(await page.getByTestId('enrol-error').textContent()).toMatch(/at least 12 characters/);

      await page.getByTestId('enrol-password').fill(password);
      await page.getByTestId('enrol-confirm').fill(password);
      await page.getByTestId('enrol-code').fill(phone.next());
      await page.getByTestId('enrol-submit').click();

      const codes = page.getByTestId('recovery-codes').locator('li');
      await expect.poll(() => codes.count(), { timeout: 20_000 }).toBe(10);
      const recoveryCodes = (await codes.allTextContents()).map((c) => c.trim());
      for (const c of recoveryCodes) expect(c).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(await page.getByTestId('enrol-done').isDisabled()).toBe(true);
      await page.getByTestId('codes-saved').check();
      await page.getByTestId('enrol-done').click();

      // The server holds her public key and her secret key sealed under her password: her password opens it.
      const rec = (await accounts.counsellorByUsername('hana'))!;
      expect(rec.certificate).toBeNull();
      const identity = unwrapSecret(rec.wrappedIdentityKey, derivePasswordKeys(password, rec.kdf).wrapKey, `identity:${rec.id}`);
      expect(toB64(identity.subarray(32))).toBe(rec.identityPublicKey);
      expect(fromB64(rec.identityPublicKey)).toHaveLength(32);

      // Sign-in: her username is filled in; the enrolment code cannot be used again, the next one can.
      expect(await page.getByTestId('username').inputValue()).toBe('hana');
      expect(await page.getByTestId('login-notice').textContent()).toMatch(/account is ready/);
      await signIn(page, null, password, phone.next());
      await expect
        .poll(() => page.getByTestId('not-certified').textContent(), { timeout: 20_000 })
        .toBe('Your key is waiting for certification by your association; you cannot take chats yet.');
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('online');

      // Password change in the account dialog: re-wrapped in the browser, the same key under the new password.
      const newPassword = 'and now a different passphrase';
      await page.getByTestId('account').click();
      await page.getByTestId('current-password').fill(password);
      await page.getByTestId('new-password').fill(newPassword);
      await page.getByTestId('new-password-confirm').fill(newPassword);
      await page.getByTestId('password-totp').fill(recoveryCodes[0]!);
      await page.getByTestId('change-password').click();
      await expect.poll(() => page.getByTestId('password-result').textContent(), { timeout: 20_000 }).toMatch(/^Password changed\./);
      const after = (await accounts.counsellorByUsername('hana'))!;
      expect(after.identityPublicKey).toBe(rec.identityPublicKey);
      expect(toB64(unwrapSecret(after.wrappedIdentityKey, derivePasswordKeys(newPassword, after.kdf).wrapKey, `identity:${rec.id}`))).toBe(
        toB64(identity),
      );
      await page.getByTestId('close-account').click();
      await page.getByTestId('logout').click();

      // The old password no longer signs in; the new one does (with a recovery code: both steps of this 30 s are used).
      await signIn(page, 'hana', password, recoveryCodes[1]!);
      await expect.poll(() => page.getByTestId('login-error').textContent(), { timeout: 20_000 }).toBe('Wrong username, password or code.');
      await signIn(page, null, newPassword, recoveryCodes[1]!);
      await expect.poll(() => page.getByTestId('connection-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('online');

      // Nothing about her account is left in the browser's storage.
      const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
      expect(storage).toEqual({ local: 0, session: 0, cookie: '' });
    } finally {
      await context.close();
    }
  });

  it('an invitation link that is not valid says so, and the token still leaves the address bar', async () => {
    const context = await browser.newContext(DESKTOP);
    const page = await context.newPage();
    try {
      await page.goto(`${cluster.urls[0]}/console#invite=${'A'.repeat(43)}`);
      await expect.poll(() => page.getByTestId('enrol-error').textContent(), { timeout: 15_000 }).toMatch(/not valid/);
      expect(page.url()).toMatch(new RegExp(`^${cluster.urls[0]}/console/?$`));
    } finally {
      await context.close();
    }
  });
});
