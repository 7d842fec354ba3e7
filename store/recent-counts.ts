// Short-lived anonymous counts behind the supervisor's live board: per association and minute, kept an hour
// ("last hour" figures), and per association and day in Milan, kept two days ("today"). Written in the same
// transaction as each anonymous aggregate event (store/aggregates.ts), so events from nodes and workers alike
// are counted. Only counts, and answered waits in whole seconds; no id and no exact time of anyone. The
// durable hourly aggregates are too coarse for a sliding hour and a median (their wait buckets span minutes).
//
// Hash fields (both kinds of hash):  answered   abandoned   refused:<full|closed|nobody>
// Minute hashes only:                w:<seconds>   answered residents by their wait, rounded to the second
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';

const MINUTE_MS = 60_000;
/** Minute hashes read for "the last hour": this minute and the 59 before. */
export const RECENT_MINUTES = 60;
const MAX_WAIT_SECONDS = 86_400;
const DAY_TTL_SECONDS = 2 * 86_400;

/** What this module needs of an aggregate event (declared here so aggregates.ts can import this file without a cycle). */
export interface CountedEvent {
  kind: string;
  at: number;
  association: string;
  waitMs?: number;
  reason?: string;
}

export interface RecentCounts {
  answered: number;
  abandoned: number;
  refused: { full: number; closed: number; nobody: number };
  /** Whole seconds of wait -> residents answered after that wait (minute hashes only; empty for days). */
  waits: Map<number, number>;
}

type Multi = ReturnType<Redis['multi']>;

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `YYYY-MM-DD` of the day holding `ms` on Milan's wall clock (the day a supervisor's "today" means). */
export function milanDay(ms: number): string {
  return dayFormat.format(ms);
}

export function minuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS) * MINUTE_MS;
}

/** The counts one event adds: [fields of the minute hash, fields of the day hash]. */
function fieldsOf(e: CountedEvent): [string[], string[]] {
  switch (e.kind) {
    case 'answered': {
      const s = Math.min(MAX_WAIT_SECONDS, Math.max(0, Math.round((e.waitMs ?? 0) / 1000)));
      return [['answered', `w:${s}`], ['answered']];
    }
    case 'abandoned':
      return [['abandoned'], ['abandoned']];
    case 'refused':
      return [[`refused:${e.reason}`], [`refused:${e.reason}`]];
    default:
      return [[], []];
  }
}

/** Queues the counts of `e` on `m` (the transaction that records the aggregate event). */
export function addRecentCounts(m: Multi, keys: KeySpace, e: CountedEvent): void {
  const [minuteFields, dayFields] = fieldsOf(e);
  if (minuteFields.length === 0) return;
  const minute = minuteOf(e.at);
  const mk = keys.recentCounts(e.association, minute);
  for (const f of minuteFields) m.hIncrBy(mk, f, 1);
  // Absolute expiry: the minute leaves the window an hour after it started, whenever it was last written.
  m.pExpireAt(mk, minute + (RECENT_MINUTES + 1) * MINUTE_MS);
  const dk = keys.dayCounts(e.association, milanDay(e.at));
  for (const f of dayFields) m.hIncrBy(dk, f, 1);
  m.expire(dk, DAY_TTL_SECONDS);
}

function empty(): RecentCounts {
  return { answered: 0, abandoned: 0, refused: { full: 0, closed: 0, nobody: 0 }, waits: new Map() };
}

function fold(into: RecentCounts, h: Record<string, string>): void {
  for (const [field, value] of Object.entries(h)) {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) continue;
    if (field === 'answered') into.answered += n;
    else if (field === 'abandoned') into.abandoned += n;
    else if (field === 'refused:full' || field === 'refused:closed' || field === 'refused:nobody')
      into.refused[field.slice(8) as 'full'] += n;
    else if (field.startsWith('w:')) {
      const s = Number(field.slice(2));
      if (Number.isInteger(s) && s >= 0) into.waits.set(s, (into.waits.get(s) ?? 0) + n);
    }
  }
}

async function readHashes(redis: Redis, names: string[]): Promise<RecentCounts> {
  const m = redis.multi();
  for (const k of names) m.hGetAll(k);
  const rows = (await m.exec()) as unknown as Record<string, string>[];
  const out = empty();
  for (const h of rows) if (h) fold(out, h);
  return out;
}

/** Sum over the last RECENT_MINUTES minutes (this one included) of the counts recorded under any of `associations`. */
export function readLastHour(redis: Redis, keys: KeySpace, associations: readonly string[], now: number): Promise<RecentCounts> {
  const names: string[] = [];
  for (let i = 0; i < RECENT_MINUTES; i++) for (const a of associations) names.push(keys.recentCounts(a, minuteOf(now) - i * MINUTE_MS));
  return readHashes(redis, names);
}

/** Sum since midnight in Milan of the counts recorded under any of `associations`. */
export function readToday(redis: Redis, keys: KeySpace, associations: readonly string[], now: number): Promise<RecentCounts> {
  return readHashes(
    redis,
    associations.map((a) => keys.dayCounts(a, milanDay(now))),
  );
}

/** Median of a histogram of whole seconds, in ms (the mean of the two middle values for an even count); null when empty. */
export function medianWaitMs(waits: ReadonlyMap<number, number>): number | null {
  const total = [...waits.values()].reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const sorted = [...waits].sort((a, b) => a[0] - b[0]);
  const at = (rank: number) => {
    let seen = 0;
    for (const [s, n] of sorted) {
      seen += n;
      if (seen > rank) return s;
    }
    return sorted[sorted.length - 1]![0];
  };
  const lo = at(Math.floor((total - 1) / 2));
  const hi = at(Math.floor(total / 2));
  return Math.round(((lo + hi) / 2) * 1000);
}
