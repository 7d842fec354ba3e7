// Anonymous aggregates against real redis-servers: exact hourly counts and buckets, no double counting after a
// crash or a concurrent roll-up, hostile events refused with nothing written, and nothing finer than the hour
// or id-like anywhere in the durable store, its keys, values or append-only file (S2, S3).
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNodeRedisClient, Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  aggregateHashKey,
  bucketOf,
  HANDLE_BUCKETS,
  hourKey,
  InvalidAggregateError,
  readAggregates,
  recordAggregate,
  rollUp,
  WAIT_BUCKETS,
  type AggregateEvent,
} from '../../store/aggregates.ts';
import { keySpace, type KeySpace } from '../../store/keys.ts';
import { connectRedis, type Redis } from '../../store/redis.ts';
import { rollupProcessor } from '../../workers/rollup.ts';
import { scanKeys, sharedRedis, stopSharedRedis } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// Europe/Rome springs forward at 01:00Z on the last Sunday of March (local 02:xx does not exist) and falls back
// at 01:00Z on the last Sunday of October (local 02:xx happens twice). Stored hours are UTC, so each side
// keeps its own hash. Next year's dates, so the hashes' real expiry (hour + retention) is never already past.
const lastSundayUtc = (year: number, month: number) => {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay());
};
const YEAR = new Date().getUTCFullYear() + 1;
const SPRING_H0 = lastSundayUtc(YEAR, 2);
const SPRING_H1 = SPRING_H0 + HOUR;
const AUTUMN_H0 = lastSundayUtc(YEAR, 9);
const AUTUMN_H1 = AUTUMN_H0 + HOUR;
const romeHour = (ms: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', hour: '2-digit', hourCycle: 'h23' }).format(ms);

let redis: Redis;
let store: Redis;
let durableDir: string;
let keys: KeySpace;
let storePrefix: string;

beforeAll(async () => {
  const r = await sharedRedis();
  durableDir = join(r.dir, 'redis');
  redis = await connectRedis({ url: r.ephemeral.url, name: 'agg-test' });
  store = await connectRedis({ url: r.durable.url, name: 'agg-test-store' });
});
beforeEach(() => {
  const id = randomBytes(4).toString('hex');
  keys = keySpace(`t${id}:`);
  storePrefix = `s${id}:`;
});
afterAll(async () => {
  await Promise.allSettled([redis, store].map((c) => c?.close()));
  await stopSharedRedis();
});

const stream = () => `${keys.prefix}agg`;
const record = (e: AggregateEvent) => recordAggregate(redis, keys, e);
const hash = (association: string, hour: number) => store.hGetAll(aggregateHashKey(storePrefix, association, hour));

async function rollAll(): Promise<number> {
  let total = 0;
  for (let n = -1; n !== 0; total += n) n = await rollUp(redis, keys, store, storePrefix);
  return total;
}

describe('buckets', () => {
  it('puts each bound in the bucket above it and refuses what is not a duration', () => {
    expect(bucketOf(0, WAIT_BUCKETS)).toBe('<1m');
    expect(bucketOf(MIN - 1, WAIT_BUCKETS)).toBe('<1m');
    expect(bucketOf(MIN, WAIT_BUCKETS)).toBe('1-3m');
    expect(bucketOf(10 * MIN, WAIT_BUCKETS)).toBe('10-20m');
    expect(bucketOf(40 * MIN, WAIT_BUCKETS)).toBe('40m+');
    expect(bucketOf(30 * DAY, WAIT_BUCKETS)).toBe('40m+');
    expect(bucketOf(5 * MIN - 1, HANDLE_BUCKETS)).toBe('<5m');
    expect(bucketOf(60 * MIN, HANDLE_BUCKETS)).toBe('60m+');
    expect(() => bucketOf(-1, WAIT_BUCKETS)).toThrow(RangeError);
    expect(() => bucketOf(Number.NaN, HANDLE_BUCKETS)).toThrow(RangeError);
  });
});

describe('recording and rolling up', () => {
  it('gives exact counts per association, UTC hour, urgency and bucket, across both DST changes', async () => {
    // The fixtures straddle the changes: 01:30 then 03:30 in Rome in spring, 02:30 twice in autumn.
    expect([SPRING_H0, SPRING_H1, AUTUMN_H0, AUTUMN_H1].map((h) => romeHour(h + 30 * MIN))).toEqual(['01', '03', '02', '02']);
    const at = SPRING_H0 + 30 * MIN;
    const events: AggregateEvent[] = [
      { kind: 'joined', at: SPRING_H0, association: 'telefono-donna', urgency: 1 },
      { kind: 'joined', at, association: 'telefono-donna', urgency: 1 },
      { kind: 'joined', at: SPRING_H1 - 1, association: 'telefono-donna', urgency: 3 },
      { kind: 'answered', at, association: 'telefono-donna', urgency: 1, waitMs: 90_000 },
      { kind: 'answered', at, association: 'telefono-donna', urgency: 1, waitMs: MIN - 1 },
      { kind: 'ended', at, association: 'telefono-donna', urgency: 1, handleMs: 20 * MIN, outcome: 'referred' },
      { kind: 'ended', at, association: 'telefono-donna', urgency: 1, handleMs: 0, outcome: 'none' },
      { kind: 'requeued', at, association: 'telefono-donna', urgency: 1, reason: 'no-reply' },
      { kind: 'joined', at, association: 'either', urgency: 2 },
      { kind: 'abandoned', at, association: 'either', urgency: 2, waitMs: 10 * MIN },
      { kind: 'refused', at, association: 'either', reason: 'full' },
      // After the spring change: 03:30 in Rome, the next UTC hour.
      { kind: 'joined', at: SPRING_H1 + 30 * MIN, association: 'ebano', urgency: 1 },
      { kind: 'refused', at: SPRING_H1, association: 'ebano', reason: 'nobody' },
      { kind: 'refused', at: SPRING_H1 + 1, association: 'ebano', reason: 'closed' },
      { kind: 'answered', at: SPRING_H1 + 59 * MIN, association: 'ebano', urgency: 1, waitMs: 40 * MIN },
      { kind: 'ended', at: SPRING_H1 + 59 * MIN, association: 'ebano', urgency: 1, handleMs: 60 * MIN, outcome: 'emergency' },
      { kind: 'requeued', at: SPRING_H1 + 5 * MIN, association: 'ebano', urgency: 2, reason: 'counsellor-gone' },
      // Both 02:30 in Rome on the autumn change, an hour apart in UTC.
      { kind: 'joined', at: AUTUMN_H0 + 30 * MIN, association: 'ebano', urgency: 3 },
      { kind: 'joined', at: AUTUMN_H1 + 30 * MIN, association: 'ebano', urgency: 3 },
      { kind: 'abandoned', at: AUTUMN_H1 + 31 * MIN, association: 'ebano', urgency: 3, waitMs: 2.5 * MIN },
    ];
    for (const e of events) await record(e);
    expect(await redis.xLen(stream())).toBe(events.length);

    expect(await rollUp(redis, keys, store, storePrefix)).toBe(events.length);

    expect(await hash('telefono-donna', SPRING_H0)).toEqual({
      'joined:u1': '2',
      'joined:u3': '1',
      'answered:u1': '2',
      'wait:u1:1-3m': '1',
      'wait:u1:<1m': '1',
      'ended:u1': '2',
      'handle:u1:15-30m': '1',
      'handle:u1:<5m': '1',
      'outcome:referred': '1',
      'outcome:none': '1',
      'requeued:u1': '1',
      'requeue-reason:no-reply': '1',
    });
    expect(await hash('either', SPRING_H0)).toEqual({
      'joined:u2': '1',
      'abandoned:u2': '1',
      'abandon-wait:u2:10-20m': '1',
      'refused:full': '1',
    });
    expect(await hash('ebano', SPRING_H0)).toEqual({});
    expect(await hash('ebano', SPRING_H1)).toEqual({
      'joined:u1': '1',
      'refused:nobody': '1',
      'refused:closed': '1',
      'answered:u1': '1',
      'wait:u1:40m+': '1',
      'ended:u1': '1',
      'handle:u1:60m+': '1',
      'outcome:emergency': '1',
      'requeued:u2': '1',
      'requeue-reason:counsellor-gone': '1',
    });
    expect(await readAggregates(store, storePrefix, 'ebano', AUTUMN_H0 - HOUR + 1, AUTUMN_H1 + 59 * MIN)).toEqual([
      { hour: AUTUMN_H0 - HOUR, counts: {} },
      { hour: AUTUMN_H0, counts: { 'joined:u3': 1 } },
      { hour: AUTUMN_H1, counts: { 'joined:u3': 1, 'abandoned:u3': 1, 'abandon-wait:u3:1-3m': 1 } },
    ]);
    expect(hourKey(AUTUMN_H0 + 59 * MIN)).toBe(`${new Date(AUTUMN_H0).toISOString().slice(0, 10)}T00`);
    expect(hourKey(AUTUMN_H1)).toBe(`${new Date(AUTUMN_H0).toISOString().slice(0, 10)}T01`);

    // Exactly these hashes and no leftover cursor; each kept 400 days from its hour.
    const written = (await scanKeys(store, storePrefix)).map((k) => k.key).sort();
    expect(written).toEqual(
      [
        aggregateHashKey(storePrefix, 'telefono-donna', SPRING_H0),
        aggregateHashKey(storePrefix, 'either', SPRING_H0),
        aggregateHashKey(storePrefix, 'ebano', SPRING_H1),
        aggregateHashKey(storePrefix, 'ebano', AUTUMN_H0),
        aggregateHashKey(storePrefix, 'ebano', AUTUMN_H1),
      ].sort(),
    );
    expect(await store.pExpireTime(aggregateHashKey(storePrefix, 'ebano', AUTUMN_H1))).toBe(AUTUMN_H1 + 400 * DAY);
  });

  it('keeps the stream under a TTL while it holds entries and empties it by rolling up; a second roll-up adds nothing', async () => {
    for (let i = 0; i < 5; i++) await record({ kind: 'joined', at: SPRING_H0 + i, association: 'ebano', urgency: 2 });
    const ttl = await redis.ttl(stream());
    expect(ttl).toBeGreaterThan(86_000);
    expect(ttl).toBeLessThanOrEqual(86_400);

    expect(await rollUp(redis, keys, store, storePrefix, { retentionDays: 30 })).toBe(5);
    expect(await rollUp(redis, keys, store, storePrefix, { retentionDays: 30 })).toBe(0);
    expect(await hash('ebano', SPRING_H0)).toEqual({ 'joined:u2': '5' });
    expect(await store.pExpireTime(aggregateHashKey(storePrefix, 'ebano', SPRING_H0))).toBe(SPRING_H0 + 30 * DAY);
    expect(await redis.xLen(stream())).toBe(0);
    // Whatever is left of the key (an empty stream) still expires.
    if (await redis.exists(stream())) expect(await redis.ttl(stream())).toBeGreaterThan(0);
    expect(await store.exists(`${storePrefix}agg:cursor`)).toBe(0);
  });

  it('does not count a batch twice when the roll-up died between the durable write and the stream delete', async () => {
    for (let i = 0; i < 3; i++) await record({ kind: 'joined', at: SPRING_H0, association: 'either', urgency: 1 });
    const batch = (await redis.xRange(stream(), '-', '+')) ?? [];
    expect(await rollUp(redis, keys, store, storePrefix)).toBe(3);

    // Rebuild the state a crash after the durable MULTI leaves: the entries still in the stream under their
    // ids, and the cursor naming the last of them.
    await redis.del(stream());
    for (const m of batch) await redis.xAdd(stream(), m.id, m.message);
    await redis.expire(stream(), 86_400);
    await store.set(`${storePrefix}agg:cursor`, batch.at(-1)!.id);
    await record({ kind: 'joined', at: SPRING_H0, association: 'either', urgency: 1 });

    expect(await rollAll()).toBe(1);
    expect(await hash('either', SPRING_H0)).toEqual({ 'joined:u1': '4' });
    expect(await redis.xLen(stream())).toBe(0);
    expect(await store.exists(`${storePrefix}agg:cursor`)).toBe(0);
  });

  it('ignores a stale cursor whose entry is gone (the ephemeral Redis restarted) and counts everything', async () => {
    await store.set(`${storePrefix}agg:cursor`, '0-2');
    for (let i = 0; i < 4; i++) await record({ kind: 'refused', at: SPRING_H1, association: 'ebano', reason: 'full' });
    await redis.xDel(stream(), '0-2');
    expect(await rollAll()).toBe(3);
    expect(await hash('ebano', SPRING_H1)).toEqual({ 'refused:full': '3' });
    expect(await store.exists(`${storePrefix}agg:cursor`)).toBe(0);
  });

  it('counts every event exactly once when several roll-ups run at the same time', async () => {
    await Promise.all(
      Array.from({ length: 300 }, (_, i) => record({ kind: 'joined', at: SPRING_H0 + i, association: 'telefono-donna', urgency: 3 })),
    );
    const folded = await Promise.all([0, 1, 2, 3].map(() => rollUp(redis, keys, store, storePrefix, { maxBatch: 40 })));
    expect(folded.filter((n) => n > 0).length).toBe(1);
    const rest = await rollAll();
    expect(folded.reduce((a, b) => a + b, 0) + rest).toBe(300);
    expect(await hash('telefono-donna', SPRING_H0)).toEqual({ 'joined:u3': '300' });
  });
});

describe('hostile events', () => {
  it('refuses extra fields, unknown kinds, bad durations and codes, and writes nothing', async () => {
    const at = SPRING_H0;
    const bad: unknown[] = [
      { kind: 'joined', at, association: 'ebano', urgency: 1, ticketId: 'AAAAAAAAAAAAAAAAAAAAAA' },
      { kind: 'ended', at, association: 'ebano', urgency: 1, handleMs: 1, outcome: 'other', counsellorId: 'c1' },
      { kind: 'refused', at, association: 'ebano', reason: 'full', urgency: 1 },
      { kind: 'typing', at, association: 'ebano', urgency: 1 },
      { kind: 'answered', at, association: 'ebano', urgency: 1, waitMs: -1 },
      { kind: 'abandoned', at, association: 'either', urgency: 2, waitMs: Number.POSITIVE_INFINITY },
      { kind: 'ended', at, association: 'ebano', urgency: 1, handleMs: -5, outcome: 'referred' },
      { kind: 'ended', at, association: 'ebano', urgency: 1, handleMs: 5, outcome: 'she said her name is Maria' },
      { kind: 'answered', at, association: 'either', urgency: 1, waitMs: 1 },
      { kind: 'joined', at, association: 'ebano', urgency: 4 },
      { kind: 'joined', at: -1, association: 'ebano', urgency: 1 },
      { kind: 'joined', at: at + 0.5, association: 'ebano', urgency: 1 },
      { kind: 'joined', at: 8.64e15, association: 'ebano', urgency: 1 },
      { kind: 'joined', association: 'ebano', urgency: 1 },
      { kind: 'requeued', at, association: 'ebano', urgency: 1, reason: 'bored' },
      null,
      'joined',
    ];
    for (const e of bad) await expect(record(e as AggregateEvent), JSON.stringify(e)).rejects.toBeInstanceOf(InvalidAggregateError);
    expect(await scanKeys(redis, keys.prefix)).toEqual([]);
    expect(await rollAll()).toBe(0);
    expect(await scanKeys(store, storePrefix)).toEqual([]);
  });

  it('drops a stream entry of another shape without counting it, so it cannot block the roll-up', async () => {
    await record({ kind: 'joined', at: SPRING_H0, association: 'ebano', urgency: 1 });
    await redis.xAdd(stream(), '0-*', { kind: 'joined', hour: String(SPRING_H0 + 1234), association: 'ebano', urgency: '1' });
    await redis.xAdd(stream(), '0-*', { kind: 'joined', hour: String(SPRING_H0), association: 'ebano', urgency: '1', ticketId: 'x' });
    await record({ kind: 'joined', at: SPRING_H0, association: 'ebano', urgency: 1 });
    expect(await rollAll()).toBe(2);
    expect(await redis.xLen(stream())).toBe(0);
    expect(await hash('ebano', SPRING_H0)).toEqual({ 'joined:u1': '2' });
  });
});

describe('what the durable store holds', () => {
  it('has hour keys, known fields and small counts only: no id-like token, no time finer than the hour, in Redis or on disk', async () => {
    const rnd = (n: number) => Math.floor(Math.random() * n);
    const assoc = () => (['telefono-donna', 'ebano'] as const)[rnd(2)]!;
    const choice = () => (['telefono-donna', 'ebano', 'either'] as const)[rnd(3)]!;
    const urgency = () => ([1, 2, 3] as const)[rnd(3)]!;
    const at = () => SPRING_H0 - 3 * DAY + rnd(7 * DAY);
    const events: AggregateEvent[] = [];
    for (let i = 0; i < 400; i++) {
      events.push(
        { kind: 'joined', at: at(), association: choice(), urgency: urgency() },
        { kind: 'refused', at: at(), association: choice(), reason: (['full', 'closed', 'nobody'] as const)[rnd(3)]! },
        { kind: 'answered', at: at(), association: assoc(), urgency: urgency(), waitMs: rnd(HOUR) },
        { kind: 'abandoned', at: at(), association: choice(), urgency: urgency(), waitMs: rnd(HOUR) },
        {
          kind: 'ended',
          at: at(),
          association: assoc(),
          urgency: urgency(),
          handleMs: rnd(2 * HOUR),
          outcome: (['information', 'referred', 'emergency', 'resident-left', 'other', 'none'] as const)[rnd(6)]!,
        },
        {
          kind: 'requeued',
          at: at(),
          association: assoc(),
          urgency: urgency(),
          reason: (['no-reply', 'counsellor-gone'] as const)[rnd(2)]!,
        },
      );
    }
    await Promise.all(events.map(record));
    // The ephemeral stream too holds no exact time: its ids are a counter, its hours whole.
    for (const m of (await redis.xRange(stream(), '-', '+', { COUNT: 50 })) ?? []) {
      expect(m.id).toMatch(/^0-\d+$/);
      expect(Number(m.message.hour) % HOUR).toBe(0);
    }
    const processor = rollupProcessor(redis, keys, store, storePrefix, 400, { batchSize: 500 });
    expect(await processor({ data: {} })).toEqual({ rolled: events.length });

    const dump = await scanKeys(store, storePrefix);
    expect(dump.length).toBeGreaterThan(20);
    const ID_LIKE = /[A-Za-z0-9_-]{22}/;
    const BIG_NUMBER = /\d{7,}/; // a count that large is impossible here; any ms or s timestamp has 10+ digits
    const FIELD =
      /^(joined:u[123]|refused:(full|closed|nobody)|(answered|abandoned|ended|requeued):u[123]|(wait|abandon-wait):u[123]:(<1m|1-3m|3-5m|5-10m|10-20m|20-40m|40m\+)|handle:u[123]:(<5m|5-15m|15-30m|30-60m|60m\+)|outcome:(information|referred|emergency|resident-left|other|none)|requeue-reason:(no-reply|counsellor-gone))$/;
    let total = 0;
    for (const { key, ttl, value } of dump) {
      expect(key.slice(storePrefix.length)).toMatch(/^agg:(telefono-donna|ebano|either):\d{4}-\d\d-\d\dT\d\d$/);
      expect(key).toMatch(/T\d\d$/);
      expect(ttl, key).toBeGreaterThan(0);
      expect(`${key} ${value}`).not.toMatch(ID_LIKE);
      expect(value).not.toMatch(BIG_NUMBER);
      for (const [field, n] of Object.entries(JSON.parse(value) as Record<string, string>)) {
        expect(field).toMatch(FIELD);
        expect(n).toMatch(/^[1-9]\d{0,5}$/);
        if (/^(joined|refused|answered|abandoned|ended|requeued):/.test(field)) total += Number(n);
      }
      // Expiry, the one time Redis keeps per key, is whole hours too.
      expect((await store.pExpireTime(key)) % HOUR).toBe(0);
    }
    expect(total).toBe(events.length);

    // On disk: every number of ten or more digits in the append-only log (times in s or ms) is a whole hour.
    const aofDir = join(durableDir, 'appendonlydir');
    const lastKey = dump
      .map((d) => d.key)
      .sort()
      .at(-1)!;
    const aofText = () =>
      existsSync(aofDir)
        ? readdirSync(aofDir)
            .filter((f) => f.endsWith('.incr.aof'))
            .map((f) => readFileSync(join(aofDir, f), 'latin1'))
            .join('\n')
        : '';
    await waitFor(() => aofText().includes(lastKey), 5_000, 'the durable AOF to hold the roll-up');
    const numbers = aofText().match(/\d{10,}/g) ?? [];
    expect(numbers.length).toBeGreaterThan(0);
    for (const n of numbers) expect(Number(n) % 3600, n).toBe(0);
    expect(aofText()).not.toMatch(ID_LIKE);
  });
});

describe('the roll-up worker', () => {
  it('drains the stream in bounded runs, refuses job data, and runs under a real BullMQ worker', async () => {
    await Promise.all(
      Array.from({ length: 2345 }, (_, i) =>
        record({ kind: 'answered', at: SPRING_H0 + (i % 7) * HOUR, association: 'ebano', urgency: 2, waitMs: i * 1000 }),
      ),
    );
    expect(await rollupProcessor(redis, keys, store, storePrefix, 400)({ data: {} })).toEqual({ rolled: 2345 });
    expect(await redis.xLen(stream())).toBe(0);
    const answered = (await readAggregates(store, storePrefix, 'ebano', SPRING_H0, SPRING_H0 + 6 * HOUR)).reduce(
      (s, h) => s + (h.counts['answered:u2'] ?? 0),
      0,
    );
    expect(answered).toBe(2345);

    // Bounded: at most maxBatches batches per run; the next run carries on.
    await Promise.all(Array.from({ length: 250 }, () => record({ kind: 'joined', at: SPRING_H1, association: 'either', urgency: 3 })));
    const small = rollupProcessor(redis, keys, store, storePrefix, 400, { batchSize: 50, maxBatches: 3 });
    expect(await small({ data: {} })).toEqual({ rolled: 150 });
    expect(await redis.xLen(stream())).toBe(100);

    await expect(small({ data: { ticketId: 'AAAAAAAAAAAAAAAAAAAAAA' } })).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await redis.xLen(stream())).toBe(100);

    const conns: Redis[] = [];
    const conn = () => {
      const c = redis.duplicate();
      c.on('error', () => undefined);
      conns.push(c);
      return createNodeRedisClient(c) as never;
    };
    const queue = new Queue('rollup', { connection: conn(), prefix: keys.bull() });
    const worker = new Worker('rollup', rollupProcessor(redis, keys, store, storePrefix, 400), { connection: conn(), prefix: keys.bull() });
    try {
      const done = new Promise<unknown>((resolve, reject) => {
        worker.on('completed', (_job, result) => resolve(result));
        worker.on('failed', (_job, err) => reject(err));
      });
      await queue.add('rollup', {}, { removeOnComplete: true, removeOnFail: true });
      expect(await done).toEqual({ rolled: 100 });
      expect(await redis.xLen(stream())).toBe(0);
      expect(await hash('either', SPRING_H1)).toEqual({ 'joined:u3': '250' });
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await Promise.allSettled(conns.map((c) => (c.isOpen ? c.close() : Promise.resolve())));
    }
  });
});
