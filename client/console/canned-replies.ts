// Canned replies of the console, per language of the resident: a built-in set here, which an association's
// own set (edited by its supervisors, issue 6) replaces language by language. Data only; the picker in the
// chat panel inserts a reply into the composer for her to edit, it never sends one by itself.
import type { Language } from '../../protocol/triage.ts';

/** Same shape as an association's stored reply (protocol/policy.ts `CannedReply`): a short title and the text. */
export interface CannedReply {
  /** What the counsellor picks from; in English like the rest of the console. */
  title: string;
  /** What is inserted into the composer, in the resident's language. */
  text: string;
}

/** An association's replies by language; a language it left out keeps the built-in set. */
export type CannedReplySet = Partial<Record<Language, readonly CannedReply[]>>;

export const CANNED_LANGUAGES = ['it', 'en', 'ar', 'es', 'fr', 'zh'] as const satisfies readonly Language[];
export type CannedLanguage = (typeof CANNED_LANGUAGES)[number];

/** Languages the built-in set does not cover (Bengali, Tagalog) fall back to English, which both estates' communities often read. */
const FALLBACK: CannedLanguage = 'en';

const NB = '\u00a0';

/**
 * The built-in set: an opening safety check, the danger question with 112, the 1522 helpline, a check that
 * she is still there, and a closing message. Arabic is written for right-to-left display (the composer and
 * the preview take `dir` from the language); Italian, Spanish and Arabic address a woman.
 */
export const BUILT_IN_CANNED_REPLIES: Readonly<Record<CannedLanguage, readonly CannedReply[]>> = {
  it: [
    { title: 'Safety check', text: 'Puoi scrivere in sicurezza adesso? Se arriva qualcuno, premi Esci.' },
    { title: 'Danger: call 112', text: 'Sei in pericolo in questo momento? Se sì, chiama subito il 112.' },
    {
      title: '1522 helpline',
      text: 'Puoi anche chiamare il 1522, il numero nazionale antiviolenza e stalking: è gratuito, anonimo, attivo giorno e notte e risponde in più lingue.',
    },
    { title: 'Still there?', text: 'Ci sei ancora? Se ora non puoi scrivere, puoi scriverci di nuovo più tardi.' },
    {
      title: 'Closing',
      text: 'Grazie di averci scritto. Puoi scriverci di nuovo quando vuoi. Se sei in pericolo chiama il 112; il 1522 è gratuito, giorno e notte. Quando hai finito, premi Esci.',
    },
  ],
  en: [
    { title: 'Safety check', text: 'Is it safe for you to write now? If someone comes, press Exit.' },
    { title: 'Danger: call 112', text: 'Are you in danger right now? If so, call 112 now.' },
    {
      title: '1522 helpline',
      text: 'You can also call 1522, the national helpline against violence and stalking: it is free, anonymous, open day and night, and answers in several languages.',
    },
    { title: 'Still there?', text: 'Are you still there? If you cannot write now, you can write to us again later.' },
    {
      title: 'Closing',
      text: 'Thank you for writing to us. You can write to us again whenever you want. If you are in danger, call 112; 1522 is free, day and night. When you are done, press Exit.',
    },
  ],
  ar: [
    { title: 'Safety check', text: 'هل يمكنكِ الكتابة بأمان الآن؟ إذا جاء أحد، اضغطي على «خروج».' },
    { title: 'Danger: call 112', text: 'هل أنتِ في خطر الآن؟ إذا كان الأمر كذلك، اتصلي فورًا بالرقم 112.' },
    {
      title: '1522 helpline',
      text: 'يمكنكِ أيضًا الاتصال بالرقم 1522، وهو الخط الوطني لمناهضة العنف والملاحقة: مجاني ومن دون ذكر الاسم، ليلًا ونهارًا، ويجيب بعدة لغات.',
    },
    { title: 'Still there?', text: 'هل ما زلتِ هنا؟ إذا كنتِ لا تستطيعين الكتابة الآن، يمكنكِ أن تكتبي لنا مرة أخرى لاحقًا.' },
    {
      title: 'Closing',
      text: 'شكرًا لأنكِ كتبتِ لنا. يمكنكِ أن تكتبي لنا من جديد متى شئتِ. إذا كنتِ في خطر، اتصلي بالرقم 112؛ والرقم 1522 مجاني ليلًا ونهارًا. عندما تنتهين، اضغطي على «خروج».',
    },
  ],
  es: [
    { title: 'Safety check', text: '¿Puedes escribir con seguridad ahora? Si viene alguien, pulsa Salir.' },
    { title: 'Danger: call 112', text: '¿Estás en peligro ahora mismo? Si es así, llama ya al 112.' },
    {
      title: '1522 helpline',
      text: 'También puedes llamar al 1522, la línea nacional contra la violencia y el acoso: es gratuita, anónima, atiende de día y de noche y en varios idiomas.',
    },
    { title: 'Still there?', text: '¿Sigues ahí? Si ahora no puedes escribir, puedes volver a escribirnos más tarde.' },
    {
      title: 'Closing',
      text: 'Gracias por escribirnos. Puedes volver a escribirnos cuando quieras. Si estás en peligro, llama al 112; el 1522 es gratuito, de día y de noche. Cuando termines, pulsa Salir.',
    },
  ],
  fr: [
    { title: 'Safety check', text: `Pouvez-vous écrire en sécurité maintenant${NB}? Si quelqu'un arrive, appuyez sur Quitter.` },
    { title: 'Danger: call 112', text: `Êtes-vous en danger en ce moment${NB}? Si oui, appelez tout de suite le 112.` },
    {
      title: '1522 helpline',
      text: `Vous pouvez aussi appeler le 1522, le numéro national contre les violences et le harcèlement${NB}: gratuit, anonyme, jour et nuit, il répond en plusieurs langues.`,
    },
    {
      title: 'Still there?',
      text: `Êtes-vous toujours là${NB}? Si vous ne pouvez pas écrire maintenant, vous pouvez nous écrire de nouveau plus tard.`,
    },
    {
      title: 'Closing',
      text: `Merci de nous avoir écrit. Vous pouvez nous écrire de nouveau quand vous le souhaitez. Si vous êtes en danger, appelez le 112${NB}; le 1522 est gratuit, jour et nuit. Quand vous avez terminé, appuyez sur Quitter.`,
    },
  ],
  zh: [
    { title: 'Safety check', text: '您现在可以安全地打字吗？如果有人过来，请按“退出”。' },
    { title: 'Danger: call 112', text: '您现在有危险吗？如果有，请立即拨打 112。' },
    { title: '1522 helpline', text: '您也可以拨打 1522，这是全国反暴力和反跟踪热线：免费、匿名、全天 24 小时，并提供多种语言服务。' },
    { title: 'Still there?', text: '您还在吗？如果现在不方便打字，可以稍后再给我们写信。' },
    {
      title: 'Closing',
      text: '谢谢您给我们写信。您随时可以再联系我们。如果有危险，请拨打 112；1522 免费，全天 24 小时。结束时，请按“退出”。',
    },
  ],
};

export function isCannedLanguage(language: string): language is CannedLanguage {
  return (CANNED_LANGUAGES as readonly string[]).includes(language);
}

/** The picker's starting language for a resident: hers when there is a set for it, else the fallback. */
export function cannedLanguageFor(language: Language, own: CannedReplySet = {}): Language {
  return own[language]?.length || isCannedLanguage(language) ? language : FALLBACK;
}

/** The replies offered in `language`: the association's own set for it, else the built-in one (may be empty). */
export function cannedRepliesIn(language: Language, own: CannedReplySet = {}): readonly CannedReply[] {
  const mine = own[language];
  if (mine && mine.length > 0) return mine;
  return isCannedLanguage(language) ? BUILT_IN_CANNED_REPLIES[language] : [];
}

/** Languages that have at least one reply, built-in first, in a stable order. */
export function cannedLanguages(own: CannedReplySet = {}): Language[] {
  const extra = (Object.keys(own) as Language[]).filter((l) => !isCannedLanguage(l) && (own[l]?.length ?? 0) > 0);
  return [...CANNED_LANGUAGES, ...extra];
}

export function directionOf(language: string): 'rtl' | 'ltr' {
  return language === 'ar' ? 'rtl' : 'ltr';
}
