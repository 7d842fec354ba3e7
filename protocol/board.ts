// The supervisor's live board: one anonymous snapshot per association, computed by one server node per period
// and pushed to the association's supervisors room as `board:snapshot`. Counts and durations only: no ticket,
// chat or counsellor id, no join time of anyone (the oldest wait is a duration), no content.
import { z } from 'zod';
import { ALIAS_MAX } from './limits.ts';
import { associationSchema, languageSchema } from './triage.ts';

const count = z.number().int().nonnegative();
const durationMs = z.number().int().nonnegative();

export const boardLevelSchema = z.enum(['green', 'amber', 'red']);
export type BoardLevel = z.infer<typeof boardLevelSchema>;

/**
 * available: on shift, available and below her capacity; busy: on shift at her capacity (whatever her
 * availability); away: on shift, marked away, below capacity; offline: was on shift in the last 12 hours and
 * has no open connection now (her chats stay hers for the grace period, then go back to the line).
 */
export const counsellorStateSchema = z.enum(['available', 'busy', 'away', 'offline']);
export type CounsellorBoardState = z.infer<typeof counsellorStateSchema>;
export const COUNSELLOR_STATES = counsellorStateSchema.options;

export const refusalCountsSchema = z.strictObject({ full: count, closed: count, nobody: count });
export type RefusalCounts = z.infer<typeof refusalCountsSchema>;

/** The thresholds the levels were judged by (configuration now; per-association policy later). */
export const boardThresholdsSchema = z.strictObject({
  amberWaitSeconds: count,
  redWaitSeconds: count,
  amberWaiting: count,
  redWaiting: count,
});
export type BoardThresholds = z.infer<typeof boardThresholdsSchema>;

/** Caps on list lengths, so a snapshot stays small whatever is in Redis. */
export const BOARD_MAX_COUNSELLORS = 500;

export const boardCounsellorSchema = z.strictObject({
  /** The name she shows residents; supervisors know their team by it. Never her account id. */
  alias: z.string().min(1).max(ALIAS_MAX),
  state: counsellorStateSchema,
  /** Chats she holds now (claimed or active). */
  load: count,
  capacity: count,
  /** How long she has been in `state`, at `at`. */
  inStateMs: durationMs,
});
export type BoardCounsellor = z.infer<typeof boardCounsellorSchema>;

export const boardSnapshotSchema = z.strictObject({
  v: z.literal(1),
  association: associationSchema,
  /** Server time the figures were computed at (ms since the epoch). */
  at: z.number().int().nonnegative(),
  /** The period snapshots are pushed at; a client that heard nothing for a few periods shows the board as stale. */
  intervalMs: z.number().int().positive(),
  /** Residents in the line this association may take: those who chose it and those who chose either. */
  waiting: z.strictObject({
    total: count,
    /** By current class (after aging), 1 = most urgent. */
    byUrgency: z.strictObject({ '1': count, '2': count, '3': count }),
    /** Only languages with someone waiting. */
    byLanguage: z.partialRecord(languageSchema, count),
    /** Longest current wait; null when nobody waits. */
    oldestWaitMs: durationMs.nullable(),
  }),
  /** The last 60 minutes, to the minute. */
  lastHour: z.strictObject({
    /** Median wait of the residents this association's counsellors took; null when none. */
    medianWaitMs: durationMs.nullable(),
    answered: count,
    /** Left the line before anyone took them (ended, quick exit, lost connection), who could have been this association's. */
    abandoned: count,
    refused: refusalCountsSchema,
  }),
  /** Since midnight in Milan (Europe/Rome). */
  today: z.strictObject({ answered: count, abandoned: count, refused: refusalCountsSchema }),
  /** Chats held by this association's counsellors, claimed or active. */
  activeChats: count,
  counsellors: z.strictObject({
    byState: z.strictObject({ available: count, busy: count, away: count, offline: count }),
    /** Sorted by state, then alias. */
    list: z.array(boardCounsellorSchema).max(BOARD_MAX_COUNSELLORS),
  }),
  thresholds: boardThresholdsSchema,
  levels: z.strictObject({
    /** By the number waiting against amberWaiting / redWaiting. */
    waiting: boardLevelSchema,
    /** By the oldest wait against amberWaitSeconds / redWaitSeconds. */
    oldestWait: boardLevelSchema,
    /** By the median wait of the last hour against the same wait thresholds. */
    medianWait: boardLevelSchema,
    /** Red when someone waits and no counsellor is available. */
    available: boardLevelSchema,
  }),
  /** True when any level is red. */
  alert: z.boolean(),
});
export type BoardSnapshot = z.infer<typeof boardSnapshotSchema>;
