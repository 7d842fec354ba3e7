// One chat in the console: banner (quick exit, connection lost or back, ended, lost keys), her triage answers,
// what she wrote before the chat (pinned, decrypted like any message), the messages, canned replies and the
// composer, and ending with an outcome code she must choose (it feeds only the anonymous statistics).
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Outcome } from '../../protocol/events.ts';
import type { ChatItem, ChatSnapshot } from '../shared/chat-controller.ts';
import { Composer, MessageList, TypingLine } from '../shared/chat-view.tsx';
import { LANGUAGE_ENDONYMS, OUTCOMES } from '../shared/contract.ts';
import { Store } from '../shared/store.ts';
import { useStore } from '../shared/use-store.ts';
import type { CannedReplySet } from './canned-replies.ts';
import { CannedReplyPicker } from './CannedReplyPicker.tsx';
import type { ChatTab } from './console-controller.ts';
import { HandoffNote } from './TransferDialog.tsx';
import {
  bannerKey,
  bannerRole,
  bannerText,
  CAN_WRITE_LABELS,
  CHAT_LABELS,
  DANGER_LABELS,
  OUTCOME_LABELS,
  TOPIC_LABELS,
  URGENCY_LABELS,
} from './labels.ts';

const NO_CHAT = new Store<ChatSnapshot | null>(null);
const NO_ITEMS: readonly ChatItem[] = [];

const isDetails = (i: ChatItem) => i.kind === 'message' && i.from === 'them' && i.details === true;

export function ChatPanel(props: {
  tab: ChatTab;
  onEnd: (outcome: Outcome) => void;
  onClose: () => void;
  transfer?: ReactNode;
  /** Her association's own canned replies, and a refresh when she opens the picker. */
  cannedReplies?: CannedReplySet;
  onCannedOpen?: () => void;
}) {
  const { tab, onEnd, onClose, cannedReplies, onCannedOpen } = props;
  const controller = tab.controller;
  const snap = useStore<ChatSnapshot | null>(controller ? controller.store : NO_CHAT);
  const [confirming, setConfirming] = useState(false);
  // No default: a pre-selected outcome would be sent unread and skew the statistics.
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [insert, setInsert] = useState<{ id: number; text: string } | null>(null);
  const outcomeId = useId();
  const outcomeHintId = useId();
  const outcomeRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    if (confirming) outcomeRef.current?.focus();
  }, [confirming]);

  const ended = tab.status === 'ended';
  const canWrite = tab.status === 'active' && controller !== null && snap !== null && !snap.closed;
  const { entry } = tab;
  const items = snap?.items ?? NO_ITEMS;
  const details = items.filter(isDetails);
  const messages = details.length > 0 ? items.filter((i) => !isDetails(i)) : items;
  const banner = tab.banner ? bannerKey(tab.banner) : null;

  return (
    <article className="chat-panel" data-chat-id={tab.chatId} data-status={tab.status}>
      {tab.banner && banner && (
        <p
          className={`chat-banner banner-${tab.banner.kind} banner--${banner}`}
          role={bannerRole(banner)}
          data-testid="chat-banner"
          data-kind={tab.banner.kind}
          data-banner={banner}
          data-reason={tab.banner.kind === 'ended' ? (tab.banner.reason ?? '') : undefined}
        >
          {bannerText(tab.banner)}
        </p>
      )}
      {tab.status === 'handshaking' && <p className="muted">Setting up the encrypted connection…</p>}

      {tab.handoff && <HandoffNote handoff={tab.handoff} />}
      <dl className="triage-summary">
        <div>
          <dt>Urgency</dt>
          <dd>{URGENCY_LABELS[entry.urgency]}</dd>
        </div>
        <div>
          <dt>Danger</dt>
          <dd>{DANGER_LABELS[entry.danger]}</dd>
        </div>
        <div>
          <dt>Writing</dt>
          <dd>{CAN_WRITE_LABELS[entry.canWrite]}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{LANGUAGE_ENDONYMS[entry.language] ?? entry.language}</dd>
        </div>
        {entry.topics.length > 0 && (
          <div>
            <dt>Topics</dt>
            <dd>{entry.topics.map((x) => TOPIC_LABELS[x] ?? x).join(', ')}</dd>
          </div>
        )}
      </dl>

      {details.length > 0 && (
        <section className="triage-details" aria-labelledby={`details-${tab.chatId}`} data-testid="triage-details">
          <h3 id={`details-${tab.chatId}`}>What she wrote before the chat</h3>
          {details.map((d) => (
            <p key={d.id} dir="auto" className="triage-details-text">
              {d.kind === 'message' ? d.text : ''}
            </p>
          ))}
        </section>
      )}

      {snap && (
        <>
          <MessageList items={messages} labels={CHAT_LABELS} onRetry={() => controller?.retry()} />
          <TypingLine typing={snap.typing} text={CHAT_LABELS.typing} />
        </>
      )}
      <CannedReplyPicker
        residentLanguage={entry.language}
        own={cannedReplies}
        onOpen={onCannedOpen}
        disabled={!canWrite}
        onInsert={(text) => setInsert((prev) => ({ id: (prev?.id ?? 0) + 1, text }))}
      />
      <Composer
        labels={CHAT_LABELS}
        enterSends
        insert={insert}
        disabled={!canWrite}
        // send() answers null when the message went out: `?? 'closed'` would turn that success into a refusal.
        onSend={(text) => (controller ? controller.send(text) : 'closed')}
        onTyping={() => controller?.noteTyping()}
      />

      {props.transfer && <div className="transfer-actions">{props.transfer}</div>}
      <div className="chat-actions">
        {ended ? (
          <button type="button" className="button" data-testid="close-chat" onClick={onClose}>
            Close this chat
          </button>
        ) : confirming ? (
          <div className="confirm" role="group" aria-label="End this chat">
            <label htmlFor={outcomeId}>Outcome</label>
            <select
              id={outcomeId}
              ref={outcomeRef}
              data-testid="outcome-select"
              required
              aria-describedby={outcomeHintId}
              value={outcome ?? ''}
              onChange={(e) => setOutcome(OUTCOMES.find((o) => o === e.target.value) ?? null)}
            >
              <option value="" disabled>
                Choose an outcome…
              </option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button button--danger"
              data-testid="confirm-end"
              disabled={outcome === null}
              onClick={() => outcome && onEnd(outcome)}
            >
              End chat
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
            <p id={outcomeHintId} className="muted outcome-hint">
              Required. It is counted only in the anonymous statistics, never with this chat.
            </p>
          </div>
        ) : (
          <button type="button" className="button" data-testid="end-chat" onClick={() => setConfirming(true)}>
            End chat…
          </button>
        )}
      </div>
    </article>
  );
}
