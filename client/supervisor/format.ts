// Supervisor wording (English, like the console): counsellor states, levels, refusal reasons, durations, the
// coarse wait bounds of the aggregates and dates in Milan's time zone.
import type { BoardLevel, CounsellorBoardState } from '../../protocol/board.ts';
import type { OutcomeKey } from '../../protocol/supervisor.ts';

export const STATE_LABELS: Readonly<Record<CounsellorBoardState, string>> = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
};

/** Said in words and with a symbol, so a level never relies on colour alone. */
export const LEVEL_LABELS: Readonly<Record<BoardLevel, { symbol: string; text: string }>> = {
  green: { symbol: '✓', text: 'OK' },
  amber: { symbol: '▲', text: 'Watch' },
  red: { symbol: '⬣', text: 'Alert' },
};

export const OUTCOME_KEY_LABELS: Readonly<Record<OutcomeKey, string>> = {
  information: 'Information given',
  referred: 'Referred',
  emergency: 'Emergency services',
  'resident-left': 'Resident left',
  other: 'Other',
  none: 'No outcome given',
};

/** The highest finite bound of the server's wait buckets (store/aggregates.ts WAIT_BUCKETS): beyond it, open-ended. */
export const OPEN_ENDED_WAIT_MS = 40 * 60_000;

/** "45 s", "12 min 04 s", "1 h 05 min": readable from across a room, never mistaken for a time of day. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** A configured duration: "5 min", "90 s". */
export function formatSeconds(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/** "≤ 3 min" for a bucket's upper bound, "> 40 min" when the percentile fell in the open-ended bucket. */
export function formatWaitBound(ms: number | null, openEnded: boolean): string {
  if (ms === null) return openEnded ? `> ${OPEN_ENDED_WAIT_MS / 60_000} min` : '—';
  return ms < 60_000 ? `≤ ${Math.round(ms / 1000)} s` : `≤ ${Math.round(ms / 60_000)} min`;
}

/** The same bound for a spreadsheet: minutes as a number, or ">40". */
export function waitBoundForCsv(ms: number | null, openEnded: boolean): string {
  if (ms === null) return openEnded ? `>${OPEN_ENDED_WAIT_MS / 60_000}` : '';
  return String(ms / 60_000);
}

const TIME_ZONE = 'Europe/Rome';
const hourFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const dayFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, weekday: 'short', day: 'numeric', month: 'short' });
const isoFormat = new Intl.DateTimeFormat('sv-SE', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const stampFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export type Granularity = 'hour' | 'day' | 'week';

/** A row's start as Milan reads it: "Tue 14:00", "Tue 3 Jun", "week of Mon 2 Jun". */
export function formatPeriod(start: number, granularity: Granularity): string {
  if (granularity === 'hour') return hourFormat.format(start);
  if (granularity === 'day') return dayFormat.format(start);
  return `week of ${dayFormat.format(start)}`;
}

/** "2025-06-03 14:00" in Milan time, for CSV files that sort as text. */
export function formatIsoLocal(ms: number): string {
  return isoFormat.format(ms);
}

export function formatClock(ms: number): string {
  return clockFormat.format(ms);
}

export function formatStamp(ms: number): string {
  return stampFormat.format(ms);
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, day: 'numeric', month: 'short', year: 'numeric' });

export function formatDate(ms: number): string {
  return dateFormat.format(ms);
}

/** Audit actions in words; an action this page does not know yet is shown as the server names it. */
const ACTION_LABELS: Readonly<Record<string, string>> = {
  login: 'Signed in',
  'login-failed': 'Failed sign-in',
  'logout-everywhere': 'Signed out everywhere',
  'counsellor-created': 'Account created',
  'counsellor-certified': 'Certified',
  'counsellor-revoked': 'Revoked',
  'invitation-created': 'Invited',
  'account-disabled': 'Disabled',
  'account-enabled': 'Re-enabled',
  'profile-changed': 'Capacity or languages changed',
  'second-factor-reset': 'Second factor reset',
  'signing-key-stored': 'Signing key stored (wrapped)',
  'policy-changed': 'Policy changed',
  'policy-refused': 'Policy change refused',
  'canned-replies-changed': 'Canned replies changed',
  forbidden: 'Forbidden attempt',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}
