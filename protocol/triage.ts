// Categorical triage codes: the only things about a resident the server sees, used for routing. Anything
// free-text goes end-to-end encrypted to the counsellor, never through these schemas.
import { z } from 'zod';

export const ASSOCIATIONS = ['telefono-donna', 'ebano'] as const;
export const associationSchema = z.enum(ASSOCIATIONS);
export type Association = z.infer<typeof associationSchema>;

export const ASSOCIATION_NAMES: Readonly<Record<Association, string>> = {
  'telefono-donna': 'Telefono Donna',
  ebano: 'Ebano',
};

/** The resident may pick one association or let either take her. */
export const associationChoiceSchema = z.enum([...ASSOCIATIONS, 'either']);
export type AssociationChoice = z.infer<typeof associationChoiceSchema>;

export const LANGUAGES = ['it', 'en', 'ar', 'es', 'fr', 'zh', 'bn', 'tl'] as const;
export const languageSchema = z.enum(LANGUAGES);
export type Language = z.infer<typeof languageSchema>;

export const TOPICS = ['physical', 'psychological', 'sexual', 'economic', 'stalking', 'children', 'housing', 'info', 'other'] as const;
export const topicSchema = z.enum(TOPICS);
export type Topic = z.infer<typeof topicSchema>;

export const triageSchema = z.strictObject({
  /** "Are you in danger right now?" */
  danger: z.enum(['yes', 'no', 'unsure']),
  /** "Can you write safely now?" */
  canWrite: z.enum(['yes', 'briefly', 'no']),
  topics: z.array(topicSchema).max(TOPICS.length).default([]),
  language: languageSchema,
  association: associationChoiceSchema,
});
export type Triage = z.infer<typeof triageSchema>;

/** Urgency classes, most urgent first. */
export const URGENCY_CLASSES = [1, 2, 3] as const;
export type UrgencyClass = (typeof URGENCY_CLASSES)[number];
export const urgencySchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);

/**
 * Class 1: in danger now. Class 2: unsure about danger, or cannot write safely (her window may close).
 * Class 3: everyone else. Aging across classes is the queue engine's job, not this function's.
 */
export function urgencyOf(triage: Pick<Triage, 'danger' | 'canWrite'>): UrgencyClass {
  if (triage.danger === 'yes') return 1;
  if (triage.danger === 'unsure' || triage.canWrite !== 'yes') return 2;
  return 3;
}
