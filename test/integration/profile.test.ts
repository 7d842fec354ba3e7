// counsellor:profile: a counsellor sets her languages and capacity for the shift. Bad values are refused with a
// clear error and change nothing; the association's cap holds; the account and the live shift entry change
// together, so take-next and automatic assignment use the new values for the very next resident.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../server/accounts/account-store.ts';
import { PolicyStore, policyDefaults } from '../../store/policy.ts';
import type { CounsellorCannedReplies, CounsellorShiftProfile } from '../../protocol/index.ts';
import { call } from '../sim/chat-peer.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { Cast, emitRaw, refusal, takeNext } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';
import type { CounsellorBot } from '../sim/bots.ts';

let cluster: TestCluster;
let cast: Cast;
let accounts: AccountStore;

const CAP = 3;

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 1,
    env: { MAX_CAPACITY_PER_COUNSELLOR: String(CAP), ASSIGNMENT_EBANO: 'auto', COUNSELLOR_EVENTS_PER_SECOND: '1000' },
  });
  cast = new Cast(cluster);
  accounts = new AccountStore(cluster.store, cluster.config.STORE_PREFIX);
});
afterEach(() => cast.dismiss());
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

const profile = (c: CounsellorBot, change: Record<string, unknown>) => call<CounsellorShiftProfile>(c.socket, 'counsellor:profile', change);

async function shiftEntry(counsellorId: string): Promise<Record<string, string>> {
  return cluster.redis.hGetAll(cast.keys.counsellorShift(counsellorId));
}

describe('counsellor:profile', () => {
  it('reads her profile and the cap with an empty change', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna', capacity: 2, languages: ['it', 'en'] });
    expect(await profile(c, {})).toEqual({ languages: ['it', 'en'], capacity: 2, maxCapacity: CAP });
  });

  it('refuses malformed values and a capacity above the cap with a clear error, and changes nothing', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna', capacity: 2, languages: ['it'] });
    const before = await accounts.counsellor(c.id);
    const shiftBefore = await shiftEntry(c.id);
    const bad: unknown[] = [
      { languages: [] },
      { languages: ['it', 'it'] },
      { languages: ['klingon'] },
      { capacity: 0 },
      { capacity: 1.5 },
      { capacity: '2' },
      { capacity: 99 },
      { alias: 'Someone else' },
      'capacity=3',
    ];
    for (const payload of bad) {
      const res = await emitRaw(c.socket, 'counsellor:profile', payload);
      expect(res, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!res.ok) expect(res.error.message).toContain('counsellor:profile');
    }
    const over = await refusal(profile(c, { capacity: CAP + 1, languages: ['it', 'ar'] }));
    expect(over.code).toBe('BAD_REQUEST');
    expect(over.message).toContain(`at most ${CAP}`);
    expect(await accounts.counsellor(c.id)).toEqual(before);
    expect(await shiftEntry(c.id)).toEqual(shiftBefore);
  });

  it('saves on the account and on the live shift, and writes an audit entry without values', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna', capacity: 1, languages: ['it'] });
    expect(await profile(c, { capacity: CAP, languages: ['ar', 'fr'] })).toEqual({
      languages: ['ar', 'fr'],
      capacity: CAP,
      maxCapacity: CAP,
    });
    const rec = await accounts.counsellor(c.id);
    expect(rec).toMatchObject({ capacity: CAP, languages: ['ar', 'fr'] });
    expect(await shiftEntry(c.id)).toMatchObject({ capacity: String(CAP), languages: 'ar,fr' });
    // A partial change keeps the other field.
    expect(await profile(c, { capacity: 2 })).toEqual({ languages: ['ar', 'fr'], capacity: 2, maxCapacity: CAP });
    const audit = (await accounts.auditEntries(20)).filter((e) => e.action === 'profile-changed' && e.target === rec!.username);
    expect(audit.map((e) => e.outcome)).toEqual(['capacity', 'capacity,languages']);
  });

  it('take-next uses her new languages at once', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna', capacity: 2, languages: ['it'] });
    await cast.waiting({ language: 'ar', association: 'telefono-donna' });
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
    await profile(c, { languages: ['it', 'ar'] });
    const claim = await takeNext(c);
    expect(claim.entry.language).toBe('ar');
  });

  it('automatic assignment uses her new languages at once (the live shift entry)', async () => {
    const c = await cast.counsellor({ association: 'ebano', capacity: 2, languages: ['it'] });
    c.autoAnswer = false;
    const { ticketId } = await cast.waiting({ language: 'zh', association: 'ebano' });
    // Nobody speaks Chinese: she stays in the line (the language fallback is minutes away).
    await new Promise((r) => setTimeout(r, 500));
    expect(c.assigned).toEqual([]);
    await profile(c, { languages: ['it', 'zh'] });
    await waitFor(() => c.assigned.length === 1, 5_000, 'assigned after adding Chinese');
    expect(c.assigned[0]!.entry.ticketId).toBe(ticketId);
  });

  it('a capacity below her current chats is allowed: she keeps them and cannot take anyone new', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna', capacity: 2, languages: ['it'] });
    const a = await cast.waiting({ association: 'telefono-donna' });
    const b = await cast.waiting({ association: 'telefono-donna' });
    const peerA = await c.claim(a.ticketId);
    await c.claim(b.ticketId);
    await profile(c, { capacity: 1 });
    await cast.waiting({ association: 'telefono-donna' });
    expect((await refusal(takeNext(c))).code).toBe('AT_CAPACITY');
    // Her chats go on.
    const rPeer = await a.bot.waitForChat();
    await peerA.send('still here');
    await waitFor(() => rPeer.received.length === 1, 5_000, 'message after lowering capacity');
    await profile(c, { capacity: 3 });
    expect((await takeNext(c)).chatId).toBeTruthy();
  });

  it("the cap and the canned replies follow her association's policy as its supervisors change it", async () => {
    const policies = new PolicyStore(cluster.store, cluster.config.STORE_PREFIX, policyDefaults(cluster.config));
    const c = await cast.counsellor({ association: 'ebano', capacity: 1, languages: ['it'] });
    expect((await profile(c, {})).maxCapacity).toBe(CAP);
    await policies.set('ebano', { maxCapacity: 2 }, Date.now());
    expect((await profile(c, {})).maxCapacity).toBe(2);
    const over = await refusal(profile(c, { capacity: 3 }));
    expect(over.message).toContain('at most 2');
    expect((await profile(c, { capacity: 2 })).capacity).toBe(2);

    expect(await call<CounsellorCannedReplies>(c.socket, 'counsellor:canned', {})).toEqual({ replies: {} });
    const replies = { it: [{ title: 'Benvenuta', text: 'Ciao, sono qui per te.' }] };
    await policies.setCannedReplies('ebano', replies, Date.now());
    expect(await call<CounsellorCannedReplies>(c.socket, 'counsellor:canned', {})).toEqual({ replies });
    await policies.setCannedReplies('ebano', {}, Date.now());
  });
});
