// Plain constants of the supervisor's contract, without zod: the supervisor page imports this file directly,
// because zod probes `new Function` at run time and the page's CSP (rightly) reports that as a violation.
// protocol/policy.ts and protocol/supervisor.ts re-export them for everyone else.

/** Bounds of an association's policy (checked by protocol/policy.ts on the server, shown as hints on the page). */
export const POLICY_LIMITS = {
  openingHoursChars: 300,
  maxLineLength: { min: 1, max: 10_000 },
  agingSeconds: { min: 10, max: 86_400 },
  noReplySeconds: { min: 1, max: 3_600 },
  maxCapacity: { min: 1, max: 10 },
  retentionDays: { min: 1, max: 3_650 },
  cannedRepliesPerLanguage: 30,
  cannedTitleChars: 60,
  cannedTextChars: 1_000,
} as const;

/** Outcome columns of the charts: the outcome codes, and `none` when a chat ended without one. */
export const OUTCOME_KEYS = ['information', 'referred', 'emergency', 'resident-left', 'other', 'none'] as const;
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];
