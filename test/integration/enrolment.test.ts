// Enrolment by invitation, sign-in with a second factor, key custody, password change and the API's CSRF wall,
// against a real server and real durable Redis. The browser is simulated in Node with the same libsodium code
// the console runs: the identity key is generated and wrapped here, never by the server.
import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromB64, generateSigningKeyPair, sodiumReady, toB64 } from '../../crypto/index.ts';
import { derivePasswordKeys, sumoReady, unwrapSecret, wrapSecret, type KdfParams } from '../../crypto/keywrap.ts';
import type { EnrolStartResponse } from '../../protocol/index.ts';
import { AccountStore, hashSessionToken } from '../../server/accounts/account-store.ts';
import { createInvitation, hashInviteToken, invitationLink } from '../../server/accounts/enrolment.ts';
import { base32Decode, hotp } from '../../server/accounts/totp.ts';
import { certify } from '../../server/admin/provision.ts';
import { Authenticator, registerAuthenticator } from '../sim/authenticator.ts';
import { CounsellorBot, login } from '../sim/bots.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let accounts: AccountStore;
let url: string;

beforeAll(async () => {
  await Promise.all([sodiumReady(), sumoReady()]);
  cluster = await startCluster({ nodes: 1 });
  accounts = new AccountStore(cluster.store, cluster.config.STORE_PREFIX);
  url = cluster.urls[0]!;
});

afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

interface Reply {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Headers;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}, base = url): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply['body']) : {}, headers: res.headers };
}

async function invite(username: string, extra: { role?: 'counsellor' | 'supervisor'; now?: number; ttlMs?: number } = {}) {
  return createInvitation(accounts, {
    username,
    alias: username.charAt(0).toUpperCase() + username.slice(1),
    association: 'ebano',
    role: extra.role ?? 'counsellor',
    capacity: 2,
    languages: ['it', 'ar'],
    createdBy: 'test',
    now: extra.now ?? Date.now(),
    ttlMs: extra.ttlMs,
  });
}

/** What the console's enrolment screen does, in Node: keys derived and identity generated on "her device". */
async function enrolAsBrowser(token: string, password: string) {
  const start = await post('/api/enrol/start', { invite: token });
  expect(start.status).toBe(200);
  const s = start.body as unknown as EnrolStartResponse;
  const keys = derivePasswordKeys(password, s.kdf);
  const identity = generateSigningKeyPair();
  const wrappedIdentityKey = wrapSecret(identity.secretKey, keys.wrapKey, `identity:${s.accountId}`);
  const authenticator = new Authenticator(s.totp.secret);
  const finish = await post('/api/enrol/finish', {
    invite: token,
    authKey: toB64(keys.authKey),
    identityPublicKey: toB64(identity.publicKey),
    wrappedIdentityKey,
    totpCode: authenticator.next(),
  });
  expect(finish.status).toBe(200);
  const recoveryCodes = finish.body.recoveryCodes as string[];
  // As in test/support/cluster.ts: the first five are the test's own, the authenticator falls back on the rest.
  authenticator.addRecoveryCodes(recoveryCodes.slice(5));
  registerAuthenticator(s.username, authenticator);
  return { start: s, recoveryCodes, identity, keys, authenticator };
}

/** A 6-digit code that matches none of the steps the server accepts now. */
function wrongCode(secret: string): string {
  const step = Math.floor(Date.now() / 30_000);
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => hotp(base32Decode(secret), step + d)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

async function loginReply(username: string, password: string, totp: string): Promise<Reply> {
  const { kdf } = (await post('/api/auth/params', { username })).body as { kdf: KdfParams };
  const { authKey, wrapKey } = derivePasswordKeys(password, kdf);
  wrapKey.fill(0);
  return post('/api/auth/login', { username, authKey: toB64(authKey), totp });
}

/**
 * Everything in the durable store of this cluster except the audit streams (global and per association) and the sign-in throttle's failure
 * counts, which failed attempts are meant to change.
 */
async function durableState(): Promise<string[]> {
  const rows = await scanKeys(cluster.store, cluster.config.STORE_PREFIX);
  return rows
    .filter((r) => !/:audit(:[a-z-]+)?$/.test(r.key) && !r.key.includes(':lock:'))
    .map((r) => {
      // Set members come back in no fixed order.
      const value: unknown = JSON.parse(r.value);
      return `${r.key}=${Array.isArray(value) ? JSON.stringify([...(value as string[])].sort()) : r.value}`;
    })
    .sort();
}

async function auditActions(actor: string): Promise<string[]> {
  return (await accounts.auditEntries(500))
    .filter((e) => e.actor === actor)
    .map((e) => (e.outcome ? `${e.action}:${e.outcome}` : e.action!));
}

function connectWithToken(token: string) {
  const socket = io(url, { transports: ['websocket'], auth: { token }, reconnection: false, forceNew: true });
  return new Promise<typeof socket>((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

describe('enrolment by invitation', () => {
  it('she enrols with a key made on her device and signs in with password and TOTP; the key stays uncertified until certified', async () => {
    const inv = await invite('nadia');
    expect(invitationLink('https://helpdesk.example/', inv.token)).toBe(`https://helpdesk.example/console#invite=${inv.token}`);
    expect(inv.expiresAt - Date.now()).toBeGreaterThan(71 * 3_600_000);
    expect(inv.expiresAt - Date.now()).toBeLessThanOrEqual(72 * 3_600_000);

    // Opening the link twice gives the same enrolment, so a reload does not invalidate her authenticator entry.
    const first = (await post('/api/enrol/start', { invite: inv.token })).body as unknown as EnrolStartResponse;
    const again = (await post('/api/enrol/start', { invite: inv.token })).body as unknown as EnrolStartResponse;
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      username: 'nadia',
      alias: 'Nadia',
      association: 'ebano',
      role: 'counsellor',
      kdf: { alg: 'argon2id13', opsLimit: 2, memLimit: 67_108_864 },
    });
    expect(fromB64(first.kdf.salt)).toHaveLength(16);
    expect(base32Decode(first.totp.secret)).toHaveLength(20);
    expect(first.totp.uri).toBe(
      `otpauth://totp/Helpdesk:nadia?secret=${first.totp.secret}&issuer=Helpdesk&algorithm=SHA1&digits=6&period=30`,
    );

    const password = 'a long password of hers';
    const e = await enrolAsBrowser(inv.token, password);
    expect(e.start.accountId).toBe(first.accountId);
    expect(e.recoveryCodes).toHaveLength(10);
    expect(new Set(e.recoveryCodes).size).toBe(10);
    for (const code of e.recoveryCodes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);

    const rec = await accounts.counsellorByUsername('nadia');
    expect(rec).toMatchObject({
      id: first.accountId,
      role: 'counsellor',
      status: 'active',
      certificate: null,
      capacity: 2,
      languages: ['it', 'ar'],
    });
    expect(rec!.identityPublicKey).toBe(toB64(e.identity.publicKey));

    // Sign-in: her browser unwraps the very key it generated.
    const l = await login(url, 'nadia', password);
    expect(l.login.counsellor).toMatchObject({ id: first.accountId, username: 'nadia', role: 'counsellor' });
    expect(l.login.certificate).toBeNull();
    expect(toB64(l.identitySecretKey)).toBe(toB64(e.identity.secretKey));

    // Uncertified: signed in, but every claim is refused.
    const bot = await CounsellorBot.connect(url, 'nadia', password);
    await expect(bot.claim()).rejects.toMatchObject({ code: 'NOT_CERTIFIED' });
    bot.close();
    await accounts.updateCounsellor(rec!.id, { certificate: certify(rec!, cluster.keys.ebano, Date.now()) });
    const certified = await login(url, 'nadia', password, e.recoveryCodes[0]);
    expect(certified.login.certificate).not.toBeNull();

    expect(await auditActions('nadia')).toEqual(
      expect.arrayContaining(['enrolment-started', 'counsellor-enrolled:certificate-pending', 'login:totp', 'login:recovery-code']),
    );
    expect(
      (await accounts.auditEntries(500)).some((x) => x.action === 'invitation-created' && x.target === 'nadia' && x.actor === 'test'),
    ).toBe(true);
  });

  it('the durable store holds neither her password, nor her wrapping key, nor anything that unwraps her identity key without the password', async () => {
    const inv = await invite('olivia');
    const password = 'olivia password 2024!';
    const e = await enrolAsBrowser(inv.token, password);
    const rows = await scanKeys(cluster.store, '');
    const dump = rows.map((r) => `${r.key}=${r.value}`).join('\n');
    const forbidden = {
      password,
      wrapKey: toB64(e.keys.wrapKey),
      authKey: toB64(e.keys.authKey),
      identitySecretKey: toB64(e.identity.secretKey),
      identitySeed: toB64(e.identity.secretKey.subarray(0, 32)),
      inviteToken: inv.token,
      ...Object.fromEntries(e.recoveryCodes.map((c, i) => [`recovery${i}`, c])),
    };
    for (const [what, secret] of Object.entries(forbidden)) expect(dump.includes(secret), what).toBe(false);
    // Only the SHA-256 of the token names the invitation, and the used invitation kept no TOTP secret.
    const tomb = await cluster.store.hGetAll(`${cluster.config.STORE_PREFIX}invite:${hashInviteToken(inv.token)}`);
    expect(tomb).toMatchObject({ status: 'used', username: 'olivia' });
    expect(tomb.enrolment).toBeUndefined();

    // Every 32-byte value anywhere in the store, tried as a wrapping key: none opens her identity key.
    const rec = (await accounts.counsellorByUsername('olivia'))!;
    const candidates = new Set<string>();
    for (const m of dump.matchAll(/[A-Za-z0-9_-]{43}/g)) candidates.add(m[0]);
    expect(candidates.size).toBeGreaterThan(5);
    for (const candidate of candidates) {
      let key: Uint8Array;
      try {
        key = fromB64(candidate, 32);
      } catch {
        continue;
      }
      expect(() => unwrapSecret(rec.wrappedIdentityKey, key, `identity:${rec.id}`)).toThrow();
    }
    // Her password (and nothing less) does.
    expect(toB64(unwrapSecret(rec.wrappedIdentityKey, derivePasswordKeys(password, rec.kdf).wrapKey, `identity:${rec.id}`))).toBe(
      toB64(e.identity.secretKey),
    );
  });

  it('a used, expired, replaced or unknown invitation, a wrong code and bad input get clear errors and change nothing', async () => {
    const used = await invite('paola');
    await enrolAsBrowser(used.token, 'paola password 1234');
    let r = await post('/api/enrol/start', { invite: used.token });
    expect(r).toMatchObject({ status: 410, body: { error: { code: 'INVITATION_USED' } } });

    const expired = await invite('rita', { now: Date.now() - 3_000, ttlMs: 1_000 });
    r = await post('/api/enrol/start', { invite: expired.token });
    expect(r).toMatchObject({ status: 410, body: { error: { code: 'INVITATION_EXPIRED' } } });

    r = await post('/api/enrol/start', { invite: randomBytes(32).toString('base64url') });
    expect(r).toMatchObject({ status: 404, body: { error: { code: 'INVITATION_UNKNOWN' } } });
    r = await post('/api/enrol/start', { invite: 'not-a-token' });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'INVITATION_UNKNOWN' } } });

    // A second invitation for the same username replaces the first.
    const old = await invite('sara');
    const current = await invite('sara');
    expect(current.replaced).toBe(true);
    expect((await post('/api/enrol/start', { invite: old.token })).body.error?.code).toBe('INVITATION_UNKNOWN');

    // Nobody can be invited under a username that has an account.
    await expect(invite('paola')).rejects.toMatchObject({ code: 'USERNAME_TAKEN' });

    // Finishing with a wrong code, a malformed body, or before starting: refused, nothing written.
    const s = (await post('/api/enrol/start', { invite: current.token })).body as unknown as EnrolStartResponse;
    const keys = derivePasswordKeys('sara password 1234', s.kdf);
    const identity = generateSigningKeyPair();
    const good = {
      invite: current.token,
      authKey: toB64(keys.authKey),
      identityPublicKey: toB64(identity.publicKey),
      wrappedIdentityKey: wrapSecret(identity.secretKey, keys.wrapKey, `identity:${s.accountId}`),
      totpCode: new Authenticator(s.totp.secret).next(),
    };
    const before = await durableState();
    r = await post('/api/enrol/finish', { ...good, totpCode: wrongCode(s.totp.secret) });
    expect(r).toMatchObject({ status: 400, body: { error: { code: 'WRONG_CODE' } } });
    r = await post('/api/enrol/finish', { ...good, identityPublicKey: 'short' });
    expect(r).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining('identityPublicKey') } },
    });
    r = await post('/api/enrol/finish', {
      ...good,
      wrappedIdentityKey: { nonce: good.wrappedIdentityKey.nonce, ciphertext: 'A'.repeat(200) },
    });
    expect(r.body.error?.code).toBe('BAD_REQUEST');
    r = await post('/api/enrol/finish', { ...good, extra: 1 });
    expect(r.body.error?.code).toBe('BAD_REQUEST');
    r = await post('/api/enrol/finish', { ...good, invite: expired.token });
    expect(r).toMatchObject({ status: 410, body: { error: { code: 'INVITATION_EXPIRED' } } });
    expect(await durableState()).toEqual(before);
    expect(await auditActions('sara')).toContain('enrolment-failed:bad-code');

    r = await post('/api/enrol/finish', good);
    expect(r.status).toBe(200);
    r = await post('/api/enrol/finish', good);
    expect(r).toMatchObject({ status: 410, body: { error: { code: 'INVITATION_USED' } } });
  });

  it('a supervisor is invited as such and signs in with that role; records from before roles are counsellors', async () => {
    const inv = await invite('teresa', { role: 'supervisor' });
    const e = await enrolAsBrowser(inv.token, 'teresa password 1234');
    expect(e.start.role).toBe('supervisor');
    expect((await login(url, 'teresa', 'teresa password 1234')).login.counsellor.role).toBe('supervisor');
    const c = await cluster.addCounsellor({ username: 'ursula', association: 'ebano' });
    await cluster.store.hDel(`${cluster.config.STORE_PREFIX}counsellor:${c.id}`, 'role');
    expect((await login(url, 'ursula', c.password)).login.counsellor.role).toBe('counsellor');
  });
});

describe('sign-in with a second factor', () => {
  it('a wrong password, a wrong code and a reused code all get the same answer; each is audited with its reason', async () => {
    const c = await cluster.addCounsellor({ username: 'vera', association: 'telefono-donna' });
    const wrongPassword = await loginReply('vera', 'not her password at all', c.authenticator.next());
    const wrongTotp = await loginReply('vera', c.password, wrongCode(c.totpSecret));
    const unknownUser = await loginReply('nobody-at-all', 'whatever password', '123456');
    for (const r of [wrongPassword, wrongTotp, unknownUser]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: 'Wrong username, password or code.' } });
    }
    // The code sent with the wrong password was not used up: the right password with it signs in.
    const code = c.authenticator.current();
    const ok = await loginReply('vera', c.password, code);
    expect(ok.status).toBe(200);
    // The same code again: refused, even with the right password (RFC 6238 section 5.2).
    const replay = await loginReply('vera', c.password, code);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual(wrongPassword.body);
    // Malformed second factors are bad input, not a guess.
    for (const totp of ['12345', 'abc', '1234567', ''])
      expect((await loginReply('vera', c.password, totp)).body.error?.code).toBe('BAD_REQUEST');
    expect((await post('/api/auth/login', { username: 'vera', authKey: 'A'.repeat(43) })).body.error?.code).toBe('BAD_REQUEST');
    expect(await auditActions('vera')).toEqual(
      expect.arrayContaining(['login-failed:bad-password', 'login-failed:bad-code', 'login-failed:reused-code', 'login:totp']),
    );
  });

  it('a recovery code signs in once, in any case and with or without its dash', async () => {
    const c = await cluster.addCounsellor({ username: 'wanda', association: 'telefono-donna' });
    const [first, second] = c.recoveryCodes;
    expect((await loginReply('wanda', c.password, first!)).status).toBe(200);
    expect((await loginReply('wanda', c.password, first!)).status).toBe(401);
    expect((await loginReply('wanda', c.password, second!.replace('-', '').toUpperCase())).status).toBe(200);
    expect((await loginReply('wanda', c.password, second!)).status).toBe(401);
    expect(await accounts.recoveryCodesLeft(c.id)).toBe(8);
    // Another account's recovery code is nothing here.
    const other = await cluster.addCounsellor({ username: 'xenia', association: 'ebano' });
    expect((await loginReply('wanda', c.password, other.recoveryCodes[0]!)).status).toBe(401);
  });

  it('wrong codes count towards the lockout, which backs off and holds even against the right password and code', async () => {
    const c = await cluster.addCounsellor({ username: 'yara', association: 'ebano' });
    for (let i = 0; i < 5; i++) expect((await loginReply('yara', c.password, wrongCode(c.totpSecret))).status).toBe(401);
    let r = await loginReply('yara', c.password, c.authenticator.next());
    expect(r).toMatchObject({ status: 429, body: { error: { code: 'LOCKED_OUT' } } });
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(25);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    // Let the first lock run out (by moving it into the past), then fail once more: the next lock is twice as long.
    const lockKey = `${cluster.config.STORE_PREFIX}lock:yara`;
    await cluster.store.hSet(lockKey, 'lockedUntil', String(Date.now() - 1));
    expect((await loginReply('yara', c.password, wrongCode(c.totpSecret))).status).toBe(401);
    r = await loginReply('yara', c.password, c.authenticator.next());
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(55);
    expect(Number(r.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    await cluster.store.hSet(lockKey, 'lockedUntil', String(Date.now() - 1));
    // Once the lock has passed, the right password and a fresh code get in and reset the count.
    expect((await loginReply('yara', c.password, c.recoveryCodes[0]!)).status).toBe(200);
    expect(await cluster.store.exists(lockKey)).toBe(0);
  });

  it('an idle session expires after SESSION_IDLE_SECONDS: the socket handshake and the API refuse its token', async () => {
    const short = await startCluster({ nodes: 1, env: { SESSION_IDLE_SECONDS: '2' } });
    try {
      const c = await short.addCounsellor({ username: 'zoe', association: 'ebano' });
      const { login: l, identitySecretKey } = await login(short.urls[0]!, 'zoe', c.password);
      identitySecretKey.fill(0);
      const key = `${short.config.STORE_PREFIX}sess:${hashSessionToken(l.token)}`;
      expect(await short.store.ttl(key)).toBeGreaterThan(0);
      expect(await short.store.ttl(key)).toBeLessThanOrEqual(2);
      const authed = (base: string) => post('/api/account/password', {}, { authorization: `Bearer ${l.token}` }, base);
      expect((await authed(short.urls[0]!)).status).toBe(400); // signed in: only the body is wrong
      await waitFor(async () => (await short.store.exists(key)) === 0, 6_000, 'session expiry');
      expect(await authed(short.urls[0]!)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
      const socket = io(short.urls[0]!, { transports: ['websocket'], auth: { token: l.token }, reconnection: false, forceNew: true });
      const refusal = await new Promise<{ data?: { code?: string } }>((resolve) => socket.once('connect_error', resolve));
      socket.close();
      expect(refusal.data?.code).toBe('UNAUTHENTICATED');
    } finally {
      await short.close();
    }
  });

  it('sign out everywhere ends every session of hers and closes their connections', async () => {
    const c = await cluster.addCounsellor({ username: 'alba', association: 'ebano' });
    const a = await login(url, 'alba', c.password);
    const b = await login(url, 'alba', c.password);
    const socket = await connectWithToken(b.login.token);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const r = await post('/api/auth/logout-everywhere', {}, { authorization: `Bearer ${a.login.token}` });
    expect(r.status).toBe(204);
    await closed;
    socket.close();
    await expect(connectWithToken(a.login.token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    expect(await auditActions('alba')).toContain('logout-everywhere');
  });
});

describe('password change', () => {
  it('re-wraps the same identity key under the new password, ends her other sessions, and the old password stops working', async () => {
    const c = await cluster.addCounsellor({ username: 'bruna', association: 'telefono-donna' });
    const here = await login(url, 'bruna', c.password);
    const elsewhere = await login(url, 'bruna', c.password);
    const hereSocket = await connectWithToken(here.login.token);
    const elsewhereSocket = await connectWithToken(elsewhere.login.token);
    const elsewhereClosed = new Promise((resolve) => elsewhereSocket.once('disconnect', resolve));
    const before = (await accounts.counsellorByUsername('bruna'))!;

    // Her browser: the old keys unwrap the stored key; the new ones, from a fresh salt, wrap it again.
    const oldKeys = derivePasswordKeys(c.password, before.kdf);
    const identity = unwrapSecret(here.login.wrappedIdentityKey, oldKeys.wrapKey, `identity:${c.id}`);
    const newPassword = 'a brand new passphrase';
    const newKdf = { alg: 'argon2id13' as const, opsLimit: 2, memLimit: 67_108_864, salt: toB64(randomBytes(16)) };
    const newKeys = derivePasswordKeys(newPassword, newKdf);
    const body = {
      currentAuthKey: toB64(oldKeys.authKey),
      totp: c.authenticator.next(),
      newAuthKey: toB64(newKeys.authKey),
      newKdf,
      newWrappedIdentityKey: wrapSecret(identity, newKeys.wrapKey, `identity:${c.id}`),
    };
    const auth = { authorization: `Bearer ${here.login.token}` };

    // Refusals first, none of which changes anything.
    const state = await durableState();
    expect(await post('/api/account/password', body)).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(await post('/api/account/password', { ...body, currentAuthKey: toB64(newKeys.authKey) }, auth)).toMatchObject({
      status: 401,
      body: { error: { code: 'INVALID_CREDENTIALS' } },
    });
    expect(await post('/api/account/password', { ...body, totp: wrongCode(c.totpSecret) }, auth)).toMatchObject({
      status: 401,
      body: { error: { code: 'INVALID_CREDENTIALS' } },
    });
    expect(await post('/api/account/password', { ...body, newKdf: { ...newKdf, salt: before.kdf.salt } }, auth)).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST' } },
    });
    expect(await post('/api/account/password', { ...body, newKdf: { ...newKdf, memLimit: 8 * 1024 * 1024 } }, auth)).toMatchObject({
      status: 400,
      body: { error: { code: 'BAD_REQUEST', message: expect.stringContaining('newKdf') } },
    });
    expect(await durableState()).toEqual(state);

    const r = await post('/api/account/password', body, auth);
    expect(r).toMatchObject({ status: 200, body: { otherSessionsEnded: 1 } });
    await elsewhereClosed;
    elsewhereSocket.close();
    await expect(connectWithToken(elsewhere.login.token)).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    // This session goes on.
    expect(hereSocket.connected).toBe(true);
    hereSocket.close();
    (await connectWithToken(here.login.token)).close();

    const after = (await accounts.counsellorByUsername('bruna'))!;
    expect(after.identityPublicKey).toBe(before.identityPublicKey);
    expect(after.certificate).toEqual(before.certificate);
    expect(after.kdf).toEqual(newKdf);
    expect(after.wrappedIdentityKey).not.toEqual(before.wrappedIdentityKey);
    expect(() => unwrapSecret(after.wrappedIdentityKey, oldKeys.wrapKey, `identity:${c.id}`)).toThrow();

    expect((await loginReply('bruna', c.password, c.authenticator.next())).body.error?.code).toBe('INVALID_CREDENTIALS');
    const fresh = await login(url, 'bruna', newPassword);
    expect(toB64(fresh.identitySecretKey)).toBe(toB64(identity));
    expect(await auditActions('bruna')).toEqual(
      expect.arrayContaining([
        'password-changed:1 other sessions ended',
        'password-change-failed:bad-password',
        'password-change-failed:bad-code',
      ]),
    );
  });
});

describe('CSRF defence in depth', () => {
  it('refuses state-changing API requests from another origin or site, or not sent as JSON, and they change nothing', async () => {
    const c = await cluster.addCounsellor({ username: 'carla', association: 'ebano' });
    const { kdf } = (await post('/api/auth/params', { username: 'carla' })).body as { kdf: KdfParams };
    const { authKey } = derivePasswordKeys(c.password, kdf);
    const body = JSON.stringify({ username: 'carla', authKey: toB64(authKey), totp: c.recoveryCodes[0] });
    const state = await durableState();

    const refusals: [Record<string, string>, RegExp][] = [
      [{ origin: 'https://evil.example' }, /origin/],
      [{ origin: 'null' }, /origin/],
      [{ 'sec-fetch-site': 'cross-site' }, /another site/],
      [{ 'sec-fetch-site': 'same-site' }, /another site/],
      [{ 'content-type': 'text/plain' }, /application\/json/],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, /application\/json/],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, /application\/json/],
    ];
    for (const [headers, message] of refusals) {
      const r = await post('/api/auth/login', body, headers);
      expect(r.status, JSON.stringify(headers)).toBe(403);
      expect(r.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(message) });
    }
    const bare = await fetch(`${url}/api/auth/login`, { method: 'POST', body: new Blob([body]) });
    expect(bare.status).toBe(403);
    for (const path of ['/api/enrol/start', '/api/enrol/finish', '/api/account/password', '/api/auth/logout', '/api/resident/leave']) {
      expect((await post(path, '{}', { origin: 'https://evil.example' })).status, path).toBe(403);
    }
    // None of them signed in, used the recovery code or wrote anything.
    expect(await durableState()).toEqual(state);

    // The same request from this origin, as her browser sends it, goes through; reads are not affected.
    const ok = await post('/api/auth/login', body, {
      origin: url,
      'sec-fetch-site': 'same-origin',
      'content-type': 'application/json; charset=utf-8',
    });
    expect(ok.status).toBe(200);
    expect((await fetch(`${url}/api/nothing`, { headers: { origin: 'https://evil.example' } })).status).toBe(404);
  });
});
