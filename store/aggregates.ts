// Anonymous aggregates for supervisors and funders: counts and coarse durations per association and UTC hour,
// never ids, free text or a time finer than the hour (S2). Events are coarsened before anything is written.
//
// Flow: recordAggregate() appends a coarse event to a short-lived stream in the ephemeral Redis; rollUp()
// folds the stream into durable hourly hashes `${storePrefix}agg:<association>:<YYYY-MM-DDTHH>` (UTC).
// Hash fields; each family (the part before the first ':') sums to the number of its events in that hour:
//   joined:u<1-3>                                     joined the line, by urgency class
//   refused:<full|closed|nobody>                      turned away (no urgency: she never got a ticket)
//   answered:u<n>    wait:u<n>:<WAIT_BUCKETS label>   a counsellor took her, after that wait
//   abandoned:u<n>   abandon-wait:u<n>:<WAIT label>   left the line unanswered, after that wait
//   ended:u<n>       handle:u<n>:<HANDLE_BUCKETS label>   a chat ended, after lasting that long
//   outcome:<information|referred|emergency|resident-left|other|none>
//   requeued:u<n>    requeue-reason:<no-reply|counsellor-gone>
//   transferred:u<n> transfer-to:<colleague|line>      a counsellor handed a chat on (her association)
// Outcomes and reasons are deliberately not crossed with urgency: finer cells single people out sooner.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { associationChoiceSchema, associationSchema, outcomeSchema, urgencySchema } from '../protocol/index.ts';
import type { KeySpace } from './keys.ts';
import { addRecentCounts } from './recent-counts.ts';
import type { Redis } from './redis.ts';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** The ephemeral stream lives a day past its last event: enough for a stalled roll-up to catch up, no more. */
export const AGGREGATE_STREAM_TTL_SECONDS = 86_400;
const STREAM_MAX_LEN = 100_000;
/** Long enough for one batch (milliseconds of work), short enough that a crashed roll-up does not stall the next. */
const ROLLUP_LOCK_MS = 30_000;
export const DEFAULT_RETENTION_DAYS = 400;
/** A dashboard or funder report reads at most a leap year of hours at once. */
export const MAX_READ_HOURS = 366 * 24;

// ---------- buckets ----------

export interface Bucket {
  readonly label: string;
  /** Exclusive upper bound in ms. */
  readonly belowMs: number;
}

export const WAIT_BUCKETS = [
  { label: '<1m', belowMs: MINUTE_MS },
  { label: '1-3m', belowMs: 3 * MINUTE_MS },
  { label: '3-5m', belowMs: 5 * MINUTE_MS },
  { label: '5-10m', belowMs: 10 * MINUTE_MS },
  { label: '10-20m', belowMs: 20 * MINUTE_MS },
  { label: '20-40m', belowMs: 40 * MINUTE_MS },
  { label: '40m+', belowMs: Number.POSITIVE_INFINITY },
] as const satisfies readonly Bucket[];

export const HANDLE_BUCKETS = [
  { label: '<5m', belowMs: 5 * MINUTE_MS },
  { label: '5-15m', belowMs: 15 * MINUTE_MS },
  { label: '15-30m', belowMs: 30 * MINUTE_MS },
  { label: '30-60m', belowMs: 60 * MINUTE_MS },
  { label: '60m+', belowMs: Number.POSITIVE_INFINITY },
] as const satisfies readonly Bucket[];

export type WaitBucket = (typeof WAIT_BUCKETS)[number]['label'];
export type HandleBucket = (typeof HANDLE_BUCKETS)[number]['label'];

/** The bucket holding `ms`; each bucket covers [previous bound, its bound). */
export function bucketOf<const B extends readonly Bucket[]>(ms: number, buckets: B): B[number]['label'] {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`bucketOf: not a duration: ${ms}`);
  const hit = buckets.find((b) => ms < b.belowMs);
  if (!hit) throw new RangeError(`bucketOf: ${ms} ms is beyond the last bucket`);
  return hit.label;
}

/** Start of the UTC hour holding `ms`. */
export function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** `YYYY-MM-DDTHH` of a UTC hour: the durable hash suffix (UTC, so DST changes never merge or skip an hour). */
export function hourKey(hourMs: number): string {
  return new Date(hourMs).toISOString().slice(0, 13);
}

// ---------- the event callers record ----------

const WAIT_LABELS = WAIT_BUCKETS.map((b) => b.label) as [WaitBucket, ...WaitBucket[]];
const HANDLE_LABELS = HANDLE_BUCKETS.map((b) => b.label) as [HandleBucket, ...HandleBucket[]];
const REFUSAL_REASONS = ['full', 'closed', 'nobody'] as const;
const REQUEUE_REASONS = ['no-reply', 'counsellor-gone'] as const;
const TRANSFER_TARGETS = ['colleague', 'line'] as const;
const aggregateOutcomeSchema = z.enum([...outcomeSchema.options, 'none']);

/** Any ms time a Date can print with a four-digit year (so hour keys keep one shape). */
const MAX_AT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const atSchema = z.number().int().min(0).max(MAX_AT);
const durationSchema = z.number().nonnegative();

export const aggregateEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('joined'), at: atSchema, association: associationChoiceSchema, urgency: urgencySchema }),
  z.strictObject({ kind: z.literal('refused'), at: atSchema, association: associationChoiceSchema, reason: z.enum(REFUSAL_REASONS) }),
  /** `association` is the counsellor's: the one that answered. */
  z.strictObject({
    kind: z.literal('answered'),
    at: atSchema,
    association: associationSchema,
    urgency: urgencySchema,
    waitMs: durationSchema,
  }),
  /** Left the line unanswered: ended, quick exit or lost connection. `association` is her choice. */
  z.strictObject({
    kind: z.literal('abandoned'),
    at: atSchema,
    association: associationChoiceSchema,
    urgency: urgencySchema,
    waitMs: durationSchema,
  }),
  z.strictObject({
    kind: z.literal('ended'),
    at: atSchema,
    association: associationSchema,
    urgency: urgencySchema,
    handleMs: durationSchema,
    outcome: aggregateOutcomeSchema,
  }),
  /** `association` is the counsellor's that lost the chat: its supervisor wants to know. */
  z.strictObject({
    kind: z.literal('requeued'),
    at: atSchema,
    association: associationSchema,
    urgency: urgencySchema,
    reason: z.enum(REQUEUE_REASONS),
  }),
  /** `association` is the counsellor's who handed the chat on; the target says only "a colleague" or "a line". */
  z.strictObject({
    kind: z.literal('transferred'),
    at: atSchema,
    association: associationSchema,
    urgency: urgencySchema,
    target: z.enum(TRANSFER_TARGETS),
  }),
]);
export type AggregateEvent = z.infer<typeof aggregateEventSchema>;

// ---------- the coarse event: what the stream holds ----------

const hourField = z
  .string()
  .regex(/^\d{1,16}$/)
  .transform(Number)
  .refine((h) => h % HOUR_MS === 0 && h <= MAX_AT, 'not the start of an hour');
const urgencyField = z.enum(['1', '2', '3']);

/** A stream entry as read back; strict, so an entry of another shape is never folded into the store. */
const coarseEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('joined'), hour: hourField, association: associationChoiceSchema, urgency: urgencyField }),
  z.strictObject({ kind: z.literal('refused'), hour: hourField, association: associationChoiceSchema, reason: z.enum(REFUSAL_REASONS) }),
  z.strictObject({
    kind: z.literal('answered'),
    hour: hourField,
    association: associationSchema,
    urgency: urgencyField,
    bucket: z.enum(WAIT_LABELS),
  }),
  z.strictObject({
    kind: z.literal('abandoned'),
    hour: hourField,
    association: associationChoiceSchema,
    urgency: urgencyField,
    bucket: z.enum(WAIT_LABELS),
  }),
  z.strictObject({
    kind: z.literal('ended'),
    hour: hourField,
    association: associationSchema,
    urgency: urgencyField,
    bucket: z.enum(HANDLE_LABELS),
    outcome: aggregateOutcomeSchema,
  }),
  z.strictObject({
    kind: z.literal('requeued'),
    hour: hourField,
    association: associationSchema,
    urgency: urgencyField,
    reason: z.enum(REQUEUE_REASONS),
  }),
  z.strictObject({
    kind: z.literal('transferred'),
    hour: hourField,
    association: associationSchema,
    urgency: urgencyField,
    target: z.enum(TRANSFER_TARGETS),
  }),
]);
type CoarseEvent = z.infer<typeof coarseEventSchema>;

function coarsen(e: AggregateEvent): Record<string, string> {
  const base = { kind: e.kind, hour: String(hourOf(e.at)), association: e.association };
  switch (e.kind) {
    case 'joined':
      return { ...base, urgency: String(e.urgency) };
    case 'refused':
      return { ...base, reason: e.reason };
    case 'answered':
    case 'abandoned':
      return { ...base, urgency: String(e.urgency), bucket: bucketOf(e.waitMs, WAIT_BUCKETS) };
    case 'ended':
      return { ...base, urgency: String(e.urgency), bucket: bucketOf(e.handleMs, HANDLE_BUCKETS), outcome: e.outcome };
    case 'requeued':
      return { ...base, urgency: String(e.urgency), reason: e.reason };
    case 'transferred':
      return { ...base, urgency: String(e.urgency), target: e.target };
    default:
      return unreachable(e);
  }
}

/** The durable hash fields one coarse event increments (scheme in the header). */
function fieldsOf(c: CoarseEvent): string[] {
  switch (c.kind) {
    case 'joined':
      return [`joined:u${c.urgency}`];
    case 'refused':
      return [`refused:${c.reason}`];
    case 'answered':
      return [`answered:u${c.urgency}`, `wait:u${c.urgency}:${c.bucket}`];
    case 'abandoned':
      return [`abandoned:u${c.urgency}`, `abandon-wait:u${c.urgency}:${c.bucket}`];
    case 'ended':
      return [`ended:u${c.urgency}`, `handle:u${c.urgency}:${c.bucket}`, `outcome:${c.outcome}`];
    case 'requeued':
      return [`requeued:u${c.urgency}`, `requeue-reason:${c.reason}`];
    case 'transferred':
      return [`transferred:u${c.urgency}`, `transfer-to:${c.target}`];
    default:
      return unreachable(c);
  }
}

function unreachable(x: never): never {
  throw new Error(`aggregates: unexpected event ${JSON.stringify(x)}`);
}

// ---------- key names ----------
// Kept here until KeySpace grows `agg()` / `aggLock()`; nothing else builds these names.

function streamKey(keys: KeySpace): string {
  return `${keys.prefix}agg`;
}
function lockKey(keys: KeySpace): string {
  return `${keys.prefix}agg:lock`;
}
export function aggregateHashKey(storePrefix: string, association: string, hourMs: number): string {
  return `${storePrefix}agg:${association}:${hourKey(hourMs)}`;
}
function cursorKey(storePrefix: string): string {
  return `${storePrefix}agg:cursor`;
}

// ---------- writing ----------

/** Thrown when an event does not match `aggregateEventSchema`; nothing has been written. */
export class InvalidAggregateError extends Error {
  readonly code = 'INVALID_AGGREGATE';
  constructor(detail: string) {
    super(`recordAggregate: invalid event: ${detail}`);
    this.name = 'InvalidAggregateError';
  }
}

/**
 * Appends the coarsened event to the ephemeral stream. Redis errors propagate: callers decide whether a
 * lost count matters more than the request (usually not: record in the background and log).
 */
export async function recordAggregate(redis: Redis, keys: KeySpace, e: AggregateEvent): Promise<void> {
  const parsed = aggregateEventSchema.safeParse(e);
  if (!parsed.success)
    throw new InvalidAggregateError(parsed.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`).join('; '));
  const key = streamKey(keys);
  // Stream ids `0-<n>` are a plain counter: Redis' default ids are ms timestamps, which would carry the
  // exact time of the event (and, through the roll-up cursor, put it in the durable store).
  const m = redis
    .multi()
    .xAdd(key, '0-*', coarsen(parsed.data), { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: STREAM_MAX_LEN } })
    .expire(key, AGGREGATE_STREAM_TTL_SECONDS);
  // The supervisor's board counts the same events over the last hour and today (store/recent-counts.ts).
  addRecentCounts(m, keys, parsed.data);
  await m.exec();
  taps.get(redis)?.(parsed.data);
}

/** Sees each event recorded through one client, after it is stored: a node's metrics count claims and refusals. */
export type AggregateTap = (e: AggregateEvent) => void;
// Keyed by client, so two nodes in one process (the tests) each count only their own events.
const taps = new WeakMap<Redis, AggregateTap>();

export function tapAggregates(redis: Redis, tap: AggregateTap | null): void {
  if (tap) taps.set(redis, tap);
  else taps.delete(redis);
}

// ---------- rolling up ----------

export interface RollUpOptions {
  /** Stream entries folded per durable transaction. */
  maxBatch?: number;
  /** How long the durable hourly hashes are kept, counted from their hour. */
  retentionDays?: number;
  /** Per association (its policy), overriding `retentionDays`. */
  retentionDaysOf?: Partial<Record<string, number>>;
}

export interface RollUpResult {
  /** Events added to the durable counts. */
  folded: number;
  /** Stream entries read this round; fewer than maxBatch means the stream was drained. */
  read: number;
  /** Entries of another shape (a writer of a different version), removed without counting. */
  dropped: number;
  /** Another roll-up held the lock; nothing was done. */
  busy: boolean;
}

function checkPositiveInt(name: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max) throw new RangeError(`rollUp: ${name} must be an integer in 1..${max}, got ${n}`);
}

/**
 * Folds up to `maxBatch` stream entries, oldest first, into the durable hourly hashes in one MULTI that
 * also records the last folded id as `${storePrefix}agg:cursor`; only then are the entries XDELed and the
 * cursor cleared. After a crash between the two, the next run finds the cursor's entry still in the stream
 * and deletes every entry up to it uncounted, so a batch is never counted twice. A cursor whose entry is
 * gone is stale (its entries were deleted, or the ephemeral Redis restarted) and is simply cleared. The
 * one gap: a crash in that window plus a restart of the ephemeral Redis whose fresh counter reaches the
 * stale id before the next run drops those first entries uncounted (a small loss, never a double count).
 * The cursor is a counter id, not Redis' default ms id, so the durable store never holds an exact time.
 * A lock in the ephemeral Redis keeps two workers from folding the same batch.
 */
export async function rollUpOnce(
  redis: Redis,
  keys: KeySpace,
  store: Redis,
  storePrefix: string,
  opts: RollUpOptions = {},
): Promise<RollUpResult> {
  const maxBatch = opts.maxBatch ?? 1000;
  const retentionDays = opts.retentionDays ?? DEFAULT_RETENTION_DAYS;
  checkPositiveInt('maxBatch', maxBatch, 10_000);
  checkPositiveInt('retentionDays', retentionDays, 10 * 366);
  const stream = streamKey(keys);
  const cursor = cursorKey(storePrefix);
  const token = randomBytes(12).toString('base64url');
  const lock = lockKey(keys);
  if ((await redis.set(lock, token, { condition: 'NX', expiration: { type: 'PX', value: ROLLUP_LOCK_MS } })) === null) {
    return { folded: 0, read: 0, dropped: 0, busy: true };
  }
  try {
    const last = await store.get(cursor);
    if (last !== null) {
      if ((await xRange(redis, stream, last, last)).length > 0) {
        const counted = await xRange(redis, stream, '-', last);
        if (counted.length > 0)
          await redis.xDel(
            stream,
            counted.map((m) => m.id),
          );
      }
      await store.del(cursor);
    }

    const entries = await xRange(redis, stream, '-', '+', maxBatch);
    if (entries.length === 0) return { folded: 0, read: 0, dropped: 0, busy: false };
    // Summed per hash and field first, so the durable log holds per-batch totals, not the order of events.
    const sums = new Map<string, { hour: number; association: string; fields: Map<string, number> }>();
    let folded = 0;
    for (const { message } of entries) {
      const parsed = coarseEventSchema.safeParse(message);
      if (!parsed.success) continue;
      const c = parsed.data;
      const key = aggregateHashKey(storePrefix, c.association, c.hour);
      let h = sums.get(key);
      if (!h) sums.set(key, (h = { hour: c.hour, association: c.association, fields: new Map() }));
      for (const f of fieldsOf(c)) h.fields.set(f, (h.fields.get(f) ?? 0) + 1);
      folded++;
    }
    const ids = entries.map((m) => m.id);
    const tx = store.multi();
    for (const [key, { hour, association, fields }] of sums) {
      for (const [field, n] of fields) tx.hIncrBy(key, field, n);
      // An absolute, hour-aligned expiry: a relative EXPIRE would be logged in the AOF as the roll-up's
      // exact time, and late events would keep pushing an old hour's deletion out.
      tx.expireAt(key, (hour + (opts.retentionDaysOf?.[association] ?? retentionDays) * 24 * HOUR_MS) / 1000);
    }
    tx.set(cursor, ids.at(-1)!);
    await tx.exec();
    await redis.xDel(stream, ids);
    await store.del(cursor);
    return { folded, read: entries.length, dropped: entries.length - folded, busy: false };
  } finally {
    // Not atomic (no Lua here); the lock outlives a batch by far, so it is ours unless the run took >30 s.
    if ((await redis.get(lock)) === token) await redis.del(lock);
  }
}

/** XRANGE with an absent stream read as empty (node-redis types the reply as nullable). */
async function xRange(
  redis: Redis,
  key: string,
  start: string,
  end: string,
  count?: number,
): Promise<{ id: string; message: Record<string, string> }[]> {
  return (await redis.xRange(key, start, end, count === undefined ? undefined : { COUNT: count })) ?? [];
}

/** One batch; resolves to the number of events folded into the durable store. */
export async function rollUp(redis: Redis, keys: KeySpace, store: Redis, storePrefix: string, opts: RollUpOptions = {}): Promise<number> {
  return (await rollUpOnce(redis, keys, store, storePrefix, opts)).folded;
}

// ---------- reading ----------

export interface HourCounts {
  /** Start of the UTC hour (ms). */
  hour: number;
  counts: Record<string, number>;
}

/**
 * Every UTC hour from `fromHourMs` to `toHourMs` (both floored to the hour, both included), oldest first;
 * hours without events come back with empty counts so charts need no gap filling.
 */
export async function readAggregates(
  store: Redis,
  storePrefix: string,
  association: z.infer<typeof associationChoiceSchema>,
  fromHourMs: number,
  toHourMs: number,
): Promise<HourCounts[]> {
  associationChoiceSchema.parse(association);
  const from = hourOf(fromHourMs);
  const to = hourOf(toHourMs);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('readAggregates: hours must be finite');
  if (to < from) return [];
  if ((to - from) / HOUR_MS + 1 > MAX_READ_HOURS) throw new RangeError(`readAggregates: at most ${MAX_READ_HOURS} hours at once`);
  const hours: number[] = [];
  for (let h = from; h <= to; h += HOUR_MS) hours.push(h);
  const tx = store.multi();
  for (const h of hours) tx.hGetAll(aggregateHashKey(storePrefix, association, h));
  const rows = (await tx.exec()) as unknown as Record<string, string>[];
  return hours.map((hour, i) => {
    const counts: Record<string, number> = {};
    for (const [field, value] of Object.entries(rows[i] ?? {})) counts[field] = Number(value);
    return { hour, counts };
  });
}
