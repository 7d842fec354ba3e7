// Every word the resident page shows, one dictionary per interface language (Italian first). Adding a
// language = adding one object of type Dict here; `dirOf` decides the layout direction. Wording: plain, calm,
// short sentences, addressed to a woman (the feminine forms matter in Italian, Arabic and Spanish).
import type { Association, Topic } from '../../protocol/triage.ts';
import type { ChatLabels } from '../shared/chat-view.tsx';

export type UiLanguage = 'it' | 'en' | 'ar' | 'es' | 'fr' | 'zh';
export const UI_LANGUAGES: readonly UiLanguage[] = ['it', 'en', 'ar', 'es', 'fr', 'zh'];
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'it';

/** Own-name of each interface language, shown in the picker, so she finds hers without reading Italian. */
export const UI_LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = {
  it: 'Italiano',
  en: 'English',
  ar: 'العربية',
  es: 'Español',
  fr: 'Français',
  zh: '中文（简体）',
};

const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa', 'he', 'ur']);

export function dirOf(language: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

/** The `lang` tag for the document: Simplified Chinese is marked as such so phones pick the right glyphs. */
export function htmlLangOf(language: UiLanguage): string {
  return language === 'zh' ? 'zh-Hans' : language;
}

export type Refusal = 'QUEUE_FULL' | 'NOBODY_ON_SHIFT' | 'CLOSED_HOURS';

export interface Dict {
  /** Read by screen readers before the short visible word on the exit control. */
  exitHidden: string;
  exit: string;
  uiLanguage: string;
  safetyNote: string;
  safetyLink: string;
  heading: string;
  intro: string;
  dangerQ: string;
  dangerYes: string;
  dangerNo: string;
  dangerUnsure: string;
  dangerNow: string;
  dangerStillChat: string;
  emergencyHeading: string;
  /** Put before the number on the tap-to-call links ("Chiama il" 112). */
  callPrefix: string;
  about112: string;
  about1522: string;
  canWriteQ: string;
  canWriteYes: string;
  canWriteBriefly: string;
  canWriteNo: string;
  associationQ: string;
  associationEither: string;
  languageQ: string;
  topicsQ: string;
  /** Optional free text for the counsellor, sent end-to-end encrypted once the chat opens. */
  detailsQ: string;
  detailsHint: string;
  topics: Readonly<Record<Topic, string>>;
  answerThis: string;
  join: string;
  preparing: string;
  cryptoFailed: string;
  joining: string;
  networkError: string;
  waitingHeading: string;
  position: (n: number) => string;
  positionNext: string;
  positionUnknown: string;
  /** A range in minutes (high above 2; low may be 0). */
  eta: (low: number, high: number) => string;
  /** The estimate is 0–2 minutes. */
  etaSoon: string;
  etaUnknown: string;
  waitingNote: string;
  leaveLine: string;
  refusals: Readonly<Record<Refusal, string>>;
  refusalDetails: Readonly<Record<Refusal, string>>;
  refusalCall: string;
  backToStart: string;
  assigned: string;
  /** Her counsellor did not answer or vanished; she keeps her place at the front of the line. */
  requeued: string;
  /** Her counsellor handed her chat to a colleague or the other association: calm, and why the chat is empty. */
  transferred: string;
  unverified: string;
  verified: (alias: string, association: string, verifier: string) => string;
  /** Shown when the chat opens: Exit works at any moment. */
  reminder: string;
  /** The shared chat view's wording. */
  chat: ChatLabels;
  peerAway: string;
  endChat: string;
  confirmEndQ: string;
  confirmEnd: string;
  cancel: string;
  chatEnded: string;
  chatEndedWiped: string;
  connectionLost: string;
  connectionBack: string;
  associationNames: Readonly<Record<Association, string>>;
}

const ASSOCIATION_NAMES: Readonly<Record<Association, string>> = { 'telefono-donna': 'Telefono Donna', ebano: 'Ebano' };

const it: Dict = {
  exitHidden: 'Uscita rapida: ',
  exit: 'Esci',
  uiLanguage: 'Lingua',
  safetyNote:
    'Esci chiude subito questa pagina. La visita però resta nella cronologia del browser: se qualcuno controlla il tuo telefono, usa una scheda anonima (in incognito).',
  safetyLink: 'Consigli per usare questa pagina in sicurezza',
  heading: "Parla con un'operatrice",
  intro:
    "Chat gratuita e anonima con le operatrici di Telefono Donna ed Ebano. I messaggi sono cifrati: solo tu e l'operatrice potete leggerli.",
  dangerQ: 'Sei in pericolo in questo momento?',
  dangerYes: 'Sì',
  dangerNo: 'No',
  dangerUnsure: 'Non lo so',
  dangerNow: 'Se sei in pericolo, chiama subito:',
  dangerStillChat: 'Puoi anche scrivere qui: passerai per prima.',
  emergencyHeading: 'Numeri di emergenza',
  callPrefix: 'Chiama il',
  about112: 'Emergenze: polizia, ambulanza, vigili del fuoco',
  about1522: 'Antiviolenza e stalking: gratuito, giorno e notte',
  canWriteQ: 'Puoi scrivere in sicurezza adesso?',
  canWriteYes: 'Sì',
  canWriteBriefly: 'Solo per poco',
  canWriteNo: 'No',
  associationQ: 'Con quale associazione vuoi parlare?',
  associationEither: 'Va bene una qualsiasi',
  languageQ: 'In che lingua vuoi scrivere?',
  topicsQ: 'Di cosa vuoi parlare? (facoltativo)',
  detailsQ: "Vuoi far sapere subito qualcosa all'operatrice? (facoltativo)",
  detailsHint: "Lo può leggere solo l'operatrice: è cifrato come i messaggi.",
  topics: {
    physical: 'Violenza fisica',
    psychological: 'Violenza psicologica',
    sexual: 'Violenza sessuale',
    economic: 'Violenza economica (soldi)',
    stalking: 'Stalking',
    children: 'Figli',
    housing: 'Casa',
    info: 'Informazioni',
    other: 'Altro',
  },
  answerThis: 'Rispondi a questa domanda.',
  join: 'Inizia la chat',
  preparing: 'Preparazione della connessione sicura…',
  cryptoFailed: 'La connessione sicura non funziona su questo browser. Chiama il 1522.',
  joining: 'Connessione…',
  networkError: 'Non riusciamo a collegarci. Riprova tra poco. In caso di emergenza chiama il 112.',
  waitingHeading: 'Sei in fila',
  position: (n) => `Sei la numero ${n} in fila.`,
  positionNext: 'Sei la prossima.',
  positionUnknown: 'Stiamo calcolando il tuo posto in fila…',
  eta: (low, high) =>
    low === high
      ? `Attesa: circa ${high} minuti.`
      : low <= 0
        ? `Attesa: fino a circa ${high} minuti.`
        : `Attesa: circa ${low}–${high} minuti.`,
  etaSoon: "Un'operatrice sarà con te a breve.",
  etaUnknown: "In questo momento non possiamo stimare l'attesa.",
  waitingNote: "Tieni aperta questa pagina. Un'operatrice ti risponderà appena possibile.",
  leaveLine: 'Esci dalla fila',
  refusals: {
    QUEUE_FULL: 'La fila è piena in questo momento.',
    NOBODY_ON_SHIFT: "Adesso non c'è nessuna operatrice in turno.",
    CLOSED_HOURS: 'La chat è chiusa a quest’ora.',
  },
  refusalDetails: {
    QUEUE_FULL: 'Tutte le operatrici sono occupate. Riprova tra un po’.',
    NOBODY_ON_SHIFT: 'Riprova più tardi.',
    CLOSED_HOURS: 'Riprova più tardi.',
  },
  refusalCall: 'Puoi chiamare subito il 1522 (gratuito, giorno e notte), oppure il 112 in caso di emergenza.',
  backToStart: "Torna all'inizio",
  assigned: "Un'operatrice sta arrivando…",
  requeued: "Ti stiamo mettendo in contatto con un'altra operatrice…",
  transferred:
    "La tua operatrice ha chiesto a una collega di continuare con te. Ti stiamo mettendo in contatto con un'altra operatrice… I messaggi precedenti non vengono inoltrati.",
  unverified: "Non è stato possibile verificare l'operatrice. Non scrivere nulla. Chiama il 1522.",
  verified: (alias, association, verifier) => `${alias}, ${association} — verificata da ${verifier}`,
  reminder: 'Ricorda: il pulsante Esci in alto chiude tutto subito, in qualsiasi momento.',
  chat: {
    log: 'Messaggi',
    me: 'Tu',
    them: 'Operatrice',
    states: { sending: 'Invio…', sent: 'Inviato', delivered: 'Consegnato', failed: 'Non inviato' },
    retry: 'Riprova',
    tampered: 'Un messaggio non ha superato il controllo di sicurezza e non è stato mostrato.',
    typing: "L'operatrice sta scrivendo…",
    message: 'Il tuo messaggio',
    send: 'Invia',
    refusals: {
      empty: 'Scrivi un messaggio.',
      'too-long': 'Il messaggio è troppo lungo.',
      'too-many': 'La chat è troppo lunga: terminala e iniziane una nuova.',
      closed: 'La chat è terminata.',
    },
  },
  peerAway: "L'operatrice ha perso la connessione. Aspetta un momento.",
  endChat: 'Termina la chat',
  confirmEndQ: 'Vuoi terminare la chat? Tutto verrà cancellato.',
  confirmEnd: 'Sì, termina',
  cancel: 'No, continua',
  chatEnded: 'La chat è terminata.',
  chatEndedWiped: 'I messaggi sono stati cancellati da questa pagina.',
  connectionLost: 'Connessione persa. Stiamo riprovando… I tuoi messaggi non andranno persi.',
  connectionBack: 'Connessione tornata.',
  associationNames: ASSOCIATION_NAMES,
};

const en: Dict = {
  exitHidden: 'Emergency exit: ',
  exit: 'Exit',
  uiLanguage: 'Language',
  safetyNote:
    "Exit closes this page at once. But the visit stays in your browser's history list: if someone checks your phone, use a private (incognito) tab.",
  safetyLink: 'How to use this page safely',
  heading: 'Talk to a counsellor',
  intro:
    'A free, anonymous chat with the counsellors of Telefono Donna and Ebano. Messages are encrypted: only you and the counsellor can read them.',
  dangerQ: 'Are you in danger right now?',
  dangerYes: 'Yes',
  dangerNo: 'No',
  dangerUnsure: 'I am not sure',
  dangerNow: 'If you are in danger, call now:',
  dangerStillChat: 'You can also write here: you will be first in line.',
  emergencyHeading: 'Emergency numbers',
  callPrefix: 'Call',
  about112: 'Emergencies: police, ambulance, fire service',
  about1522: 'Violence and stalking helpline: free, day and night',
  canWriteQ: 'Can you write safely now?',
  canWriteYes: 'Yes',
  canWriteBriefly: 'Only for a short time',
  canWriteNo: 'No',
  associationQ: 'Which association do you want to talk to?',
  associationEither: 'Either is fine',
  languageQ: 'Which language do you want to write in?',
  topicsQ: 'What do you want to talk about? (optional)',
  detailsQ: 'Anything you want the counsellor to know first? (optional)',
  detailsHint: 'Only the counsellor can read it: it is encrypted like the messages.',
  topics: {
    physical: 'Physical violence',
    psychological: 'Psychological violence',
    sexual: 'Sexual violence',
    economic: 'Economic violence (money)',
    stalking: 'Stalking',
    children: 'Children',
    housing: 'Housing',
    info: 'Information',
    other: 'Something else',
  },
  answerThis: 'Please answer this question.',
  join: 'Start the chat',
  preparing: 'Preparing a secure connection…',
  cryptoFailed: 'The secure connection does not work in this browser. Call 1522.',
  joining: 'Connecting…',
  networkError: 'We cannot connect. Try again in a moment. In an emergency, call 112.',
  waitingHeading: 'You are in line',
  position: (n) => `You are number ${n} in line.`,
  positionNext: 'You are next.',
  positionUnknown: 'Finding your place in line…',
  eta: (low, high) =>
    low === high
      ? `Waiting time: about ${high} minutes.`
      : low <= 0
        ? `Waiting time: up to about ${high} minutes.`
        : `Waiting time: about ${low}–${high} minutes.`,
  etaSoon: 'A counsellor will be with you shortly.',
  etaUnknown: 'We cannot estimate the wait right now.',
  waitingNote: 'Keep this page open. A counsellor will answer as soon as she can.',
  leaveLine: 'Leave the line',
  refusals: {
    QUEUE_FULL: 'The line is full right now.',
    NOBODY_ON_SHIFT: 'No counsellor is on duty right now.',
    CLOSED_HOURS: 'The chat is closed at this time.',
  },
  refusalDetails: {
    QUEUE_FULL: 'All counsellors are busy. Please try again a little later.',
    NOBODY_ON_SHIFT: 'Please try again later.',
    CLOSED_HOURS: 'Please try again later.',
  },
  refusalCall: 'You can call 1522 now (free, day and night), or 112 in an emergency.',
  backToStart: 'Back to the start',
  assigned: 'A counsellor is coming…',
  requeued: 'We are connecting you to another counsellor…',
  transferred:
    'Your counsellor has asked a colleague to continue with you. You are being connected to another counsellor… Your earlier messages are not passed on.',
  unverified: 'We could not verify the counsellor. Do not write anything. Call 1522.',
  verified: (alias, association, verifier) => `${alias}, ${association} — verified by ${verifier}`,
  reminder: 'Remember: the Exit button at the top closes everything at once, at any moment.',
  chat: {
    log: 'Messages',
    me: 'You',
    them: 'Counsellor',
    states: { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' },
    retry: 'Try again',
    tampered: 'A message failed the security check and was not shown.',
    typing: 'The counsellor is typing…',
    message: 'Your message',
    send: 'Send',
    refusals: {
      empty: 'Write a message.',
      'too-long': 'The message is too long.',
      'too-many': 'This chat is too long: end it and start a new one.',
      closed: 'The chat has ended.',
    },
  },
  peerAway: 'The counsellor lost her connection. Please wait a moment.',
  endChat: 'End the chat',
  confirmEndQ: 'Do you want to end the chat? Everything will be deleted.',
  confirmEnd: 'Yes, end it',
  cancel: 'No, go on',
  chatEnded: 'The chat has ended.',
  chatEndedWiped: 'The messages have been deleted from this page.',
  connectionLost: 'Connection lost. Trying again… Your messages will not be lost.',
  connectionBack: 'Connected again.',
  associationNames: ASSOCIATION_NAMES,
};

/** Arabic counts: 3–10 take the plural, 11 and up the singular (accusative) form. */
function arMinutes(n: number): string {
  if (n === 1) return 'دقيقة واحدة';
  if (n === 2) return 'دقيقتان';
  return n >= 3 && n <= 10 ? `${n} دقائق` : `${n} دقيقة`;
}

const ar: Dict = {
  exitHidden: 'خروج سريع للطوارئ: ',
  exit: 'خروج',
  uiLanguage: 'اللغة',
  safetyNote: 'زر «خروج» يغلق هذه الصفحة فورًا. لكن الزيارة تبقى في سجلّ المتصفح: إذا كان أحد يفتّش هاتفكِ، استخدمي نافذة تصفّح خاصة (متخفّية).',
  safetyLink: 'كيف تستخدمين هذه الصفحة بأمان',
  heading: 'تحدّثي مع مستشارة',
  intro: 'محادثة مجانية ومن دون ذكر اسمكِ مع مستشارات جمعيتَي Telefono Donna و Ebano. الرسائل مشفّرة: لا يقرؤها إلا أنتِ والمستشارة.',
  dangerQ: 'هل أنتِ في خطر الآن؟',
  dangerYes: 'نعم',
  dangerNo: 'لا',
  dangerUnsure: 'لا أعرف',
  dangerNow: 'إذا كنتِ في خطر، اتصلي الآن:',
  dangerStillChat: 'ويمكنكِ أيضًا الكتابة هنا: سيكون دوركِ الأول.',
  emergencyHeading: 'أرقام الطوارئ',
  callPrefix: 'اتصلي بالرقم',
  about112: 'الطوارئ: الشرطة، الإسعاف، الإطفاء',
  about1522: 'خط مناهضة العنف والملاحقة: مجاني، ليلًا ونهارًا',
  canWriteQ: 'هل تستطيعين الكتابة بأمان الآن؟',
  canWriteYes: 'نعم',
  canWriteBriefly: 'لوقت قصير فقط',
  canWriteNo: 'لا',
  associationQ: 'مع أيّ جمعية تريدين التحدّث؟',
  associationEither: 'أيّ واحدة',
  languageQ: 'بأيّ لغة تريدين الكتابة؟',
  topicsQ: 'عن ماذا تريدين التحدّث؟ (اختياري)',
  detailsQ: 'هل هناك ما تريدين أن تعرفه المستشارة أولًا؟ (اختياري)',
  detailsHint: 'لا تقرؤه إلا المستشارة: إنه مشفّر مثل الرسائل.',
  topics: {
    physical: 'عنف جسدي',
    psychological: 'عنف نفسي',
    sexual: 'عنف جنسي',
    economic: 'عنف اقتصادي (المال)',
    stalking: 'ملاحقة ومضايقة',
    children: 'الأطفال',
    housing: 'السكن',
    info: 'معلومات',
    other: 'شيء آخر',
  },
  answerThis: 'من فضلكِ أجيبي عن هذا السؤال.',
  join: 'ابدئي المحادثة',
  preparing: 'جارٍ تجهيز الاتصال الآمن…',
  cryptoFailed: 'الاتصال الآمن لا يعمل في هذا المتصفح. اتصلي بالرقم 1522.',
  joining: 'جارٍ الاتصال…',
  networkError: 'لا نستطيع الاتصال الآن. حاولي بعد قليل. في حالة الطوارئ اتصلي بالرقم 112.',
  waitingHeading: 'أنتِ في قائمة الانتظار',
  position: (n) => `دوركِ رقم ${n} في قائمة الانتظار.`,
  positionNext: 'دوركِ هو التالي.',
  positionUnknown: 'نحدّد مكانكِ في قائمة الانتظار…',
  eta: (low, high) =>
    low === high
      ? `مدة الانتظار: حوالي ${arMinutes(high)}.`
      : low <= 0
        ? `مدة الانتظار: حتى ${arMinutes(high)} تقريبًا.`
        : `مدة الانتظار: من ${low} إلى ${arMinutes(high)} تقريبًا.`,
  etaSoon: 'ستكون معكِ مستشارة بعد قليل.',
  etaUnknown: 'لا نستطيع تقدير مدة الانتظار الآن.',
  waitingNote: 'أبقي هذه الصفحة مفتوحة. ستردّ عليكِ مستشارة في أقرب وقت.',
  leaveLine: 'الخروج من قائمة الانتظار',
  refusals: {
    QUEUE_FULL: 'قائمة الانتظار ممتلئة الآن.',
    NOBODY_ON_SHIFT: 'لا توجد مستشارة في الخدمة الآن.',
    CLOSED_HOURS: 'المحادثة مغلقة في هذه الساعة.',
  },
  refusalDetails: {
    QUEUE_FULL: 'كل المستشارات مشغولات. حاولي مرة أخرى بعد قليل.',
    NOBODY_ON_SHIFT: 'حاولي مرة أخرى لاحقًا.',
    CLOSED_HOURS: 'حاولي مرة أخرى لاحقًا.',
  },
  refusalCall: 'يمكنكِ الاتصال الآن بالرقم 1522 (مجاني، ليلًا ونهارًا)، أو بالرقم 112 في حالة الطوارئ.',
  backToStart: 'العودة إلى البداية',
  assigned: 'مستشارة في الطريق إليكِ…',
  requeued: 'نوصلكِ الآن بمستشارة أخرى…',
  transferred: 'طلبت مستشارتكِ من زميلة أن تتابع معكِ. نوصلكِ الآن بمستشارة أخرى… لن تُنقل رسائلكِ السابقة.',
  unverified: 'لم نستطع التحقّق من هوية المستشارة. لا تكتبي شيئًا. اتصلي بالرقم 1522.',
  // Latin names isolated (FSI…PDI), so they never reorder the Arabic around them.
  verified: (alias, association, verifier) => `\u2068${alias}\u2069، \u2068${association}\u2069 — تحقّقت منها جمعية \u2068${verifier}\u2069`,
  reminder: 'تذكّري: زر «خروج» في الأعلى يغلق كل شيء فورًا، في أيّ لحظة.',
  chat: {
    log: 'الرسائل',
    me: 'أنتِ',
    them: 'المستشارة',
    states: { sending: 'جارٍ الإرسال…', sent: 'أُرسلت', delivered: 'وصلت', failed: 'لم تُرسل' },
    retry: 'أعيدي المحاولة',
    tampered: 'رسالة لم تنجح في فحص الأمان ولم تُعرض.',
    typing: 'المستشارة تكتب…',
    message: 'رسالتكِ',
    send: 'إرسال',
    refusals: {
      empty: 'اكتبي رسالة.',
      'too-long': 'الرسالة طويلة جدًا.',
      'too-many': 'المحادثة طويلة جدًا: أنهيها وابدئي محادثة جديدة.',
      closed: 'انتهت المحادثة.',
    },
  },
  peerAway: 'انقطع اتصال المستشارة. انتظري لحظة من فضلكِ.',
  endChat: 'إنهاء المحادثة',
  confirmEndQ: 'هل تريدين إنهاء المحادثة؟ سيُحذف كل شيء.',
  confirmEnd: 'نعم، أنهيها',
  cancel: 'لا، أكملي',
  chatEnded: 'انتهت المحادثة.',
  chatEndedWiped: 'حُذفت الرسائل من هذه الصفحة.',
  connectionLost: 'انقطع الاتصال. نحاول من جديد… لن تضيع رسائلكِ.',
  connectionBack: 'عاد الاتصال.',
  associationNames: ASSOCIATION_NAMES,
};

const es: Dict = {
  exitHidden: 'Salida de emergencia: ',
  exit: 'Salir',
  uiLanguage: 'Idioma',
  safetyNote:
    'Salir cierra esta página al instante. Pero la visita queda en el historial del navegador: si alguien revisa tu teléfono, usa una pestaña privada (de incógnito).',
  safetyLink: 'Cómo usar esta página con seguridad',
  heading: 'Habla con una consejera',
  intro:
    'Chat gratuito y anónimo con las consejeras de Telefono Donna y Ebano. Los mensajes están cifrados: solo los ves tú y la consejera.',
  dangerQ: '¿Estás en peligro ahora mismo?',
  dangerYes: 'Sí',
  dangerNo: 'No',
  dangerUnsure: 'No lo sé',
  dangerNow: 'Si estás en peligro, llama ahora:',
  dangerStillChat: 'También puedes escribir aquí: serás la primera de la fila.',
  emergencyHeading: 'Números de emergencia',
  callPrefix: 'Llama al',
  about112: 'Emergencias: policía, ambulancia, bomberos',
  about1522: 'Contra la violencia y el acoso: gratis, de día y de noche',
  canWriteQ: '¿Puedes escribir con seguridad ahora?',
  canWriteYes: 'Sí',
  canWriteBriefly: 'Solo un rato',
  canWriteNo: 'No',
  associationQ: '¿Con qué asociación quieres hablar?',
  associationEither: 'Me da igual',
  languageQ: '¿En qué idioma quieres escribir?',
  topicsQ: '¿De qué quieres hablar? (opcional)',
  detailsQ: '¿Hay algo que quieras que la consejera sepa primero? (opcional)',
  detailsHint: 'Solo la consejera puede leerlo: está cifrado como los mensajes.',
  topics: {
    physical: 'Violencia física',
    psychological: 'Violencia psicológica',
    sexual: 'Violencia sexual',
    economic: 'Violencia económica (dinero)',
    stalking: 'Acoso (stalking)',
    children: 'Hijos',
    housing: 'Vivienda',
    info: 'Información',
    other: 'Otra cosa',
  },
  answerThis: 'Responde a esta pregunta.',
  join: 'Empezar el chat',
  preparing: 'Preparando una conexión segura…',
  cryptoFailed: 'La conexión segura no funciona en este navegador. Llama al 1522.',
  joining: 'Conectando…',
  networkError: 'No podemos conectar. Inténtalo de nuevo en un momento. En una emergencia, llama al 112.',
  waitingHeading: 'Estás en la fila',
  position: (n) => `Eres la número ${n} de la fila.`,
  positionNext: 'Eres la siguiente.',
  positionUnknown: 'Buscando tu lugar en la fila…',
  eta: (low, high) =>
    low === high
      ? `Espera: unos ${high} minutos.`
      : low <= 0
        ? `Espera: hasta unos ${high} minutos.`
        : `Espera: unos ${low}–${high} minutos.`,
  etaSoon: 'Una consejera te atenderá enseguida.',
  etaUnknown: 'Ahora mismo no podemos calcular la espera.',
  waitingNote: 'Deja esta página abierta. Una consejera te responderá lo antes posible.',
  leaveLine: 'Salir de la fila',
  refusals: {
    QUEUE_FULL: 'La fila está llena en este momento.',
    NOBODY_ON_SHIFT: 'Ahora no hay ninguna consejera de turno.',
    CLOSED_HOURS: 'El chat está cerrado a esta hora.',
  },
  refusalDetails: {
    QUEUE_FULL: 'Todas las consejeras están ocupadas. Inténtalo un poco más tarde.',
    NOBODY_ON_SHIFT: 'Inténtalo más tarde.',
    CLOSED_HOURS: 'Inténtalo más tarde.',
  },
  refusalCall: 'Puedes llamar ahora al 1522 (gratis, de día y de noche), o al 112 en una emergencia.',
  backToStart: 'Volver al inicio',
  assigned: 'Una consejera está llegando…',
  requeued: 'Te estamos pasando con otra consejera…',
  transferred:
    'Tu consejera ha pedido a una compañera que siga contigo. Te estamos pasando con otra consejera… Tus mensajes anteriores no se transmiten.',
  unverified: 'No hemos podido verificar a la consejera. No escribas nada. Llama al 1522.',
  verified: (alias, association, verifier) => `${alias}, ${association} — verificada por ${verifier}`,
  reminder: 'Recuerda: el botón Salir de arriba lo cierra todo al instante, en cualquier momento.',
  chat: {
    log: 'Mensajes',
    me: 'Tú',
    them: 'Consejera',
    states: { sending: 'Enviando…', sent: 'Enviado', delivered: 'Entregado', failed: 'No enviado' },
    retry: 'Reintentar',
    tampered: 'Un mensaje no pasó el control de seguridad y no se muestra.',
    typing: 'La consejera está escribiendo…',
    message: 'Tu mensaje',
    send: 'Enviar',
    refusals: {
      empty: 'Escribe un mensaje.',
      'too-long': 'El mensaje es demasiado largo.',
      'too-many': 'Este chat es demasiado largo: termínalo y empieza otro.',
      closed: 'El chat ha terminado.',
    },
  },
  peerAway: 'La consejera ha perdido la conexión. Espera un momento.',
  endChat: 'Terminar el chat',
  confirmEndQ: '¿Quieres terminar el chat? Todo se borrará.',
  confirmEnd: 'Sí, terminar',
  cancel: 'No, seguir',
  chatEnded: 'El chat ha terminado.',
  chatEndedWiped: 'Los mensajes se han borrado de esta página.',
  connectionLost: 'Se perdió la conexión. Lo estamos intentando de nuevo… No perderás tus mensajes.',
  connectionBack: 'Conectada de nuevo.',
  associationNames: ASSOCIATION_NAMES,
};

// French puts a no-break space before : ? ! so the sign never starts a line on its own.
const NB = '\u00a0';

const fr: Dict = {
  exitHidden: `Sortie d'urgence${NB}: `,
  exit: 'Quitter',
  uiLanguage: 'Langue',
  safetyNote: `Quitter ferme cette page tout de suite. Mais la visite reste dans l'historique du navigateur${NB}: si quelqu'un regarde votre téléphone, utilisez un onglet privé (navigation privée).`,
  safetyLink: 'Comment utiliser cette page en sécurité',
  heading: 'Parler avec une conseillère',
  intro: `Chat gratuit et anonyme avec les conseillères de Telefono Donna et Ebano. Les messages sont chiffrés${NB}: seules la conseillère et vous pouvez les lire.`,
  dangerQ: `Êtes-vous en danger en ce moment${NB}?`,
  dangerYes: 'Oui',
  dangerNo: 'Non',
  dangerUnsure: 'Je ne sais pas',
  dangerNow: `Si vous êtes en danger, appelez maintenant${NB}:`,
  dangerStillChat: `Vous pouvez aussi écrire ici${NB}: vous passerez en premier.`,
  emergencyHeading: "Numéros d'urgence",
  callPrefix: 'Appeler le',
  about112: `Urgences${NB}: police, ambulance, pompiers`,
  about1522: `Violences et harcèlement${NB}: gratuit, jour et nuit`,
  canWriteQ: `Pouvez-vous écrire en sécurité maintenant${NB}?`,
  canWriteYes: 'Oui',
  canWriteBriefly: 'Seulement un peu',
  canWriteNo: 'Non',
  associationQ: `Avec quelle association voulez-vous parler${NB}?`,
  associationEither: "L'une ou l'autre",
  languageQ: `Dans quelle langue voulez-vous écrire${NB}?`,
  topicsQ: `De quoi voulez-vous parler${NB}? (facultatif)`,
  detailsQ: `Voulez-vous dire quelque chose à la conseillère dès le début${NB}? (facultatif)`,
  detailsHint: `Seule la conseillère peut le lire${NB}: c'est chiffré comme les messages.`,
  topics: {
    physical: 'Violence physique',
    psychological: 'Violence psychologique',
    sexual: 'Violence sexuelle',
    economic: 'Violence économique (argent)',
    stalking: 'Harcèlement, traque',
    children: 'Enfants',
    housing: 'Logement',
    info: 'Informations',
    other: 'Autre chose',
  },
  answerThis: 'Répondez à cette question.',
  join: 'Commencer le chat',
  preparing: 'Préparation de la connexion sécurisée…',
  cryptoFailed: 'La connexion sécurisée ne fonctionne pas dans ce navigateur. Appelez le 1522.',
  joining: 'Connexion…',
  networkError: "Nous n'arrivons pas à nous connecter. Réessayez dans un moment. En cas d'urgence, appelez le 112.",
  waitingHeading: "Vous êtes dans la file d'attente",
  position: (n) => `Vous êtes numéro ${n} dans la file.`,
  positionNext: 'Vous êtes la prochaine.',
  positionUnknown: 'Nous cherchons votre place dans la file…',
  eta: (low, high) =>
    low === high
      ? `Attente${NB}: environ ${high} minutes.`
      : low <= 0
        ? `Attente${NB}: jusqu'à ${high} minutes environ.`
        : `Attente${NB}: environ ${low} à ${high} minutes.`,
  etaSoon: 'Une conseillère sera avec vous très bientôt.',
  etaUnknown: "Nous ne pouvons pas estimer l'attente pour le moment.",
  waitingNote: 'Gardez cette page ouverte. Une conseillère vous répondra dès que possible.',
  leaveLine: 'Quitter la file',
  refusals: {
    QUEUE_FULL: 'La file est pleine en ce moment.',
    NOBODY_ON_SHIFT: "Aucune conseillère n'est de service en ce moment.",
    CLOSED_HOURS: 'Le chat est fermé à cette heure.',
  },
  refusalDetails: {
    QUEUE_FULL: 'Toutes les conseillères sont occupées. Réessayez un peu plus tard.',
    NOBODY_ON_SHIFT: 'Réessayez plus tard.',
    CLOSED_HOURS: 'Réessayez plus tard.',
  },
  refusalCall: "Vous pouvez appeler le 1522 maintenant (gratuit, jour et nuit), ou le 112 en cas d'urgence.",
  backToStart: 'Retour au début',
  assigned: 'Une conseillère arrive…',
  requeued: 'Nous vous mettons en contact avec une autre conseillère…',
  transferred:
    'Votre conseillère a demandé à une collègue de continuer avec vous. Nous vous mettons en contact avec une autre conseillère… Vos messages précédents ne sont pas transmis.',
  unverified: "Nous n'avons pas pu vérifier la conseillère. N'écrivez rien. Appelez le 1522.",
  verified: (alias, association, verifier) => `${alias}, ${association} — vérifiée par ${verifier}`,
  reminder: `Rappel${NB}: le bouton Quitter en haut ferme tout immédiatement, à tout moment.`,
  chat: {
    log: 'Messages',
    me: 'Vous',
    them: 'Conseillère',
    states: { sending: 'Envoi…', sent: 'Envoyé', delivered: 'Remis', failed: 'Non envoyé' },
    retry: 'Réessayer',
    tampered: "Un message n'a pas passé le contrôle de sécurité et n'est pas affiché.",
    typing: 'La conseillère écrit…',
    message: 'Votre message',
    send: 'Envoyer',
    refusals: {
      empty: 'Écrivez un message.',
      'too-long': 'Le message est trop long.',
      'too-many': `Ce chat est trop long${NB}: terminez-le et commencez-en un nouveau.`,
      closed: 'Le chat est terminé.',
    },
  },
  peerAway: 'La conseillère a perdu la connexion. Attendez un moment.',
  endChat: 'Terminer le chat',
  confirmEndQ: `Voulez-vous terminer le chat${NB}? Tout sera effacé.`,
  confirmEnd: 'Oui, terminer',
  cancel: 'Non, continuer',
  chatEnded: 'Le chat est terminé.',
  chatEndedWiped: 'Les messages ont été effacés de cette page.',
  connectionLost: 'Connexion perdue. Nouvelle tentative… Vos messages ne seront pas perdus.',
  connectionBack: 'Connexion rétablie.',
  associationNames: ASSOCIATION_NAMES,
};

const zh: Dict = {
  exitHidden: '紧急退出：',
  exit: '退出',
  uiLanguage: '语言',
  safetyNote: '按“退出”会立刻关闭本页。但浏览器的历史记录里仍会留下这次访问：如果有人会查看您的手机，请使用无痕（隐私）标签页。',
  safetyLink: '如何安全地使用本页',
  heading: '与咨询师交谈',
  intro: '免费、匿名的在线聊天，由 Telefono Donna 和 Ebano 的咨询师提供。消息经过加密：只有您和咨询师能看到。',
  dangerQ: '您现在有危险吗？',
  dangerYes: '有',
  dangerNo: '没有',
  dangerUnsure: '不确定',
  dangerNow: '如果您有危险，请立即拨打：',
  dangerStillChat: '您也可以在这里留言：您会被优先接待。',
  emergencyHeading: '紧急电话',
  callPrefix: '拨打',
  about112: '紧急求助：警察、救护车、消防',
  about1522: '反暴力和反跟踪热线：免费，全天24小时',
  canWriteQ: '您现在可以安全地打字吗？',
  canWriteYes: '可以',
  canWriteBriefly: '只能一小会儿',
  canWriteNo: '不可以',
  associationQ: '您想和哪个机构交谈？',
  associationEither: '哪个都可以',
  languageQ: '您想用哪种语言聊天？',
  topicsQ: '您想谈什么？（可不选）',
  detailsQ: '有什么想让咨询师先知道的吗？（可不填）',
  detailsHint: '只有咨询师能看到：和消息一样经过加密。',
  topics: {
    physical: '身体暴力',
    psychological: '精神暴力',
    sexual: '性暴力',
    economic: '经济暴力（钱）',
    stalking: '跟踪骚扰',
    children: '孩子',
    housing: '住房',
    info: '咨询信息',
    other: '其他',
  },
  answerThis: '请回答这个问题。',
  join: '开始聊天',
  preparing: '正在准备安全连接…',
  cryptoFailed: '这个浏览器无法建立安全连接。请拨打 1522。',
  joining: '正在连接…',
  networkError: '现在无法连接。请稍后再试。紧急情况请拨打 112。',
  waitingHeading: '您正在排队',
  position: (n) => `您排在第 ${n} 位。`,
  positionNext: '下一位就是您。',
  positionUnknown: '正在确认您的排队位置…',
  eta: (low, high) =>
    low === high ? `预计等待：约 ${high} 分钟。` : low <= 0 ? `预计等待：最多约 ${high} 分钟。` : `预计等待：约 ${low}–${high} 分钟。`,
  etaSoon: '咨询师很快就会和您交谈。',
  etaUnknown: '目前无法估计等待时间。',
  waitingNote: '请保持本页打开。咨询师会尽快回复您。',
  leaveLine: '退出排队',
  refusals: {
    QUEUE_FULL: '现在排队人数已满。',
    NOBODY_ON_SHIFT: '现在没有咨询师值班。',
    CLOSED_HOURS: '现在不是聊天开放时间。',
  },
  refusalDetails: {
    QUEUE_FULL: '咨询师都在忙。请过一会儿再试。',
    NOBODY_ON_SHIFT: '请稍后再试。',
    CLOSED_HOURS: '请稍后再试。',
  },
  refusalCall: '您现在可以拨打 1522（免费，全天24小时）；紧急情况请拨打 112。',
  backToStart: '回到开始',
  assigned: '咨询师马上就来…',
  requeued: '正在为您转接另一位咨询师…',
  transferred: '您的咨询师已请一位同事继续为您服务。正在为您转接另一位咨询师…之前的消息不会被转交。',
  unverified: '我们无法核实这位咨询师的身份。请不要输入任何内容。请拨打 1522。',
  verified: (alias, association, verifier) => `${alias}，${association} — 已由 ${verifier} 核实`,
  reminder: '提醒：随时按顶部的“退出”按钮，就会立刻关闭一切。',
  chat: {
    log: '消息',
    me: '我',
    them: '咨询师',
    states: { sending: '发送中…', sent: '已发送', delivered: '已送达', failed: '未发送' },
    retry: '重试',
    tampered: '有一条消息没有通过安全检查，已被隐藏。',
    typing: '咨询师正在输入…',
    message: '您的消息',
    send: '发送',
    refusals: {
      empty: '请输入消息。',
      'too-long': '消息太长了。',
      'too-many': '这次聊天太长了：请结束后再开始新的聊天。',
      closed: '聊天已结束。',
    },
  },
  peerAway: '咨询师的网络断开了。请稍等。',
  endChat: '结束聊天',
  confirmEndQ: '要结束聊天吗？所有内容都会被删除。',
  confirmEnd: '是，结束',
  cancel: '不，继续',
  chatEnded: '聊天已结束。',
  chatEndedWiped: '本页上的消息已被删除。',
  connectionLost: '连接断开了。正在重新连接… 您的消息不会丢失。',
  connectionBack: '已重新连接。',
  associationNames: ASSOCIATION_NAMES,
};

export const DICTIONARIES: Readonly<Record<UiLanguage, Dict>> = { it, en, ar, es, fr, zh };
