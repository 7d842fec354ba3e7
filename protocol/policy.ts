// An association's policy: the queue settings its supervisors may change while a shift runs. The server fills
// what an association never set from the operator's environment (server/config.ts), validates every change
// with these schemas, writes it to the durable store and the audit log, and the queue uses it at once.
import { z } from 'zod';
import { POLICY_LIMITS } from './supervisor-constants.ts';
import { languageSchema } from './triage.ts';

export { POLICY_LIMITS };

const int = (r: { min: number; max: number }, what: string) =>
  z
    .number({ error: `${what} must be a number` })
    .int({ error: `${what} must be a whole number` })
    .min(r.min, { error: `${what} must be at least ${r.min}` })
    .max(r.max, { error: `${what} must be at most ${r.max}` });

export const assignmentModeSchema = z.enum(['manual', 'auto']);
export type AssignmentMode = z.infer<typeof assignmentModeSchema>;

export const policySchema = z.strictObject({
  /** Opening hours in the spec language of docs/queue.md ("24/7", "mon-fri 09:00-18:00; sat 10:00-13:00"), Europe/Rome. */
  openingHours: z.string().trim().min(1, { error: 'opening hours cannot be empty' }).max(POLICY_LIMITS.openingHoursChars),
  /** Residents waiting (or in triage) for this association before new ones are refused with 1522/112. */
  maxLineLength: int(POLICY_LIMITS.maxLineLength, 'the maximum line length'),
  /** A waiting resident moves up one urgency class per this many seconds. */
  agingSeconds: int(POLICY_LIMITS.agingSeconds, 'the aging time'),
  /** A claimed chat with no first reply within this many seconds goes back to the line. */
  noReplySeconds: int(POLICY_LIMITS.noReplySeconds, 'the no-reply time'),
  assignment: assignmentModeSchema,
  /** Upper bound of the capacity a counsellor may set for herself. */
  maxCapacity: int(POLICY_LIMITS.maxCapacity, 'the maximum capacity'),
  /** Days the anonymous hourly aggregates are kept. */
  retentionDays: int(POLICY_LIMITS.retentionDays, 'the retention of the aggregates'),
});
export type Policy = z.infer<typeof policySchema>;

/** A change: any subset of the fields, at least one. */
export const policyPatchSchema = policySchema.partial().refine((p) => Object.keys(p).length > 0, { error: 'the change is empty' });
export type PolicyPatch = z.infer<typeof policyPatchSchema>;

export const cannedReplySchema = z.strictObject({
  title: z.string().trim().min(1).max(POLICY_LIMITS.cannedTitleChars),
  text: z.string().trim().min(1).max(POLICY_LIMITS.cannedTextChars),
});
export type CannedReply = z.infer<typeof cannedReplySchema>;

/** Canned replies per language; a language left out keeps the built-in set of the console. */
export const cannedRepliesSchema = z.partialRecord(languageSchema, z.array(cannedReplySchema).max(POLICY_LIMITS.cannedRepliesPerLanguage));
export type CannedReplies = z.infer<typeof cannedRepliesSchema>;
