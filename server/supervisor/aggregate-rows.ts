// Charts for supervisors from the anonymous hourly aggregates: rows per hour, per day or per week (days and
// weeks as Milan lives them, Europe/Rome), with wait percentiles read off the coarse wait buckets. Nothing
// finer than the aggregates ever reaches this code.
import type { AggregateRow, AggregatesRequest, Association, OutcomeKey } from '../../protocol/index.ts';
import { OUTCOME_KEYS } from '../../protocol/index.ts';
import { readAggregates, WAIT_BUCKETS, type HourCounts } from '../../store/aggregates.ts';
import type { Redis } from '../../store/redis.ts';

const HOUR_MS = 3_600_000;
const TIME_ZONE = 'Europe/Rome';

const localParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  weekday: 'short',
  hourCycle: 'h23',
});

function parts(ms: number): { date: string; hour: number; weekday: string } {
  const p = Object.fromEntries(localParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: String(p.weekday) };
}

/** The UTC hour at which the Milan day holding `ms` starts (its first hour; DST days have 23 or 25). */
export function startOfLocalDay(ms: number): number {
  const today = parts(ms).date;
  let h = Math.floor(ms / HOUR_MS) * HOUR_MS;
  for (let i = 0; i < 26 && parts(h - HOUR_MS).date === today; i++) h -= HOUR_MS;
  return h;
}

/** Start of the Milan week (Monday) holding `ms`. */
export function startOfLocalWeek(ms: number): number {
  let day = startOfLocalDay(ms);
  for (let i = 0; i < 7 && parts(day).weekday !== 'Mon'; i++) day = startOfLocalDay(day - HOUR_MS);
  return day;
}

/** The first hour of the period `count - 1` periods before the one holding `now`. */
export function rangeStart(req: AggregatesRequest, now: number): number {
  if (req.granularity === 'hour') return Math.floor(now / HOUR_MS) * HOUR_MS - (req.count - 1) * HOUR_MS;
  const startOf = req.granularity === 'day' ? startOfLocalDay : startOfLocalWeek;
  let start = startOf(now);
  for (let i = 1; i < req.count; i++) start = startOf(start - HOUR_MS);
  return start;
}

export function emptyRow(start: number): AggregateRow {
  return {
    start,
    joined: 0,
    answered: 0,
    abandoned: 0,
    refused: { full: 0, closed: 0, nobody: 0 },
    requeued: 0,
    ended: 0,
    outcomes: Object.fromEntries(OUTCOME_KEYS.map((k) => [k, 0])) as Record<OutcomeKey, number>,
    wait: { p50Ms: null, p90Ms: null, openEnded: false },
  };
}

/** Folds hourly counts into rows; `keyOf` maps an hour to the start of its row. */
export function foldRows(hours: readonly HourCounts[], keyOf: (hourMs: number) => number): AggregateRow[] {
  const rows = new Map<number, { row: AggregateRow; waits: Map<string, number> }>();
  for (const { hour, counts } of hours) {
    const start = keyOf(hour);
    let r = rows.get(start);
    if (!r) rows.set(start, (r = { row: emptyRow(start), waits: new Map() }));
    for (const [field, n] of Object.entries(counts)) {
      const [family, a, b] = field.split(':');
      const row = r.row;
      if (family === 'joined') row.joined += n;
      else if (family === 'answered') row.answered += n;
      else if (family === 'abandoned') row.abandoned += n;
      else if (family === 'requeued') row.requeued += n;
      else if (family === 'ended') row.ended += n;
      else if (family === 'refused' && (a === 'full' || a === 'closed' || a === 'nobody')) row.refused[a] += n;
      else if (family === 'outcome' && (OUTCOME_KEYS as readonly string[]).includes(a ?? '')) row.outcomes[a as OutcomeKey] += n;
      else if (family === 'wait' && b) r.waits.set(b, (r.waits.get(b) ?? 0) + n);
    }
  }
  return [...rows.values()].sort((x, y) => x.row.start - y.row.start).map(({ row, waits }) => ({ ...row, wait: percentiles(waits) }));
}

function percentiles(waits: Map<string, number>): AggregateRow['wait'] {
  const total = [...waits.values()].reduce((s, n) => s + n, 0);
  if (total === 0) return { p50Ms: null, p90Ms: null, openEnded: false };
  const at = (q: number) => {
    let seen = 0;
    for (const b of WAIT_BUCKETS) {
      seen += waits.get(b.label) ?? 0;
      if (seen >= q * total) return b.belowMs;
    }
    return Number.POSITIVE_INFINITY;
  };
  const p50 = at(0.5);
  const p90 = at(0.9);
  const finite = (ms: number) => (Number.isFinite(ms) ? ms : null);
  return { p50Ms: finite(p50), p90Ms: finite(p90), openEnded: !Number.isFinite(p50) || !Number.isFinite(p90) };
}

export async function aggregateRows(
  store: Redis,
  storePrefix: string,
  association: Association,
  req: AggregatesRequest,
  now: number,
): Promise<AggregateRow[]> {
  const from = rangeStart(req, now);
  const hours = await readAggregates(store, storePrefix, association, from, now);
  const keyOf = req.granularity === 'hour' ? (h: number) => h : req.granularity === 'day' ? startOfLocalDay : startOfLocalWeek;
  return foldRows(hours, keyOf);
}
