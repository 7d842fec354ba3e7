// Console wording (English for now): urgency classes, triage answers, end reasons and chat labels.
import type { EndReason, Outcome, QueueEntry } from '../../protocol/events.ts';
import type { Topic } from '../../protocol/triage.ts';
import type { ChatLabels } from '../shared/chat-view.tsx';
import type { Banner } from './console-controller.ts';

export const URGENCY_LABELS: Readonly<Record<QueueEntry['urgency'], string>> = {
  1: 'Danger now',
  2: 'Urgent',
  3: 'Standard',
};

export const DANGER_LABELS: Readonly<Record<QueueEntry['danger'], string>> = {
  yes: 'In danger now',
  no: 'Not in danger',
  unsure: 'Unsure about danger',
};
export const CAN_WRITE_LABELS: Readonly<Record<QueueEntry['canWrite'], string>> = {
  yes: 'Can write safely',
  briefly: 'Can write briefly',
  no: 'Cannot write safely',
};

export const TOPIC_LABELS: Readonly<Record<Topic, string>> = {
  physical: 'Physical violence',
  psychological: 'Psychological violence',
  sexual: 'Sexual violence',
  economic: 'Economic violence',
  stalking: 'Stalking',
  children: 'Children',
  housing: 'Housing',
  info: 'Information',
  other: 'Other',
};

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  information: 'Information given',
  referred: 'Referred to a service',
  emergency: 'Emergency services involved',
  'resident-left': 'Resident left',
  other: 'Other',
};

const END_REASON_TEXT: Readonly<Record<EndReason, string>> = {
  'resident-exit':
    'The resident left with quick exit: someone may have come in. Her side of the chat is wiped; she cannot read anything more',
  'resident-gone': 'The resident lost her connection and did not come back in time; the chat has ended',
  'resident-ended': 'The resident ended the chat',
  'counsellor-ended': 'The chat was ended',
  reassigned:
    'The chat went back to the line (no reply in time, or you were disconnected); the resident is being connected to someone else',
  transferred: 'You transferred this chat; the resident is being connected to her new counsellor. Your keys for it are wiped',
};

/**
 * What a banner means for her, so each gets its own look, tab marker and announcement. The three changes of
 * the resident's presence she must never miss are distinct: quick exit, connection dropped, back again.
 */
export type BannerKey = 'quick-exit' | 'disconnected' | 'reconnected' | 'gone' | 'ended' | 'problem';

export function bannerKey(banner: Banner): BannerKey {
  switch (banner.kind) {
    case 'ended':
      return banner.reason === 'resident-exit' ? 'quick-exit' : banner.reason === 'resident-gone' ? 'gone' : 'ended';
    case 'peer':
      return banner.state === 'away' ? 'disconnected' : 'reconnected';
    default:
      // lost keys, failed handshake, errors (and any kind added later): something she must act on.
      return 'problem';
  }
}

/** Interrupts a screen reader for what needs her attention now; the rest is announced politely. */
export function bannerRole(key: BannerKey): 'alert' | 'status' {
  return key === 'reconnected' || key === 'ended' ? 'status' : 'alert';
}

/** A word on the chat's tab, so she sees it from another chat too; null when nothing needs marking. */
export const BANNER_TAB_MARKERS: Readonly<Record<BannerKey, string | null>> = {
  'quick-exit': 'left (quick exit)',
  disconnected: 'connection lost',
  reconnected: null,
  gone: 'gone',
  ended: null,
  problem: 'needs attention',
};

export function bannerText(banner: Banner): string {
  switch (banner.kind) {
    case 'ended':
      return banner.reason ? END_REASON_TEXT[banner.reason] : 'This chat is no longer active';
    case 'lost-keys':
      return 'Lost keys — this page no longer holds the keys of this chat (it was reloaded). End this chat.';
    case 'handshake-failed':
      return banner.message;
    case 'peer':
      return banner.state === 'away'
        ? "The resident's connection dropped; she may come back. Messages you send wait for her."
        : 'The resident is back online.';
    case 'error':
      return banner.message;
    default: {
      const unreachable: never = banner;
      return String(unreachable);
    }
  }
}

export const CHAT_LABELS: ChatLabels = {
  log: 'Messages',
  me: 'You',
  them: 'Resident',
  states: { sending: 'Sending…', sent: 'Sent', delivered: 'Read', failed: 'Not sent' },
  retry: 'Retry',
  tampered: 'A message failed authentication and was not shown.',
  typing: 'The resident is typing…',
  message: 'Message',
  send: 'Send',
  refusals: {
    empty: 'Write a message.',
    'too-long': 'The message is too long.',
    'too-many': 'This chat has reached its message limit.',
    closed: 'This chat has ended.',
  },
};

export function formatWait(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m}:${String(s).padStart(2, '0')}`;
}
