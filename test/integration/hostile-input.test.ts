// S6: every inbound socket event and HTTP body is validated at the edge. Bad input gets a clear error code,
// changes nothing in Redis, and never takes the server down.
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { b64Length, CIPHERTEXT_LENGTHS, type AckResult } from '../../protocol/index.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import type { BotSocket } from '../sim/chat-peer.ts';
import { isAnonymousCount } from '../support/queue-helpers.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let counsellor: CounsellorBot;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1, env: { MAX_LINE_LENGTH: '3' } });
  const c = await cluster.addCounsellor({ username: 'dora', association: 'telefono-donna' });
  counsellor = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
});
afterAll(async () => {
  counsellor?.close();
  await cluster?.close();
  await stopSharedRedis();
});

function raw(auth: Record<string, string> = {}): Promise<BotSocket> {
  const s: BotSocket = io(cluster.urls[0]!, { transports: ['websocket'], auth, forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function emitRaw(s: BotSocket, event: string, ...args: unknown[]): Promise<AckResult<unknown>> {
  return (s.timeout(5000) as unknown as { emitWithAck(e: string, ...a: unknown[]): Promise<AckResult<unknown>> }).emitWithAck(
    event,
    ...args,
  );
}

// Resident state only: BullMQ bookkeeping and the anonymous counts (a refusal is counted, by design) aside.
/** Resident state only: the anonymous counts (aggregates, board, minute samples) are meant to count a refusal. */
const snapshot = async () =>
  (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX))
    .filter((k) => !k.key.includes(':bull:') && !isAnonymousCount(cluster, k.key))
    .map((k) => `${k.key}=${k.value}`)
    .sort();

describe('hostile input', () => {
  it('malformed payloads on every resident and chat event: BAD_REQUEST with a message, and nothing changes', async () => {
    const s = await raw();
    const before = await snapshot();
    const cases: [string, unknown[]][] = [
      ['resident:join', [{}]],
      ['resident:join', [{ triage: { danger: 'yes' }, kxPublicKey: 'x', nonce: 'y' }]],
      ['resident:join', ['a string']],
      ['resident:join', [null]],
      ['resident:resume', [{ resumeToken: 42 }]],
      ['resident:leave', [{ reason: 'because' }]],
      ['chat:send', [{ chatId: 'x', seq: 'one', nonce: 'n', ciphertext: 'plaintext here' }]],
      ['chat:read', [{ chatId: 'A'.repeat(22), seq: -1 }]],
      ['chat:sync', [{ chatId: 'A'.repeat(22), from: 1e9 }]],
      ['chat:typing', [[]]],
      ['chat:end', [{ chatId: 'A'.repeat(22), outcome: 'nope' }]],
    ];
    for (const [event, args] of cases) {
      const res = await emitRaw(s, event, ...args);
      expect(res.ok, event).toBe(false);
      if (!res.ok) {
        expect(res.error.code, event).toBe('BAD_REQUEST');
        expect(res.error.message).toContain(event);
      }
    }
    expect(await snapshot()).toEqual(before);
    s.close();
  });

  it('a resident cannot use counsellor events, nor touch a chat that is not hers', async () => {
    const s = await raw();
    for (const event of ['queue:list', 'queue:claim', 'counsellor:chats']) {
      const res = await emitRaw(s, event, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // A real chat between someone else: the stranger can neither read, sync, send to, type in, nor end it.
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    const t = await resident.join();
    const cPeer = await counsellor.claim(t.ticketId);
    await resident.waitForChat();
    const stranger = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    await stranger.join();
    const chatId = cPeer.chatId;
    const payloads: [string, unknown][] = [
      ['chat:sync', { chatId, from: 0 }],
      ['chat:read', { chatId, seq: 0 }],
      ['chat:typing', { chatId }],
      ['chat:end', { chatId }],
      ['chat:send', { chatId, seq: 0, nonce: 'N'.repeat(b64Length(24)), ciphertext: 'C'.repeat(b64Length(CIPHERTEXT_LENGTHS[0]!)) }],
    ];
    for (const [event, p] of payloads) {
      const res = await emitRaw(stranger.socket, event, p);
      expect(res, event).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    await cPeer.send('still fine');
    await waitFor(() => resident.peer?.received.length === 1);
    await resident.leave('ended');
    await stranger.leave('abandon');
    resident.close();
    stranger.close();
  });

  it('unknown events get an answer; oversized frames close only that connection; the server keeps serving', async () => {
    const s = await raw();
    expect(await emitRaw(s, 'admin:dropDatabase', {})).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const big = await raw();
    const closed = new Promise((r) => big.once('disconnect', r));
    (big.emit as (e: string, p: unknown) => void)('chat:send', { chatId: 'A'.repeat(22), blob: 'x'.repeat(100_000) });
    await closed;
    const res = await fetch(`${cluster.urls[0]}/healthz`);
    expect(res.status).toBe(200);
    expect(await emitRaw(s, 'resident:leave', { reason: 'abandon' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    s.close();
  });

  it('a full line refuses plainly and stores nothing for the refused resident', async () => {
    const bots = [0, 1, 2].map(
      () =>
        new ResidentBot(cluster.urls[0]!, cluster.pins, {
          danger: 'no',
          canWrite: 'yes',
          topics: [],
          language: 'it',
          association: 'telefono-donna',
        }),
    );
    for (const b of bots) await b.join();
    const before = await snapshot();
    const extra = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'yes',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    await expect(extra.join()).rejects.toMatchObject({ code: 'QUEUE_FULL' });
    expect(await snapshot()).toEqual(before);
    for (const b of bots) {
      await b.leave('abandon');
      b.close();
    }
    extra.close();
  });

  it('a flood of events from one connection is rate limited', async () => {
    const s = await raw();
    const results = await Promise.all(Array.from({ length: 120 }, () => emitRaw(s, 'chat:typing', { chatId: 'A'.repeat(22) })));
    expect(results.filter((r) => !r.ok && r.error.code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    s.close();
  });

  it('a bad session token is refused at the handshake', async () => {
    await expect(raw({ token: 'A'.repeat(43) })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(raw({ token: 'not a token' })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
  });

  it('HTTP: bad JSON, oversized bodies, wrong credentials get clear errors', async () => {
    const post = (path: string, body: string) =>
      fetch(`${cluster.urls[0]}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    let r = await post('/api/auth/login', '{not json');
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    r = await post('/api/auth/login', JSON.stringify({ username: 'dora', authKey: 'x'.repeat(20_000) }));
    expect(r.status).toBe(413);
    expect(await r.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    r = await post('/api/auth/login', JSON.stringify({ username: 'dora', authKey: 'A'.repeat(43), totp: '000000' }));
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    r = await post('/api/auth/params', JSON.stringify({ username: 'nobody-here' }));
    expect(r.status).toBe(200);
    const decoy = (await r.json()) as { kdf: { salt: string } };
    const again = (await (await post('/api/auth/params', JSON.stringify({ username: 'nobody-here' }))).json()) as { kdf: { salt: string } };
    expect(again.kdf.salt).toBe(decoy.kdf.salt);
  });

  it('the quick-exit beacon ends the visit at once; a wrong or malformed token changes nothing', async () => {
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    const t = await resident.join();
    const cPeer = await counsellor.claim(t.ticketId);
    await resident.waitForChat();
    const beacon = (body: string) =>
      fetch(`${cluster.urls[0]}/api/resident/leave`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const before = await snapshot();
    expect((await beacon(JSON.stringify({ resumeToken: 'A'.repeat(43), reason: 'exit' }))).status).toBe(204);
    expect((await beacon(JSON.stringify({ resumeToken: t.resumeToken, reason: 'vanish' }))).status).toBe(400);
    expect(await snapshot()).toEqual(before);
    expect((await beacon(JSON.stringify({ resumeToken: t.resumeToken, reason: 'exit' }))).status).toBe(204);
    await waitFor(() => counsellor.ended.get(cPeer.chatId) === 'resident-exit');
    expect((await snapshot()).filter((k) => k.includes(t.ticketId) || k.includes(cPeer.chatId))).toEqual([]);
    resident.close();
  });

  it('signing out closes the open connections of that session and the token stops working', async () => {
    const c = await cluster.addCounsellor({ username: 'elsa', association: 'telefono-donna' });
    const bot = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
    const closed = new Promise((r) => bot.socket.once('disconnect', r));
    const res = await fetch(`${cluster.urls[0]}/api/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bot.session.token}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(204);
    await closed;
    await expect(raw({ token: bot.session.token })).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    bot.close();
  });

  it('repeated wrong passwords lock the account with a clear error and Retry-After; other accounts are unaffected', async () => {
    const c = await cluster.addCounsellor({ username: 'gina', association: 'telefono-donna' });
    const wrong = () =>
      fetch(`${cluster.urls[0]}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: c.username, authKey: 'B'.repeat(43), totp: '000000' }),
      });
    for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
    const locked = await wrong();
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { code: 'LOCKED_OUT' } });
    // Even the right password waits out the lock.
    await expect(CounsellorBot.connect(cluster.urls[0]!, c.username, c.password)).rejects.toThrow(/429/);
    // The address that failed is in no durable key or value.
    const durable = await scanKeys(cluster.store, '');
    expect(durable.filter((k) => k.key.includes('127.0.0.1') || k.value.includes('127.0.0.1'))).toEqual([]);
  });
});
