// Zod-free copies of the protocol's enumerations. Importing the values from protocol/triage.ts or events.ts
// would pull zod (~20 KB gzip) into the resident page; the type checks at the bottom fail the build on drift.
import type { EndReason, Outcome } from '../../protocol/events.ts';
import type { Association, AssociationChoice, Language, Topic, UrgencyClass } from '../../protocol/triage.ts';

export const ASSOCIATIONS = ['telefono-donna', 'ebano'] as const;
export const ASSOCIATION_CHOICES = ['telefono-donna', 'ebano', 'either'] as const;
export const ASSOCIATION_NAMES: Readonly<Record<Association, string>> = {
  'telefono-donna': 'Telefono Donna',
  ebano: 'Ebano',
};
export const LANGUAGES = ['it', 'en', 'ar', 'es', 'fr', 'zh', 'bn', 'tl'] as const;
export const TOPICS = ['physical', 'psychological', 'sexual', 'economic', 'stalking', 'children', 'housing', 'info', 'other'] as const;
export const OUTCOMES = ['information', 'referred', 'emergency', 'resident-left', 'other'] as const;
export const END_REASONS = ['resident-ended', 'resident-exit', 'resident-gone', 'counsellor-ended', 'reassigned', 'transferred'] as const;
export const URGENCY_CLASSES = [1, 2, 3] as const;

/** Each language's name in that language, so she can find hers without reading Italian. */
export const LANGUAGE_ENDONYMS: Readonly<Record<Language, string>> = {
  it: 'Italiano',
  en: 'English',
  ar: 'العربية',
  es: 'Español',
  fr: 'Français',
  zh: '中文',
  bn: 'বাংলা',
  tl: 'Tagalog',
};

export function isAssociation(value: unknown): value is Association {
  return typeof value === 'string' && (ASSOCIATIONS as readonly string[]).includes(value);
}

export function isEndReason(value: unknown): value is EndReason {
  return typeof value === 'string' && (END_REASONS as readonly string[]).includes(value);
}

// ---------- compile-time equality with the protocol ----------

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;

export type ContractMirrorChecks = [
  Assert<Same<(typeof ASSOCIATIONS)[number], Association>>,
  Assert<Same<(typeof ASSOCIATION_CHOICES)[number], AssociationChoice>>,
  Assert<Same<(typeof LANGUAGES)[number], Language>>,
  Assert<Same<(typeof TOPICS)[number], Topic>>,
  Assert<Same<(typeof OUTCOMES)[number], Outcome>>,
  Assert<Same<(typeof END_REASONS)[number], EndReason>>,
  Assert<Same<(typeof URGENCY_CLASSES)[number], UrgencyClass>>,
];
