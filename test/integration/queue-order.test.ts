// The waiting-line engine on real redis-server and real nodes: urgency class before arrival, aging, language
// and association matching, refusals before waiting that store nothing, automatic assignment to the
// least-loaded counsellor, and bad input to `resident:rekey` and `counsellor:status`.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64Length, HANDSHAKE_NONCE_BYTES, KX_PUBLIC_KEY_BYTES, type ErrorCode, type Triage } from '../../protocol/index.ts';
import { DAYS, isOpen, parseOpeningHours } from '../../server/opening-hours.ts';
import type { ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { backdate, Cast, emitRaw, lineOf, refusal, residentState, takeNext } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

const TD = { association: 'telefono-donna' } as const;
const EB = { association: 'ebano' } as const;
const EITHER = { association: 'either' } as const;
/** Class 3: not in danger, can write safely. */
const CALM = { danger: 'no', canWrite: 'yes' } as const;

/** One cluster per describe block, configured by `env`; residents and counsellors are dismissed after each test. */
function clusterWith(env: Record<string, string>) {
  const s = {} as { cluster: TestCluster; cast: Cast };
  beforeAll(async () => {
    s.cluster = await startCluster({ env });
    s.cast = new Cast(s.cluster);
  });
  afterEach(async () => {
    await s.cast?.dismiss();
  });
  afterAll(async () => {
    await s.cluster?.close();
  });
  return s;
}

afterAll(async () => {
  await stopSharedRedis();
});

/** She is refused before waiting with `code`, is shown 1522 and 112, and nothing about her is stored. */
async function expectRefused(cluster: TestCluster, bot: ResidentBot, code: ErrorCode): Promise<void> {
  const before = await residentState(cluster);
  const err = await refusal(bot.join());
  expect(err.code).toBe(code);
  expect(err.message).toMatch(/\b1522\b/);
  expect(err.message).toMatch(/\b112\b/);
  expect(await residentState(cluster)).toEqual(before);
}

const ids = (entries: { ticketId: string }[]) => entries.map((e) => e.ticketId);

describe('line order and matching', () => {
  const s = clusterWith({});

  it('urgency class comes before arrival (triage: danger yes → 1; unsure or cannot write freely → 2; else 3), arrival within a class', async () => {
    const c = await s.cast.counsellor({ ...TD, capacity: 10 });
    const join = async (t: Pick<Triage, 'danger' | 'canWrite'>) => (await s.cast.waiting({ ...TD, ...t })).ticketId;
    const calmA = await join(CALM);
    const calmB = await join(CALM);
    const danger = await join({ danger: 'yes', canWrite: 'yes' }); // joins after two class-3 residents
    const unsure = await join({ danger: 'unsure', canWrite: 'yes' });
    const cannot = await join({ danger: 'no', canWrite: 'no' });
    const briefly = await join({ danger: 'no', canWrite: 'briefly' });
    const dangerMute = await join({ danger: 'yes', canWrite: 'no' });
    const expected = [
      [danger, 1],
      [dangerMute, 1],
      [unsure, 2],
      [cannot, 2],
      [briefly, 2],
      [calmA, 3],
      [calmB, 3],
    ];
    expect((await lineOf(c)).map((e) => [e.ticketId, e.urgency])).toEqual(expected);
    const taken: string[] = [];
    for (let i = 0; i < expected.length; i++) taken.push((await takeNext(c)).entry.ticketId);
    expect(taken).toEqual(expected.map(([id]) => id));
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
  });

  it('take-next skips a resident whose language the counsellor does not speak and takes the next one she does', async () => {
    const c = await s.cast.counsellor({ ...TD, languages: ['it'] });
    const arabic = await s.cast.waiting({ ...TD, ...CALM, language: 'ar' });
    const italian = await s.cast.waiting({ ...TD, ...CALM, language: 'it' });
    expect(ids(await lineOf(c))).toEqual([arabic.ticketId, italian.ticketId]);
    expect((await takeNext(c)).entry.ticketId).toBe(italian.ticketId);
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
    expect(ids(await lineOf(c))).toEqual([arabic.ticketId]);
  });

  it('after LANGUAGE_FALLBACK_SECONDS of waiting, a resident nobody speaks to can be taken by anyone', async () => {
    const c = await s.cast.counsellor({ ...TD, languages: ['it'] });
    const arabic = await s.cast.waiting({ ...TD, ...CALM, language: 'ar' });
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
    const fallbackMs = s.cluster.config.LANGUAGE_FALLBACK_SECONDS * 1000;
    expect(fallbackMs).toBeGreaterThan(0);
    // Just short of the fallback she is still kept for a counsellor who speaks Arabic...
    await backdate(s.cluster, arabic.ticketId, Date.now() - fallbackMs + 60_000);
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
    // ...just past it, anyone may take her.
    await backdate(s.cluster, arabic.ticketId, Date.now() - fallbackMs - 1_000);
    expect((await takeNext(c)).entry.ticketId).toBe(arabic.ticketId);
  });

  it('picking a specific resident ignores the counsellor’s languages', async () => {
    const c = await s.cast.counsellor({ ...TD, languages: ['it'] });
    const arabic = await s.cast.waiting({ ...TD, ...CALM, language: 'ar' });
    expect((await refusal(takeNext(c))).code).toBe('NOTHING_WAITING');
    const claim = await takeNext(c, arabic.ticketId);
    expect(claim.entry.ticketId).toBe(arabic.ticketId);
    expect(claim.entry.language).toBe('ar');
    // The full flow works too: the handshake completes for the resident.
    await c.answer(claim);
    await arabic.bot.waitForChat();
  });

  it('a counsellor takes her own association’s residents and “either” ones (overflow), never the other association’s', async () => {
    const td = await s.cast.counsellor(TD);
    const eb = await s.cast.counsellor(EB);
    const ebano = await s.cast.waiting({ ...EB, ...CALM });
    // Only an ebano resident waits: nothing for telefono-donna, and picking her by id is forbidden.
    expect((await refusal(takeNext(td))).code).toBe('NOTHING_WAITING');
    expect((await refusal(takeNext(td, ebano.ticketId))).code).toBe('FORBIDDEN');
    expect(ids(await lineOf(eb))).toEqual([ebano.ticketId]);

    const telefono = await s.cast.waiting({ ...TD, ...CALM });
    const either = await s.cast.waiting({ ...EITHER, ...CALM });
    // Each association's list shows only its own residents and those who accept either, in line order.
    expect(ids(await lineOf(td))).toEqual([telefono.ticketId, either.ticketId]);
    expect(ids(await lineOf(eb))).toEqual([ebano.ticketId, either.ticketId]);
    expect((await refusal(takeNext(eb, telefono.ticketId))).code).toBe('FORBIDDEN');

    expect((await takeNext(td)).entry.ticketId).toBe(telefono.ticketId);
    expect((await takeNext(td)).entry.ticketId).toBe(either.ticketId);
    expect((await refusal(takeNext(td))).code).toBe('NOTHING_WAITING');
    expect((await takeNext(eb)).entry.ticketId).toBe(ebano.ticketId);
  });

  const key = () => randomBytes(KX_PUBLIC_KEY_BYTES).toString('base64url');
  const nonce = () => randomBytes(HANDSHAKE_NONCE_BYTES).toString('base64url');

  it('resident:rekey: bad key lengths are BAD_REQUEST, a resident who was not requeued gets WRONG_STATE, and nothing changes', async () => {
    const c = await s.cast.counsellor(TD);
    const stranger = s.cast.resident(TD);
    expect(await emitRaw(stranger.socket, 'resident:rekey', { kxPublicKey: key(), nonce: nonce() })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });

    const { bot, ticketId } = await s.cast.waiting({ ...TD, ...CALM });
    const ticketKey = s.cast.keys.ticket(ticketId);
    const before = { state: await residentState(s.cluster), score: await s.cluster.redis.zScore(s.cast.keys.line(), ticketId) };
    const kxLen = b64Length(KX_PUBLIC_KEY_BYTES);
    const nonceLen = b64Length(HANDSHAKE_NONCE_BYTES);
    const bad: unknown[] = [
      { kxPublicKey: 'A'.repeat(kxLen - 1), nonce: nonce() },
      { kxPublicKey: 'A'.repeat(kxLen + 1), nonce: nonce() },
      { kxPublicKey: key(), nonce: 'A'.repeat(nonceLen - 1) },
      { kxPublicKey: key(), nonce: 'A'.repeat(nonceLen + 1) },
      { kxPublicKey: '+'.repeat(kxLen), nonce: nonce() },
      { kxPublicKey: '', nonce: '' },
      { kxPublicKey: key() },
      { kxPublicKey: key(), nonce: nonce(), extra: 1 },
      null,
    ];
    for (const payload of bad) {
      const res = await emitRaw(bot.socket, 'resident:rekey', payload);
      expect(res, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!res.ok) expect(res.error.message).toContain('resident:rekey');
    }
    // Well-formed keys, but she is waiting, not requeued.
    expect(await emitRaw(bot.socket, 'resident:rekey', { kxPublicKey: key(), nonce: nonce() })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_STATE' },
    });
    expect({ state: await residentState(s.cluster), score: await s.cluster.redis.zScore(s.cast.keys.line(), ticketId) }).toEqual(before);

    // In a chat she is not requeued either: refused, and she stays with her counsellor.
    const claim = await takeNext(c);
    expect(claim.entry.ticketId).toBe(ticketId);
    const kxBefore = await s.cluster.redis.hGet(ticketKey, 'kx');
    expect(await emitRaw(bot.socket, 'resident:rekey', { kxPublicKey: key(), nonce: nonce() })).toMatchObject({
      ok: false,
      error: { code: 'WRONG_STATE' },
    });
    expect(await s.cluster.redis.hmGet(ticketKey, ['state', 'kx', 'chat'])).toEqual(['assigned', kxBefore, claim.chatId]);
    expect(await s.cluster.redis.zScore(s.cast.keys.line(), ticketId)).toBeNull();
  });

  it('counsellor:status: an unknown availability is BAD_REQUEST, a resident sending it is FORBIDDEN, and nothing changes', async () => {
    const c = await s.cast.counsellor(TD);
    const shiftKey = s.cast.keys.counsellorShift(c.id);
    const before = await residentState(s.cluster);
    expect(await s.cluster.redis.hGet(shiftKey, 'availability')).toBe('available');
    for (const payload of [
      { availability: 'busy' },
      { availability: 'AWAY' },
      { availability: '' },
      { availability: 1 },
      {},
      { availability: 'away', extra: 1 },
      'away',
      null,
    ]) {
      const res = await emitRaw(c.socket, 'counsellor:status', payload);
      expect(res, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
      if (!res.ok) expect(res.error.message).toContain('counsellor:status');
    }
    const resident = s.cast.resident(TD);
    expect(await emitRaw(resident.socket, 'counsellor:status', { availability: 'away' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await residentState(s.cluster)).toEqual(before);
    expect(await s.cluster.redis.hGet(shiftKey, 'availability')).toBe('available');
    // She is still available as far as admission is concerned.
    await resident.join();
  });
});

describe('aging', () => {
  const s = clusterWith({ AGING_SECONDS: '10', AGING_CHECK_SECONDS: '1' });

  it('a class-3 resident who waited past AGING_SECONDS is promoted to class 2 and taken before a class-2 resident who joined after her', async () => {
    const c = await s.cast.counsellor(TD);
    const old = await s.cast.waiting({ ...TD, ...CALM });
    const recent = await s.cast.waiting({ ...TD, ...CALM });
    const unsure = await s.cast.waiting({ ...TD, danger: 'unsure', canWrite: 'yes' });
    const urgencies = async () => (await lineOf(c)).map((e) => [e.ticketId, e.urgency]);
    expect(await urgencies()).toEqual([
      [unsure.ticketId, 2],
      [old.ticketId, 3],
      [recent.ticketId, 3],
    ]);
    // Real time would take AGING_SECONDS; make her older instead (one interval and a bit, not two).
    const agingMs = s.cluster.config.AGING_SECONDS * 1000;
    await backdate(s.cluster, old.ticketId, Date.now() - agingMs - 2_000);
    await waitFor(async () => (await lineOf(c)).find((e) => e.ticketId === old.ticketId)?.urgency === 2, 4_000, 'aging job promotes her');
    expect(await urgencies()).toEqual([
      [old.ticketId, 2],
      [unsure.ticketId, 2],
      [recent.ticketId, 3],
    ]);
    expect((await takeNext(c)).entry.ticketId).toBe(old.ticketId);
    expect((await takeNext(c)).entry.ticketId).toBe(unsure.ticketId);
  });
});

describe('refusals before waiting', () => {
  const s = clusterWith({ MAX_LINE_LENGTH: '2' });

  it('with no counsellor connected every resident is refused NOBODY_ON_SHIFT, and nothing is stored', async () => {
    for (const a of [TD, EB, EITHER]) await expectRefused(s.cluster, s.cast.resident({ ...a, danger: 'yes' }), 'NOBODY_ON_SHIFT');
  });

  it('the only counsellor of an association away or gone: NOBODY_ON_SHIFT for it; back available: admitted', async () => {
    const td = await s.cast.counsellor(TD);
    await expectRefused(s.cluster, s.cast.resident(EB), 'NOBODY_ON_SHIFT');
    await td.setAvailability('away');
    await expectRefused(s.cluster, s.cast.resident(TD), 'NOBODY_ON_SHIFT');
    await expectRefused(s.cluster, s.cast.resident(EITHER), 'NOBODY_ON_SHIFT');
    await td.setAvailability('available');
    const admitted = await s.cast.waiting(TD);
    await admitted.bot.leave('abandon');
    await s.cast.disconnect(td);
    await expectRefused(s.cluster, s.cast.resident(TD), 'NOBODY_ON_SHIFT');
  });

  it('a full line refuses QUEUE_FULL per association; the other association and “either” residents are admitted while there is room', async () => {
    await s.cast.counsellor(TD);
    await s.cast.counsellor(EB);
    const td1 = await s.cast.waiting({ ...TD, ...CALM });
    const td2 = await s.cast.waiting({ ...TD, ...CALM });
    await expectRefused(s.cluster, s.cast.resident({ ...TD, danger: 'yes' }), 'QUEUE_FULL');
    await s.cast.waiting({ ...EB, ...CALM });
    // telefono-donna is full, ebano has room: she may wait for ebano. She now counts against both lines.
    const either = await s.cast.waiting({ ...EITHER, ...CALM });
    await expectRefused(s.cluster, s.cast.resident(EITHER), 'QUEUE_FULL');
    await expectRefused(s.cluster, s.cast.resident(EB), 'QUEUE_FULL');
    // One telefono-donna resident leaves, but the "either" resident still fills her place.
    await td1.bot.leave('abandon');
    await expectRefused(s.cluster, s.cast.resident(TD), 'QUEUE_FULL');
    await td2.bot.leave('abandon');
    const td3 = await s.cast.waiting({ ...TD, ...CALM });
    expect(await s.cluster.redis.zScore(s.cast.keys.line(), td3.ticketId)).not.toBeNull();
    expect(await s.cluster.redis.zScore(s.cast.keys.line(), either.ticketId)).not.toBeNull();
  });

  it('queue:list shows each association every resident it may take, even while the other association’s line is full', async () => {
    const td = await s.cast.counsellor(TD);
    const eb = await s.cast.counsellor(EB);
    const td1 = await s.cast.waiting({ ...TD, ...CALM });
    const td2 = await s.cast.waiting({ ...TD, ...CALM });
    const ebano = await s.cast.waiting({ ...EB, ...CALM });
    const either = await s.cast.waiting({ ...EITHER, ...CALM });
    // Three wait for telefono-donna and two for ebano, all well within the line's bounds (2 + "either").
    expect({ 'telefono-donna': ids(await lineOf(td)), ebano: ids(await lineOf(eb)) }).toEqual({
      'telefono-donna': [td1.ticketId, td2.ticketId, either.ticketId],
      ebano: [ebano.ticketId, either.ticketId],
    });
  });
});

describe('the line after a requeue', () => {
  const s = clusterWith({ MAX_LINE_LENGTH: '1', COUNSELLOR_GRACE_SECONDS: '1' });

  it('queue:list still shows each association every resident it may take after a requeued resident re-enters a full line', async () => {
    const leaving = await s.cast.counsellor(TD);
    const staying = await s.cast.counsellor(TD);
    const eb = await s.cast.counsellor(EB);
    const first = await s.cast.waiting({ ...TD, ...CALM });
    const claim = await takeNext(leaving);
    expect(claim.entry.ticketId).toBe(first.ticketId);
    // Both lines fill up again behind her.
    const second = await s.cast.waiting({ ...TD, ...CALM });
    const ebano = await s.cast.waiting({ ...EB, ...CALM });
    // Her counsellor vanishes: after the grace period she is requeued, sends fresh keys and re-enters the line
    // at the front of her class (she was admitted once; she is not refused now).
    await s.cast.disconnect(leaving);
    await waitFor(
      async () => (await s.cluster.redis.zScore(s.cast.keys.line(), first.ticketId)) !== null,
      8_000,
      'requeued resident back in the line',
    );
    expect(first.bot.requeues).toEqual([{ chatId: claim.chatId, reason: 'counsellor-gone' }]);
    expect({ 'telefono-donna': ids(await lineOf(staying)), ebano: ids(await lineOf(eb)) }).toEqual({
      'telefono-donna': [first.ticketId, second.ticketId],
      ebano: [ebano.ticketId],
    });
  });
});

// Rome wall-clock weekday, `offset` days from today.
const romeDay = (offset: number) => {
  const today = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Rome', weekday: 'short' }).format(Date.now()).toLowerCase();
  return DAYS[(DAYS.indexOf(today as (typeof DAYS)[number]) + offset) % 7]!;
};
// Whole days, so neither flips while the tests run (even across midnight): open today and the next five days;
// closed today and tomorrow, open the four days after.
const OPEN_NOW = `${romeDay(0)}-${romeDay(5)} 00:00-24:00`;
const CLOSED_NOW = `${romeDay(2)}-${romeDay(5)} 00:00-24:00`;

describe('opening hours: ebano closed, telefono-donna open by its rules', () => {
  const s = clusterWith({ OPENING_HOURS_EBANO: 'closed', OPENING_HOURS_TELEFONO_DONNA: OPEN_NOW });

  it('an ebano resident is refused CLOSED_HOURS while “either” and telefono-donna residents are admitted, both associations staffed', async () => {
    const td = await s.cast.counsellor(TD);
    await s.cast.counsellor(EB);
    await expectRefused(s.cluster, s.cast.resident({ ...EB, danger: 'yes' }), 'CLOSED_HOURS');
    const either = await s.cast.waiting(EITHER);
    const telefono = await s.cast.waiting(TD);
    expect(ids(await lineOf(td))).toEqual([either.ticketId, telefono.ticketId]);
  });
});

describe('opening hours: a spec that is closed right now', () => {
  const s = clusterWith({ OPENING_HOURS_EBANO: CLOSED_NOW, OPENING_HOURS_TELEFONO_DONNA: 'closed' });

  it('every resident is refused CLOSED_HOURS while no association she accepts is open, though counsellors are on shift', async () => {
    const spec = parseOpeningHours(CLOSED_NOW);
    expect(isOpen(spec, Date.now())).toBe(false);
    expect(isOpen(spec, Date.now() + 3 * 86_400_000)).toBe(true);
    await s.cast.counsellor(TD);
    await s.cast.counsellor(EB);
    for (const a of [EB, EITHER, TD]) await expectRefused(s.cluster, s.cast.resident({ ...a, danger: 'yes' }), 'CLOSED_HOURS');
  });
});

describe('automatic assignment', () => {
  const s = clusterWith({ ASSIGNMENT_EBANO: 'auto' });

  it('a new ebano resident goes to the less loaded ebano counsellor and the handshake completes; telefono-donna stays manual', async () => {
    const td = await s.cast.counsellor(TD);
    const e1 = await s.cast.counsellor({ ...EB, capacity: 2 });
    const e2 = await s.cast.counsellor({ ...EB, capacity: 2 });
    const telefono = await s.cast.waiting({ ...TD, ...CALM });
    const total = () => e1.assigned.length + e2.assigned.length;

    // The first one goes to either (both idle); she now has one chat.
    const r1 = await s.cast.waiting({ ...EB, ...CALM });
    await waitFor(() => total() === 1, 5_000, 'first assignment');
    await r1.bot.waitForChat();
    const [busy, idle] = e1.assigned.length === 1 ? [e1, e2] : [e2, e1];
    expect(busy.assigned[0]!.entry.ticketId).toBe(r1.ticketId);

    const r2 = await s.cast.waiting({ ...EB, ...CALM });
    await waitFor(() => total() === 2, 5_000, 'second assignment');
    await r2.bot.waitForChat();
    expect(idle.assigned.map((a) => a.entry.ticketId)).toEqual([r2.ticketId]);

    // The second one ends her chat: she is the less loaded again, so she gets the next one (not alternation).
    await idle.end(idle.assigned[0]!.chatId);
    await waitFor(async () => (await s.cluster.redis.sCard(s.cast.keys.load(idle.id))) === 0, 5_000, 'load released');
    const r3 = await s.cast.waiting({ ...EB, ...CALM });
    await waitFor(() => total() === 3, 5_000, 'third assignment');
    await r3.bot.waitForChat();
    expect(idle.assigned.map((a) => a.entry.ticketId)).toEqual([r2.ticketId, r3.ticketId]);
    expect(busy.assigned.map((a) => a.entry.ticketId)).toEqual([r1.ticketId]);

    // Every flush since ran the assigner with the telefono-donna resident in the line: she is still waiting.
    expect(td.assigned).toEqual([]);
    expect(ids(await lineOf(td))).toEqual([telefono.ticketId]);
    expect(await s.cluster.redis.hGet(s.cast.keys.ticket(telefono.ticketId), 'state')).toBe('waiting');
  });
});
