// Every word the resident page shows, one dictionary per interface language (Italian first). Adding a
// language = adding one object of type Dict here; `dirOf` decides the layout direction.
import type { Association, Topic } from '../../protocol/triage.ts';
import type { OwnState, SendRefusal } from '../shared/chat-controller.ts';

export type UiLanguage = 'it' | 'en';
export const UI_LANGUAGES: readonly UiLanguage[] = ['it', 'en'];
export const DEFAULT_UI_LANGUAGE: UiLanguage = 'it';

/** Own-name of each interface language, shown in the picker. */
export const UI_LANGUAGE_NAMES: Readonly<Record<UiLanguage, string>> = { it: 'Italiano', en: 'English' };

const RTL_LANGUAGES: ReadonlySet<string> = new Set(['ar', 'fa', 'he', 'ur']);

export function dirOf(language: string): 'ltr' | 'rtl' {
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr';
}

export type Refusal = 'QUEUE_FULL' | 'NOBODY_ON_SHIFT' | 'CLOSED_HOURS';

export interface Dict {
  exitHidden: string;
  exit: string;
  safetyNote: string;
  heading: string;
  intro: string;
  uiLanguage: string;
  dangerQ: string;
  dangerYes: string;
  dangerNo: string;
  dangerUnsure: string;
  dangerNow: string;
  dangerStillChat: string;
  emergencyHeading: string;
  call112: string;
  call1522: string;
  canWriteQ: string;
  canWriteYes: string;
  canWriteBriefly: string;
  canWriteNo: string;
  associationQ: string;
  associationEither: string;
  languageQ: string;
  topicsQ: string;
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
  eta: (low: number, high: number) => string;
  etaUnknown: string;
  waitingNote: string;
  leaveLine: string;
  refusals: Readonly<Record<Refusal, string>>;
  refusalCall: string;
  backToStart: string;
  assigned: string;
  /** Her counsellor did not answer or vanished; she keeps her place at the front of the line. */
  requeued: string;
  unverified: string;
  verified: (alias: string, association: string, verifier: string) => string;
  exitAnyTime: string;
  chat: {
    log: string;
    me: string;
    them: string;
    states: Readonly<Record<OwnState, string>>;
    retry: string;
    tampered: string;
    typing: string;
    message: string;
    send: string;
    refusals: Readonly<Record<SendRefusal, string>>;
  };
  peerAway: string;
  endChat: string;
  confirmEndQ: string;
  confirmEnd: string;
  cancel: string;
  chatEnded: string;
  chatEndedWiped: string;
  connectionLost: string;
  associationNames: Readonly<Record<Association, string>>;
}

const it: Dict = {
  exitHidden: 'Uscita rapida: ',
  exit: 'Esci',
  safetyNote:
    'Esci sostituisce subito questa pagina. La visita resta nella cronologia del browser: se qualcuno controlla il tuo telefono, usa una scheda anonima.',
  heading: "Parla con un'operatrice",
  intro:
    "Chat gratuita e anonima con le operatrici di Telefono Donna ed Ebano. I messaggi sono cifrati: solo tu e l'operatrice potete leggerli.",
  uiLanguage: 'Lingua',
  dangerQ: 'Sei in pericolo in questo momento?',
  dangerYes: 'Sì',
  dangerNo: 'No',
  dangerUnsure: 'Non lo so',
  dangerNow: 'Se sei in pericolo, chiama subito:',
  dangerStillChat: 'Puoi comunque scrivere qui: avrai la precedenza.',
  emergencyHeading: 'Numeri di emergenza',
  call112: 'Chiama il 112 – Emergenza',
  call1522: 'Chiama il 1522 – Antiviolenza, gratuito, 24 ore su 24',
  canWriteQ: 'Puoi scrivere in sicurezza adesso?',
  canWriteYes: 'Sì',
  canWriteBriefly: 'Solo per poco',
  canWriteNo: 'No',
  associationQ: 'Con quale associazione vuoi parlare?',
  associationEither: 'Una qualsiasi',
  languageQ: 'In che lingua vuoi scrivere?',
  topicsQ: 'Di cosa vuoi parlare? (facoltativo)',
  topics: {
    physical: 'Violenza fisica',
    psychological: 'Violenza psicologica',
    sexual: 'Violenza sessuale',
    economic: 'Violenza economica',
    stalking: 'Stalking',
    children: 'Figli',
    housing: 'Casa',
    info: 'Informazioni',
    other: 'Altro',
  },
  answerThis: 'Rispondi a questa domanda.',
  join: 'Inizia la chat',
  preparing: 'Preparazione della connessione sicura…',
  cryptoFailed: 'La connessione sicura non è disponibile su questo browser. Chiama il 1522.',
  joining: 'Connessione…',
  networkError: 'Non riusciamo a collegarci. Riprova tra poco; in caso di emergenza chiama il 112.',
  waitingHeading: 'Sei in fila',
  position: (n) => `Sei la numero ${n} in fila.`,
  positionNext: 'Sei la prossima.',
  positionUnknown: 'Stiamo calcolando la tua posizione…',
  eta: (low, high) => (low === high ? `Attesa stimata: circa ${low} minuti.` : `Attesa stimata: tra ${low} e ${high} minuti.`),
  etaUnknown: "Non possiamo ancora stimare l'attesa.",
  waitingNote: "Tieni aperta questa pagina. Un'operatrice ti risponderà appena possibile.",
  leaveLine: 'Esci dalla fila',
  refusals: {
    QUEUE_FULL: 'La fila è piena in questo momento.',
    NOBODY_ON_SHIFT: 'Nessuna operatrice è in turno adesso.',
    CLOSED_HOURS: 'La chat è chiusa a quest’ora.',
  },
  refusalCall: 'Chiama il 1522 (gratuito, 24 ore su 24) o il 112 in caso di emergenza.',
  backToStart: "Torna all'inizio",
  assigned: "Un'operatrice sta arrivando…",
  requeued: "Ti stiamo mettendo in contatto con un'altra operatrice…",
  unverified: "Non siamo riusciti a verificare l'operatrice. Non scrivere nulla; chiama il 1522.",
  verified: (alias, association, verifier) => `${alias}, ${association} — verificata da ${verifier}`,
  exitAnyTime: 'Puoi premere Esci in qualsiasi momento.',
  chat: {
    log: 'Messaggi',
    me: 'Tu',
    them: 'Operatrice',
    states: { sending: 'Invio…', sent: 'Inviato', delivered: 'Consegnato', failed: 'Non inviato' },
    retry: 'Riprova',
    tampered: 'Un messaggio non ha superato il controllo di sicurezza e non è stato mostrato.',
    typing: "L'operatrice sta scrivendo…",
    message: 'Messaggio',
    send: 'Invia',
    refusals: {
      empty: 'Scrivi un messaggio.',
      'too-long': 'Il messaggio è troppo lungo.',
      'too-many': 'La chat è troppo lunga: terminala e iniziane una nuova.',
      closed: 'La chat è terminata.',
    },
  },
  peerAway: "L'operatrice ha perso la connessione; attendi un momento.",
  endChat: 'Termina la chat',
  confirmEndQ: 'Terminare la chat? Tutto verrà cancellato.',
  confirmEnd: 'Sì, termina',
  cancel: 'Annulla',
  chatEnded: 'La chat è terminata.',
  chatEndedWiped: 'I messaggi sono stati cancellati da questa pagina.',
  connectionLost: 'Connessione persa — riconnessione…',
  associationNames: { 'telefono-donna': 'Telefono Donna', ebano: 'Ebano' },
};

const en: Dict = {
  exitHidden: 'Emergency: ',
  exit: 'Exit',
  safetyNote:
    "Exit replaces this page at once. The visit stays in your browser's history list: if someone checks your phone, use a private tab.",
  heading: 'Talk to a counsellor',
  intro:
    'A free, anonymous chat with the counsellors of Telefono Donna and Ebano. Messages are encrypted: only you and the counsellor can read them.',
  uiLanguage: 'Language',
  dangerQ: 'Are you in danger right now?',
  dangerYes: 'Yes',
  dangerNo: 'No',
  dangerUnsure: 'Not sure',
  dangerNow: 'If you are in danger, call now:',
  dangerStillChat: 'You can still chat here: you will be first in line.',
  emergencyHeading: 'Emergency numbers',
  call112: 'Call 112 – Emergency',
  call1522: 'Call 1522 – Anti-violence line, free, 24/7',
  canWriteQ: 'Can you write safely now?',
  canWriteYes: 'Yes',
  canWriteBriefly: 'Only briefly',
  canWriteNo: 'No',
  associationQ: 'Which association would you like to talk to?',
  associationEither: 'Either',
  languageQ: 'Which language do you want to write in?',
  topicsQ: 'What is it about? (optional)',
  topics: {
    physical: 'Physical violence',
    psychological: 'Psychological violence',
    sexual: 'Sexual violence',
    economic: 'Economic violence',
    stalking: 'Stalking',
    children: 'Children',
    housing: 'Housing',
    info: 'Information',
    other: 'Something else',
  },
  answerThis: 'Please answer this question.',
  join: 'Start the chat',
  preparing: 'Preparing secure connection…',
  cryptoFailed: 'A secure connection is not available in this browser. Call 1522.',
  joining: 'Connecting…',
  networkError: 'We could not connect. Try again shortly; in an emergency call 112.',
  waitingHeading: 'You are in line',
  position: (n) => `You are number ${n} in line.`,
  positionNext: 'You are next.',
  positionUnknown: 'Working out your place in line…',
  eta: (low, high) => (low === high ? `Estimated wait: about ${low} minutes.` : `Estimated wait: ${low}–${high} minutes.`),
  etaUnknown: 'We cannot estimate the wait yet.',
  waitingNote: 'Keep this page open. A counsellor will answer as soon as possible.',
  leaveLine: 'Leave the line',
  refusals: {
    QUEUE_FULL: 'The line is full right now.',
    NOBODY_ON_SHIFT: 'No counsellor is on shift right now.',
    CLOSED_HOURS: 'The chat is closed at this hour.',
  },
  refusalCall: 'Call 1522 (free, 24/7), or 112 in an emergency.',
  backToStart: 'Back to the start',
  assigned: 'A counsellor is joining…',
  requeued: 'Connecting you to another counsellor…',
  unverified: 'We could not verify the counsellor. Do not write anything; call 1522.',
  verified: (alias, association, verifier) => `${alias}, ${association} — verified by ${verifier}`,
  exitAnyTime: 'Exit works at any moment.',
  chat: {
    log: 'Messages',
    me: 'You',
    them: 'Counsellor',
    states: { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' },
    retry: 'Retry',
    tampered: 'A message failed the security check and was not shown.',
    typing: 'The counsellor is typing…',
    message: 'Message',
    send: 'Send',
    refusals: {
      empty: 'Write a message.',
      'too-long': 'The message is too long.',
      'too-many': 'This chat is too long: end it and start a new one.',
      closed: 'The chat has ended.',
    },
  },
  peerAway: 'The counsellor lost connection; please wait a moment.',
  endChat: 'End the chat',
  confirmEndQ: 'End the chat? Everything will be wiped.',
  confirmEnd: 'Yes, end it',
  cancel: 'Cancel',
  chatEnded: 'The chat has ended.',
  chatEndedWiped: 'The messages have been wiped from this page.',
  connectionLost: 'Connection lost — reconnecting…',
  associationNames: { 'telefono-donna': 'Telefono Donna', ebano: 'Ebano' },
};

export const DICTIONARIES: Readonly<Record<UiLanguage, Dict>> = { it, en };
