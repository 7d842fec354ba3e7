// The supervisor page's checks of what she types into the policy form, with the protocol's own bounds and
// wording (protocol/supervisor-constants.ts is zod-free, so importing it keeps zod out of this page).
import type { Policy } from '../../protocol/policy.ts';
import { OUTCOME_KEYS, POLICY_LIMITS } from '../../protocol/supervisor-constants.ts';

export { OUTCOME_KEYS, POLICY_LIMITS };

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

/** Fails the build if the form's fields drift from the protocol's policy. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type PolicyRuleChecks = Assert<Same<NumberField | 'openingHours' | 'assignment', keyof Policy>>;
