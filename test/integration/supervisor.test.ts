// The supervisor's powers and their limits, on two real nodes with real Redis: she manages only her own
// association; she can never read a chat, a ciphertext or the line (each attempt refused and audited); the
// counsellor's ability to take chats follows invite → enrol → certify → disable → enable → revoke; a resident
// refuses a revoked counsellor even when a compromised server lets her work; policy changes are audited and
// invalid ones refused with a message; the audit log she reads is her association's only.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  certificateToWire,
  fromB64,
  generateSigningKeyPair,
  issueCertificate,
  signRevocationList,
  sodiumReady,
  toB64,
} from '../../crypto/index.ts';
import { derivePasswordKeys, sumoReady, wrapSecret } from '../../crypto/keywrap.ts';
import type {
  Association,
  AuditEntry,
  EnrolStartResponse,
  RevocationListData,
  TeamMember,
  WireCertificateData,
} from '../../protocol/index.ts';
import { Authenticator, registerAuthenticator } from '../sim/authenticator.ts';
import { CounsellorBot, login, ResidentBot, DEFAULT_TRIAGE } from '../sim/bots.ts';
import { AckError, call } from '../sim/chat-peer.ts';
import { startCluster, stopSharedRedis, TEST_PASSWORD, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let supTd: Socket;
let supEb: Socket;
const opened: Socket[] = [];

async function connect(url: string, token?: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], auth: token ? { token } : {}, reconnection: false, forceNew: true });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function supervisor(username: string, association: Association, node = 0): Promise<Socket> {
  await cluster.addCounsellor({ username, association, role: 'supervisor' });
  const { login: l } = await login(cluster.urls[node]!, username, TEST_PASSWORD);
  return connect(cluster.urls[node]!, l.token);
}

async function refused(p: Promise<unknown>): Promise<AckError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AckError);
  return err as AckError;
}

async function auditOf(s: Socket, count = 100): Promise<AuditEntry[]> {
  return (await call<{ entries: AuditEntry[] }>(s, 'supervisor:audit', { count })).entries;
}

async function team(s: Socket): Promise<{ members: TeamMember[]; revocations: RevocationListData | null }> {
  return call(s, 'supervisor:team', {});
}

function cert(association: Association, m: TeamMember, secretKeyB64: string, days = 90): WireCertificateData {
  const now = Date.now();
  const c = issueCertificate(
    {
      version: 1,
      association,
      counsellorId: m.id,
      alias: m.alias,
      identityPublicKey: fromB64(m.identityPublicKey, 32),
      issuedAt: now,
      expiresAt: now + days * 86_400_000,
    },
    fromB64(secretKeyB64, 64),
  );
  return { ...certificateToWire(c), association } as WireCertificateData;
}

/** The console's enrolment, in Node: her keys are made here, the server gets only public and wrapped ones. */
async function enrol(link: string, password: string): Promise<{ username: string; authenticator: Authenticator }> {
  const token = new URL(link).hash.replace(/^#invite=/, '');
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${cluster.urls[0]}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const s = (await post('/api/enrol/start', { invite: token })) as unknown as EnrolStartResponse;
  const keys = derivePasswordKeys(password, s.kdf);
  const identity = generateSigningKeyPair();
  const authenticator = new Authenticator(s.totp.secret);
  const finish = await post('/api/enrol/finish', {
    invite: token,
    authKey: toB64(keys.authKey),
    identityPublicKey: toB64(identity.publicKey),
    wrappedIdentityKey: wrapSecret(identity.secretKey, keys.wrapKey, `identity:${s.accountId}`),
    totpCode: authenticator.next(),
  });
  // More than two sign-ins inside 30 s: the authenticator falls back on her recovery codes, as she would.
  authenticator.addRecoveryCodes(finish.recoveryCodes as string[]);
  registerAuthenticator(s.username, authenticator);
  return { username: s.username, authenticator };
}

beforeAll(async () => {
  await Promise.all([sodiumReady(), sumoReady()]);
  cluster = await startCluster({ nodes: 2, env: { COUNSELLOR_GRACE_SECONDS: '1' } });
  supTd = await supervisor('sup-td', 'telefono-donna', 0);
  supEb = await supervisor('sup-eb', 'ebano', 1);
});

afterAll(async () => {
  for (const s of opened) s.close();
  await cluster?.close();
  await stopSharedRedis();
});

describe('a supervisor sees no chat, no ciphertext and no resident', () => {
  it('every chat and line event is FORBIDDEN with a clear message, and each attempt is audited', async () => {
    const chatId = 'A'.repeat(22);
    const attempts: [string, unknown][] = [
      ['queue:list', {}],
      ['queue:claim', {}],
      ['counsellor:chats', {}],
      ['chat:sync', { chatId, from: 0 }],
      ['chat:read', { chatId, seq: 0 }],
      ['chat:end', { chatId }],
      ['chat:handshake', { chatId, kxPublicKey: 'A'.repeat(43), signature: 'A'.repeat(86) }],
      ['counsellor:colleagues', {}],
      ['resident:join', { triage: DEFAULT_TRIAGE, kxPublicKey: 'A'.repeat(43), nonce: 'A'.repeat(43) }],
    ];
    for (const [event, payload] of attempts) {
      const err = await refused(call(supTd, event, payload));
      expect(err.code, event).toBe('FORBIDDEN');
      expect(err.message, event).toMatch(/Supervisors see no chats/);
    }
    await waitFor(
      async () => (await auditOf(supTd)).filter((e) => e.action === 'forbidden').length >= attempts.length,
      5_000,
      'forbidden attempts audited',
    );
    const outcomes = (await auditOf(supTd)).filter((e) => e.action === 'forbidden').map((e) => e.outcome);
    for (const [event] of attempts) expect(outcomes).toContain(event);
  });

  it('a counsellor asking for the board or the team is FORBIDDEN, audited in her association', async () => {
    await cluster.addCounsellor({ username: 'td-curious', association: 'telefono-donna' });
    const bot = await CounsellorBot.connect(cluster.urls[0]!, 'td-curious', TEST_PASSWORD);
    try {
      for (const event of ['supervisor:watch', 'supervisor:team', 'supervisor:audit']) {
        const err = await refused(call(bot.socket, event, event === 'supervisor:audit' ? { count: 5 } : {}));
        expect(err.code).toBe('FORBIDDEN');
      }
      await waitFor(async () => (await auditOf(supTd)).some((e) => e.action === 'forbidden' && e.actor === 'td-curious'), 5_000, 'audited');
    } finally {
      bot.close();
    }
  });

  it('the board snapshot and the charts carry counts only: no resident or chat id', async () => {
    const c = await cluster.addCounsellor({ username: 'td-board', association: 'telefono-donna' });
    const bot = await CounsellorBot.connect(cluster.urls[1]!, c.username, TEST_PASSWORD);
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, { ...DEFAULT_TRIAGE, association: 'telefono-donna' });
    try {
      const { ticketId } = await resident.join();
      const watched = await call<{ snapshot: { waiting: { total: number } } | null }>(supTd, 'supervisor:watch', {});
      const snapshots: unknown[] = [];
      supTd.on('board:snapshot', (s: unknown) => snapshots.push(s));
      await waitFor(() => snapshots.length > 0, 5_000, 'a pushed snapshot');
      const aggregates = await call(supTd, 'supervisor:aggregates', { granularity: 'hour', count: 3 });
      const levels = await call(supTd, 'supervisor:levels', { hours: 1 });
      const everything = JSON.stringify([watched, snapshots, aggregates, levels]);
      expect(everything).not.toContain(ticketId);
      expect(everything).not.toContain(c.id);
      expect(watched.snapshot?.waiting.total).toBeGreaterThanOrEqual(1);
    } finally {
      supTd.off('board:snapshot');
      await resident.leave('abandon').catch(() => undefined);
      resident.close();
      bot.close();
    }
  });
});

describe('she manages only her own association', () => {
  it('team lists only her association; acting on another association’s counsellor is FORBIDDEN and audited', async () => {
    const eb = await cluster.addCounsellor({ username: 'eb-other', association: 'ebano' });
    const tdTeam = await team(supTd);
    expect(tdTeam.members.every((m) => m.username !== 'eb-other')).toBe(true);
    expect(tdTeam.members.some((m) => m.username === 'sup-td')).toBe(true);
    for (const [event, payload] of [
      ['supervisor:member-status', { counsellorId: eb.id, status: 'disabled' }],
      ['supervisor:member-profile', { counsellorId: eb.id, capacity: 1 }],
      ['supervisor:reset-2fa', { counsellorId: eb.id }],
    ] as const) {
      const err = await refused(call(supTd, event, payload));
      expect(err.code).toBe('FORBIDDEN');
    }
    const rec = await cluster.nodes[0]!.ctx.accounts.counsellor(eb.id);
    expect(rec).toMatchObject({ status: 'active', capacity: 3 });
    expect((await auditOf(supTd)).filter((e) => e.action === 'forbidden' && e.target === 'eb-other')).toHaveLength(3);
    // The ebano supervisor's log has none of telefono-donna's entries, and the other way round.
    expect((await auditOf(supEb)).some((e) => e.actor === 'sup-td')).toBe(false);
  });

  it('a certificate signed with another association’s key, or for another account, is refused', async () => {
    const c = await cluster.addCounsellor({ username: 'td-pending', association: 'telefono-donna', certify: false });
    const m = (await team(supTd)).members.find((x) => x.id === c.id)!;
    expect(m.certificate).toBeNull();
    const wrongKey = await refused(
      call(supTd, 'supervisor:certify', {
        counsellorId: c.id,
        certificate: { ...cert('telefono-donna', m, cluster.keys.ebano.secretKey) },
      }),
    );
    expect(wrongKey.message).toMatch(/does not verify/);
    const other = (await team(supTd)).members.find((x) => x.username === 'sup-td')!;
    const mismatch = await refused(
      call(supTd, 'supervisor:certify', {
        counsellorId: c.id,
        certificate: cert('telefono-donna', other, cluster.keys['telefono-donna'].secretKey),
      }),
    );
    expect(mismatch.message).toMatch(/does not match this account/);
    const tooLong = await refused(
      call(supTd, 'supervisor:certify', {
        counsellorId: c.id,
        certificate: cert('telefono-donna', m, cluster.keys['telefono-donna'].secretKey, 400),
      }),
    );
    expect(tooLong.message).toMatch(/90 days/);
    expect((await cluster.nodes[0]!.ctx.accounts.counsellor(c.id))?.certificate).toBeNull();
  });
});

describe('invite, enrol, certify, disable, enable, revoke', () => {
  it('her ability to take chats follows each step, and a resident refuses her once revoked', async () => {
    const tdKey = cluster.keys['telefono-donna'].secretKey;
    const invite = await call<{ link: string }>(supTd, 'supervisor:invite', {
      username: 'td-new',
      alias: 'Nadia',
      role: 'counsellor',
      capacity: 2,
      languages: ['it'],
    });
    expect(invite.link).toMatch(/\/console#invite=[A-Za-z0-9_-]{43}$/);
    const password = 'a long enough password';
    await enrol(invite.link, password);

    // Enrolled, not certified: she signs in but cannot take a chat.
    let bot = await CounsellorBot.connect(cluster.urls[1]!, 'td-new', password);
    const resident1 = new ResidentBot(cluster.urls[0]!, cluster.pins, { ...DEFAULT_TRIAGE, association: 'telefono-donna' });
    await resident1.join();
    expect((await refused(call(bot.socket, 'queue:claim', {}))).code).toBe('NOT_CERTIFIED');

    // Certified in the supervisor's browser: she takes the resident and they talk.
    const m = (await team(supTd)).members.find((x) => x.username === 'td-new')!;
    await call(supTd, 'supervisor:certify', { counsellorId: m.id, certificate: cert('telefono-donna', m, tdKey) });
    bot.close();
    bot = await CounsellorBot.connect(cluster.urls[1]!, 'td-new', password);
    await bot.claim();
    await resident1.waitForChat();

    // Disabled: her connection closes at once, she cannot sign in, her resident goes back to the line.
    await call(supTd, 'supervisor:member-status', { counsellorId: m.id, status: 'disabled' });
    await waitFor(() => !bot.socket.connected, 5_000, 'disabled counsellor disconnected');
    await waitFor(() => resident1.requeues.length === 1, 5_000, 'her resident requeued');
    await expect(login(cluster.urls[0]!, 'td-new', password)).rejects.toThrow(/403/);

    // Enabled again: she signs in and takes chats again.
    await call(supTd, 'supervisor:member-status', { counsellorId: m.id, status: 'active' });
    bot = await CounsellorBot.connect(cluster.urls[0]!, 'td-new', password);
    // Her resident's fresh keys put her back in the line first (the page rekeys on `chat:requeued`).
    await waitFor(
      async () => (await cluster.redis.zScore(`${cluster.config.KEY_PREFIX}line`, resident1.ticket!.ticketId)) !== null,
      5_000,
      'back in line',
    );
    await bot.claim();
    await resident1.waitForChat();
    await resident1.leave('ended').catch(() => undefined);

    // Revoked with a list signed by the association key: disabled and uncertified, residents refuse her.
    const list = signRevocationList({ association: 'telefono-donna', issuedAt: Date.now(), revoked: [m.id] }, fromB64(tdKey, 64));
    await call(supTd, 'supervisor:revoke', { counsellorId: m.id, list });
    await waitFor(() => !bot.socket.connected, 5_000, 'revoked counsellor disconnected');
    const after = await team(supTd);
    expect(after.members.find((x) => x.id === m.id)).toMatchObject({ status: 'disabled', certificate: null, revoked: true });
    expect(after.revocations?.revoked).toEqual([m.id]);
    // Certifying her again is refused: a revoked identity key is gone for good.
    const again = await refused(call(supTd, 'supervisor:certify', { counsellorId: m.id, certificate: cert('telefono-donna', m, tdKey) }));
    expect(again.code).toBe('WRONG_STATE');

    // A compromised server lets her work anyway (account re-enabled and certificate restored behind the supervisors'
    // backs): the resident's page checks the association's signed list and refuses the handshake.
    await cluster.nodes[0]!.ctx.accounts.updateCounsellor(m.id, { status: 'active', certificate: cert('telefono-donna', m, tdKey) });
    bot = await CounsellorBot.connect(cluster.urls[0]!, 'td-new', password);
    const resident2 = new ResidentBot(cluster.urls[1]!, cluster.pins, { ...DEFAULT_TRIAGE, association: 'telefono-donna' });
    await resident2.join();
    await call(bot.socket, 'queue:claim', {}).then((claim) => bot.answer(claim as never));
    await expect(resident2.waitForChat(5_000)).rejects.toThrow(/revoked/);
    bot.close();
    await resident2.leave('abandon').catch(() => undefined);
    resident2.close();
    resident1.close();

    // A list that drops someone, or an older one, is refused.
    const someoneElse = (await team(supTd)).members.find((x) => x.username === 'sup-td')!;
    const dropping = signRevocationList(
      { association: 'telefono-donna', issuedAt: Date.now() + 1, revoked: [someoneElse.id] },
      fromB64(tdKey, 64),
    );
    const err = await refused(call(supTd, 'supervisor:revoke', { counsellorId: someoneElse.id, list: dropping }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/keep everyone revoked before/);
    const older = signRevocationList({ association: 'telefono-donna', issuedAt: list.issuedAt - 1, revoked: [m.id] }, fromB64(tdKey, 64));
    expect((await refused(call(supTd, 'supervisor:revoke', { counsellorId: m.id, list: older }))).code).toBe('CONFLICT');

    const actions = (await auditOf(supTd)).map((e) => `${e.actor}:${e.action}:${e.target ?? ''}`);
    for (const a of [
      'sup-td:invitation-created:td-new',
      'sup-td:counsellor-certified:td-new',
      'sup-td:account-disabled:td-new',
      'sup-td:account-enabled:td-new',
      'sup-td:counsellor-revoked:td-new',
    ]) {
      expect(actions).toContain(a);
    }
  });

  it('reset of the second factor: the old authenticator stops working, the new one works, her sessions end', async () => {
    const c = await cluster.addCounsellor({ username: 'td-lostphone', association: 'telefono-donna' });
    const bot = await CounsellorBot.connect(cluster.urls[0]!, c.username, TEST_PASSWORD);
    const reset = await call<{ totp: { secret: string; uri: string }; recoveryCodes: string[] }>(supTd, 'supervisor:reset-2fa', {
      counsellorId: c.id,
    });
    expect(reset.recoveryCodes).toHaveLength(10);
    expect(reset.totp.uri).toMatch(/^otpauth:\/\/totp\//);
    await waitFor(() => !bot.socket.connected, 5_000, 'her sessions end');
    await expect(login(cluster.urls[0]!, c.username, TEST_PASSWORD, new Authenticator(c.totpSecret))).rejects.toThrow(/401/);
    const fresh = new Authenticator(reset.totp.secret);
    const ok = await login(cluster.urls[0]!, c.username, TEST_PASSWORD, fresh);
    expect(ok.login.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('policy through the supervisor', () => {
  it('an invalid value is refused with a message naming the field; a valid one applies and is audited', async () => {
    const err = await refused(call(supEb, 'supervisor:policy-set', { patch: { maxLineLength: 0 } }));
    expect(err.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/maxLineLength/);
    const hours = await refused(call(supEb, 'supervisor:policy-set', { patch: { openingHours: 'someday' } }));
    expect(hours.message).toMatch(/openingHours/);
    const view = await call<{ policy: { noReplySeconds: number } }>(supEb, 'supervisor:policy-set', { patch: { noReplySeconds: 240 } });
    expect(view.policy.noReplySeconds).toBe(240);
    expect((await cluster.nodes[0]!.ctx.policy.get('ebano')).noReplySeconds).toBe(240);
    expect((await cluster.nodes[0]!.ctx.policy.get('telefono-donna')).noReplySeconds).not.toBe(240);
    const log = (await auditOf(supEb)).map((e) => `${e.action}:${e.outcome ?? ''}`);
    expect(log).toContain('policy-changed:noReplySeconds');
    expect(log).toContain('policy-refused:maxLineLength');
    const canned = await call<{ cannedReplies: Record<string, unknown[]> }>(supEb, 'supervisor:canned-set', {
      replies: { it: [{ title: 'Sicurezza', text: 'Puoi scrivere ora in sicurezza?' }] },
    });
    expect(canned.cannedReplies.it).toHaveLength(1);
  });
});
