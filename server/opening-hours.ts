// Opening hours of an association: parses the OPENING_HOURS_* specs and answers "open now?" and "when does
// that change?" in the association's wall-clock time (Europe/Rome), so a resident is told before she waits.
//
// Spec language (one environment variable per association, e.g. OPENING_HOURS_TELEFONO_DONNA):
//   24/7                      always open (the default when the variable is unset)
//   closed                    never open
//   RULE, RULE, ...           open whenever any rule matches; commas only ever separate rules
// where RULE is `DAYS HH:MM-HH:MM`:
//   DAYS   one day (mon tue wed thu fri sat sun) or a range `mon-fri`; a range may wrap past Sunday
//          (`fri-mon` = fri, sat, sun, mon). There are no day lists: write `mon 09:00-12:00, wed 09:00-12:00`.
//   times  24-hour local wall-clock times with two-digit hours; `24:00` is allowed as an end only. An end
//          before the start spans midnight: `fri 20:00-02:00` is Friday 20:00 to Saturday 02:00, and the
//          rule belongs to Friday (so `fri` alone does not open Thursday night). Start and end may not be equal.
// Example: `mon-fri 09:00-18:00, sat 09:00-13:00, sun 10:00-12:00`. Days and keywords are case-insensitive.
//
// Times are wall-clock times, so across a DST change an opening lasts one hour more or less in real time, and
// a time inside the skipped spring hour (02:00-03:00 in Rome) never occurs that day.
import { z } from 'zod';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export interface OpeningRule {
  /** The days the rule starts on, in range order (`fri-mon` gives fri, sat, sun, mon). */
  days: readonly Day[];
  /** Minutes after local midnight, 0..1439. */
  start: number;
  /** Minutes after local midnight, 0..1440; at or before `start` means the next day. */
  end: number;
}

export interface OpeningHours {
  always: boolean;
  never: boolean;
  /** Empty when `always` or `never`. */
  rules: readonly OpeningRule[];
}

export class OpeningHoursError extends Error {
  constructor(message: string) {
    super(`opening hours: ${message}`);
    this.name = 'OpeningHoursError';
  }
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
// A week plus a day of slack: every rule recurs weekly, and DST may shift an instant by an hour.
const SEARCH_MS = 8 * DAY_MINUTES * MINUTE_MS;
const EXAMPLE = '"mon-fri 09:00-18:00"';

const q = (s: string) => JSON.stringify(s);

export function parseOpeningHours(spec: string): OpeningHours {
  const text = spec.trim();
  if (text === '') throw new OpeningHoursError(`empty; use "24/7", "closed" or rules like ${EXAMPLE}`);
  const keyword = text.toLowerCase();
  if (keyword === '24/7') return { always: true, never: false, rules: [] };
  if (keyword === 'closed') return { always: false, never: true, rules: [] };
  const rules = text.split(',').map((part) => {
    const rule = part.trim();
    if (rule === '') throw new OpeningHoursError(`${q(text)}: empty rule (commas separate rules; there are no day lists)`);
    return parseRule(rule);
  });
  return { always: false, never: false, rules };
}

function parseRule(rule: string): OpeningRule {
  const words = rule.split(/\s+/);
  const [daysText, timesText] = words;
  if (words.length !== 2 || daysText === undefined || timesText === undefined) {
    throw new OpeningHoursError(`${q(rule)}: expected "DAYS HH:MM-HH:MM", e.g. ${EXAMPLE}`);
  }
  const days = parseDays(rule, daysText);
  const times = /^([^-]*)-([^-]*)$/.exec(timesText);
  if (!times) throw new OpeningHoursError(`${q(rule)}: bad time range ${q(timesText)}; expected HH:MM-HH:MM`);
  const [, startText = '', endText = ''] = times;
  const start = parseTime(rule, startText, false);
  const end = parseTime(rule, endText, true);
  if (start === end) throw new OpeningHoursError(`${q(rule)}: start and end are both ${q(startText)}; for a whole day write 00:00-24:00`);
  return { days, start, end };
}

function dayOf(rule: string, text: string): number {
  const i = (DAYS as readonly string[]).indexOf(text.toLowerCase());
  if (i < 0) throw new OpeningHoursError(`${q(rule)}: unknown day ${q(text)}; days are ${DAYS.join(' ')}`);
  return i;
}

function parseDays(rule: string, text: string): Day[] {
  const ends = text.split('-');
  const [first, last] = ends;
  if (ends.length > 2 || first === undefined || first === '' || last === '') {
    throw new OpeningHoursError(`${q(rule)}: bad days ${q(text)}; expected a day like "mon" or a range like "mon-fri"`);
  }
  const from = dayOf(rule, first);
  const to = last === undefined ? from : dayOf(rule, last);
  // `mon-mon` could mean one day or the whole week; refuse rather than guess.
  if (last !== undefined && from === to) throw new OpeningHoursError(`${q(rule)}: day range ${q(text)} starts and ends on the same day`);
  const days: Day[] = [];
  for (let i = from; ; i = (i + 1) % 7) {
    days.push(DAYS[i]!);
    if (i === to) return days;
  }
}

function parseTime(rule: string, text: string, isEnd: boolean): number {
  const m = /^(\d\d):(\d\d)$/.exec(text);
  const hours = Number(m?.[1]);
  const minutes = Number(m?.[2]);
  if (!m || minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) {
    throw new OpeningHoursError(`${q(rule)}: bad time ${q(text)}; expected HH:MM from 00:00 to 23:59 (or 24:00 as an end)`);
  }
  if (hours === 24 && !isEnd) throw new OpeningHoursError(`${q(rule)}: bad time ${q(text)}; 24:00 is allowed only as an end`);
  return hours * 60 + minutes;
}

/** A zod string that parses into OpeningHours, reporting the parse error as the issue message. */
export const openingHoursSchema = z.string().transform((s, ctx): OpeningHours => {
  try {
    return parseOpeningHours(s);
  } catch (err) {
    if (!(err instanceof OpeningHoursError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message, input: s });
    return z.NEVER;
  }
});

interface WallClock {
  /** 0 = Monday, as in DAYS. */
  day: number;
  /** Minutes after local midnight. */
  minute: number;
  /** Local date and time counted as minutes since 1970-01-01 00:00 local; jumps by ±60 at a DST change. */
  epochMinute: number;
}

// Building an Intl.DateTimeFormat is far slower than using one, and nextChange formats many instants.
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(now: number, timeZone: string): WallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-US with h23 so the parts are plain ASCII numbers and midnight is 00, never 24.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const part: Record<string, number> = {};
  for (const p of f.formatToParts(now)) if (p.type !== 'literal') part[p.type] = Number(p.value);
  const local = Date.UTC(part.year ?? 0, (part.month ?? 1) - 1, part.day ?? 1, part.hour ?? 0, part.minute ?? 0);
  // The weekday follows from the local date; getUTCDay counts from Sunday.
  return { day: (new Date(local).getUTCDay() + 6) % 7, minute: (part.hour ?? 0) * 60 + (part.minute ?? 0), epochMinute: local / MINUTE_MS };
}

function openAt(h: OpeningHours, clock: WallClock): boolean {
  if (h.always) return true;
  if (h.never) return false;
  const today = DAYS[clock.day]!;
  const yesterday = DAYS[(clock.day + 6) % 7]!;
  return h.rules.some((r) =>
    r.end > r.start
      ? r.days.includes(today) && clock.minute >= r.start && clock.minute < r.end
      : (r.days.includes(today) && clock.minute >= r.start) || (r.days.includes(yesterday) && clock.minute < r.end),
  );
}

/** Whether the association is open at `now` (ms since the epoch), judged by the wall clock in `timeZone`. */
export function isOpen(h: OpeningHours, now: number, timeZone = 'Europe/Rome'): boolean {
  return openAt(h, wallClock(now, timeZone));
}

/**
 * The first instant after `now` at which isOpen changes, or null if it never does (24/7, closed, or rules
 * covering every minute) within eight days. Minute-exact: it jumps from one rule boundary to the next and walks
 * minute by minute only across a DST change, where a jump in wall-clock time could hide a boundary.
 */
export function nextChange(h: OpeningHours, now: number, timeZone = 'Europe/Rome'): number | null {
  if (h.always || h.never) return null;
  // Midnight is a boundary too: the weekday changes there.
  const boundaries = [...new Set([...h.rules.flatMap((r) => [r.start, r.end % DAY_MINUTES]), DAY_MINUTES])].sort((a, b) => a - b);
  const limit = now + SEARCH_MS;
  let t = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  let clock = wallClock(t, timeZone);
  const initial = openAt(h, clock);
  while (t < limit) {
    const boundary = boundaries.find((b) => b > clock.minute) ?? DAY_MINUTES;
    const step = boundary - clock.minute;
    const next = t + step * MINUTE_MS;
    const nextClock = wallClock(next, timeZone);
    if (nextClock.epochMinute - clock.epochMinute !== step) {
      // The UTC offset changed in between, so the wall clock jumped; no boundary may be skipped over.
      for (let u = t + MINUTE_MS; u <= next; u += MINUTE_MS) {
        if (openAt(h, wallClock(u, timeZone)) !== initial) return u;
      }
    } else if (openAt(h, nextClock) !== initial) {
      return next;
    }
    t = next;
    clock = nextClock;
  }
  return null;
}

/**
 * When the association next opens, as "weekday HH:MM" in `locale` and `timeZone` (e.g. "lunedì 09:00"), for
 * the resident's "opens again at" line; if it is open now, the opening after the coming close. Null for 24/7,
 * closed, or no opening within the search window. No date: the next opening is at most a week away, and a
 * weekday is what she can act on.
 */
export function describeNextOpening(h: OpeningHours, now: number, timeZone = 'Europe/Rome', locale = 'it-IT'): string | null {
  let opening = nextChange(h, now, timeZone);
  if (opening !== null && !isOpen(h, opening, timeZone)) opening = nextChange(h, opening, timeZone);
  if (opening === null) return null;
  const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' }).format(opening);
  const time = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(opening);
  return `${weekday} ${time}`;
}
