// Zod-free copies of the protocol values the supervisor's page needs: importing them from protocol/ would pull
// zod into the bundle, and zod probes `new Function` at run time, which the page's CSP (rightly) reports as a
// violation. The type checks at the bottom fail the build if a copy drifts from the protocol.
import type { OUTCOME_KEYS as PROTOCOL_OUTCOME_KEYS } from '../../protocol/supervisor.ts';
import type { Policy, POLICY_LIMITS as PROTOCOL_POLICY_LIMITS } from '../../protocol/policy.ts';

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

export const OUTCOME_KEYS = ['information', 'referred', 'emergency', 'resident-left', 'other', 'none'] as const;

export type NumberField = 'maxLineLength' | 'agingSeconds' | 'noReplySeconds' | 'maxCapacity' | 'retentionDays';

/** What each number is called in the protocol's own messages (protocol/policy.ts), so both sides say the same. */
const NAMES: Readonly<Record<NumberField, string>> = {
  maxLineLength: 'the maximum line length',
  agingSeconds: 'the aging time',
  noReplySeconds: 'the no-reply time',
  maxCapacity: 'the maximum capacity',
  retentionDays: 'the retention of the aggregates',
};

/** A number field as typed: a problem in words, or the whole number it holds. */
export function checkNumber(field: NumberField, typed: string): { ok: true; value: number } | { ok: false; problem: string } {
  const what = NAMES[field];
  const { min, max } = POLICY_LIMITS[field];
  const value = typed.trim() === '' ? Number.NaN : Number(typed);
  if (!Number.isFinite(value)) return { ok: false, problem: `${what} must be a number` };
  if (!Number.isInteger(value)) return { ok: false, problem: `${what} must be a whole number` };
  if (value < min) return { ok: false, problem: `${what} must be at least ${min}` };
  if (value > max) return { ok: false, problem: `${what} must be at most ${max}` };
  return { ok: true, value };
}

/** Opening hours as typed; only the server knows their syntax, this checks what it can without it. */
export function checkOpeningHours(typed: string): { ok: true; value: string } | { ok: false; problem: string } {
  const value = typed.trim();
  if (value === '') return { ok: false, problem: 'opening hours cannot be empty' };
  if (value.length > POLICY_LIMITS.openingHoursChars)
    return { ok: false, problem: `at most ${POLICY_LIMITS.openingHoursChars} characters` };
  return { ok: true, value };
}

// ---------- compile-time equality with the protocol ----------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type PolicyRuleChecks = [
  Assert<Same<typeof POLICY_LIMITS, typeof PROTOCOL_POLICY_LIMITS>>,
  Assert<Same<typeof OUTCOME_KEYS, typeof PROTOCOL_OUTCOME_KEYS>>,
  Assert<Same<NumberField | 'openingHours' | 'assignment', keyof Policy>>,
];
