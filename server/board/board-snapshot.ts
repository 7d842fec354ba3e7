// Computes one association's live board from the ephemeral Redis: the line, the shift, the chats' load and
// the short-lived anonymous counts. Reads only; the one write is the board's memory of each counsellor's
// state (staff ids only), which times her state across periods and across the node that computes it.
import {
  BOARD_MAX_COUNSELLORS,
  COUNSELLOR_STATES,
  type Association,
  type BoardCounsellor,
  type BoardLevel,
  type BoardSnapshot,
  type BoardThresholds,
  type CounsellorBoardState,
  type QueueEntry,
} from '../../protocol/index.ts';
import type { ChatStore } from '../../store/chats.ts';
import type { KeySpace } from '../../store/keys.ts';
import { medianWaitMs, readLastHour, readToday, type RecentCounts } from '../../store/recent-counts.ts';
import type { Redis } from '../../store/redis.ts';
import type { OnShift, ShiftStore } from '../../store/shift.ts';
import type { TicketStore } from '../../store/tickets.ts';

/** The board's memory of counsellors outlives a quiet spell (nobody watching) by this much. */
const SEEN_TTL_MS = 86_400_000;

export interface CounsellorProfile {
  alias: string;
  capacity: number;
}

export interface BoardSources {
  redis: Redis;
  keys: KeySpace;
  tickets: Pick<TicketStore, 'waiting'>;
  shift: Pick<ShiftStore, 'onShift' | 'offShift'>;
  chats: Pick<ChatStore, 'chatsOf' | 'get'>;
  /** Her alias and capacity from her account (cached by the caller); null when the account is gone. */
  profileOf(counsellorId: string): Promise<CounsellorProfile | null>;
  thresholds(association: Association): BoardThresholds;
  intervalMs: number;
}

export function levelOf(value: number | null, amber: number, red: number): BoardLevel {
  if (value === null) return 'green';
  if (value >= red) return 'red';
  return value >= amber ? 'amber' : 'green';
}

/** Residents an association's counsellors may take: those who chose it and those who chose either. */
export function visibleTo(entries: readonly QueueEntry[], association: Association): QueueEntry[] {
  return entries.filter((e) => e.association === association || e.association === 'either');
}

export function waitingFigures(entries: readonly QueueEntry[], now: number): BoardSnapshot['waiting'] {
  const byUrgency = { '1': 0, '2': 0, '3': 0 };
  const byLanguage: BoardSnapshot['waiting']['byLanguage'] = {};
  let oldest: number | null = null;
  for (const e of entries) {
    byUrgency[String(e.urgency) as '1' | '2' | '3']++;
    byLanguage[e.language] = (byLanguage[e.language] ?? 0) + 1;
    if (oldest === null || e.waitingSince < oldest) oldest = e.waitingSince;
  }
  return { total: entries.length, byUrgency, byLanguage, oldestWaitMs: oldest === null ? null : Math.max(0, Math.round(now - oldest)) };
}

/** Busy (at capacity) wins over away: she is working, whatever her status says. */
export function stateOf(c: Pick<OnShift, 'load' | 'capacity' | 'availability'>): CounsellorBoardState {
  if (c.load >= c.capacity) return 'busy';
  return c.availability === 'away' ? 'away' : 'available';
}

interface Seen {
  state: CounsellorBoardState;
  since: number;
}

function parseSeen(v: string | undefined): Seen | null {
  const [state, since] = (v ?? '').split(':');
  if (!state || !(COUNSELLOR_STATES as readonly string[]).includes(state) || !Number.isFinite(Number(since))) return null;
  return { state: state as CounsellorBoardState, since: Number(since) };
}

function refusals(r: RecentCounts): { full: number; closed: number; nobody: number } {
  return { full: r.refused.full, closed: r.refused.closed, nobody: r.refused.nobody };
}

const STATE_ORDER: Record<CounsellorBoardState, number> = { available: 0, busy: 1, away: 2, offline: 3 };

export async function computeBoardSnapshot(src: BoardSources, association: Association, now: number): Promise<BoardSnapshot> {
  const counted = [association, 'either'];
  const seenKey = src.keys.boardSeen(association);
  const [line, onShift, offShift, lastHour, today, seenRaw] = await Promise.all([
    src.tickets.waiting(),
    src.shift.onShift(now),
    src.shift.offShift(association, now),
    readLastHour(src.redis, src.keys, counted, now),
    readToday(src.redis, src.keys, counted, now),
    src.redis.hGetAll(seenKey),
  ]);
  const waiting = waitingFigures(
    visibleTo(
      line.map((t) => t.entry),
      association,
    ),
    now,
  );

  // Counsellors: who is in which state since when. Exact where Redis knows (shift start, availability change,
  // the claim that filled her up, leaving); the busy-to-available moment is known only to the period.
  const team = onShift.filter((c) => c.association === association);
  const onShiftIds = new Set(team.map((c) => c.counsellorId));
  const rows: { id: string; state: CounsellorBoardState; since: number; load: number; capacity: number | null }[] = [];
  await Promise.all(
    team.map(async (c) => {
      const state = stateOf(c);
      const seen = parseSeen(seenRaw[c.counsellorId]);
      const shiftSince = c.since ?? now;
      let since: number;
      if (state === 'busy') {
        const chats = await Promise.all((await src.chats.chatsOf(c.counsellorId)).map((id) => src.chats.get(id)));
        const newest = Math.max(...chats.map((ch) => ch?.createdAt ?? 0));
        since = newest > 0 ? newest : seen?.state === 'busy' ? seen.since : now;
      } else if (state === 'away') {
        since = shiftSince;
      } else {
        since = Math.max(shiftSince, seen?.state === 'available' ? seen.since : seen?.state === 'busy' ? now : shiftSince);
      }
      rows.push({ id: c.counsellorId, state, since, load: c.load, capacity: c.capacity });
    }),
  );
  await Promise.all(
    offShift
      .filter((o) => !onShiftIds.has(o.counsellorId))
      .map(async (o) => {
        const load = (await src.chats.chatsOf(o.counsellorId)).length;
        rows.push({ id: o.counsellorId, state: 'offline', since: o.since, load, capacity: null });
      }),
  );

  const byState = { available: 0, busy: 0, away: 0, offline: 0 };
  const list: BoardCounsellor[] = [];
  let activeChats = 0;
  for (const r of rows) {
    byState[r.state]++;
    activeChats += r.load;
    const profile = await src.profileOf(r.id);
    if (!profile) continue;
    list.push({
      alias: profile.alias,
      state: r.state,
      load: r.load,
      capacity: r.capacity ?? profile.capacity,
      inStateMs: Math.max(0, Math.round(now - r.since)),
    });
  }
  list.sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.alias.localeCompare(b.alias));
  await remember(src, seenKey, rows, seenRaw);

  const t = src.thresholds(association);
  const medianWait = medianWaitMs(lastHour.waits);
  const levels = {
    waiting: levelOf(waiting.total, t.amberWaiting, t.redWaiting),
    oldestWait: levelOf(waiting.oldestWaitMs === null ? null : waiting.oldestWaitMs / 1000, t.amberWaitSeconds, t.redWaitSeconds),
    medianWait: levelOf(medianWait === null ? null : medianWait / 1000, t.amberWaitSeconds, t.redWaitSeconds),
    available: (waiting.total > 0 && byState.available === 0 ? 'red' : 'green') as BoardLevel,
  };
  return {
    v: 1,
    association,
    at: now,
    intervalMs: src.intervalMs,
    waiting,
    lastHour: { medianWaitMs: medianWait, answered: lastHour.answered, abandoned: lastHour.abandoned, refused: refusals(lastHour) },
    today: { answered: today.answered, abandoned: today.abandoned, refused: refusals(today) },
    activeChats,
    counsellors: { byState, list: list.slice(0, BOARD_MAX_COUNSELLORS) },
    thresholds: { ...t },
    levels,
    alert: Object.values(levels).includes('red'),
  };
}

/** Writes what changed in the board's memory and forgets counsellors no longer on it. */
async function remember(
  src: BoardSources,
  key: string,
  rows: readonly { id: string; state: string; since: number }[],
  before: Record<string, string>,
): Promise<void> {
  const next: Record<string, string> = {};
  for (const r of rows) if (before[r.id] !== `${r.state}:${r.since}`) next[r.id] = `${r.state}:${r.since}`;
  const present = new Set(rows.map((r) => r.id));
  const gone = Object.keys(before).filter((id) => !present.has(id));
  if (Object.keys(next).length === 0 && gone.length === 0) return;
  const m = src.redis.multi();
  if (Object.keys(next).length > 0) m.hSet(key, next);
  if (gone.length > 0) m.hDel(key, gone);
  m.pExpire(key, SEEN_TTL_MS);
  await m.exec();
}
