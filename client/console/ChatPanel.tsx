// One chat in the console: banner (ended, lost keys, resident away), her triage answers, the messages and
// composer, and ending with an outcome code for the anonymous statistics.
import { useEffect, useId, useRef, useState } from 'react';
import type { Outcome } from '../../protocol/events.ts';
import type { ChatSnapshot } from '../shared/chat-controller.ts';
import { Composer, MessageList, TypingLine } from '../shared/chat-view.tsx';
import { LANGUAGE_ENDONYMS, OUTCOMES } from '../shared/contract.ts';
import { Store } from '../shared/store.ts';
import { useStore } from '../shared/use-store.ts';
import type { ChatTab } from './console-controller.ts';
import { bannerText, CAN_WRITE_LABELS, CHAT_LABELS, DANGER_LABELS, OUTCOME_LABELS, TOPIC_LABELS, URGENCY_LABELS } from './labels.ts';

const NO_CHAT = new Store<ChatSnapshot | null>(null);

export function ChatPanel(props: { tab: ChatTab; onEnd: (outcome: Outcome) => void; onClose: () => void }) {
  const { tab, onEnd, onClose } = props;
  const controller = tab.controller;
  const snap = useStore<ChatSnapshot | null>(controller ? controller.store : NO_CHAT);
  const [confirming, setConfirming] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>('information');
  const outcomeId = useId();
  const outcomeRef = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    if (confirming) outcomeRef.current?.focus();
  }, [confirming]);

  const ended = tab.status === 'ended';
  const canWrite = tab.status === 'active' && controller !== null && snap !== null && !snap.closed;
  const { entry } = tab;

  return (
    <article className="chat-panel" data-chat-id={tab.chatId} data-status={tab.status}>
      {tab.banner && (
        <p
          className={`chat-banner banner-${tab.banner.kind}`}
          role="status"
          data-testid="chat-banner"
          data-kind={tab.banner.kind}
          data-reason={tab.banner.kind === 'ended' ? (tab.banner.reason ?? '') : undefined}
        >
          {bannerText(tab.banner)}
        </p>
      )}
      {tab.status === 'handshaking' && <p className="muted">Setting up the encrypted connection…</p>}

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

      {snap && (
        <>
          <MessageList items={snap.items} labels={CHAT_LABELS} onRetry={() => controller?.retry()} />
          <TypingLine typing={snap.typing} text={CHAT_LABELS.typing} />
        </>
      )}
      <Composer
        labels={CHAT_LABELS}
        enterSends
        disabled={!canWrite}
        onSend={(text) => controller?.send(text) ?? 'closed'}
        onTyping={() => controller?.noteTyping()}
      />

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
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as Outcome)}
            >
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {OUTCOME_LABELS[o]}
                </option>
              ))}
            </select>
            <button type="button" className="button button--danger" data-testid="confirm-end" onClick={() => onEnd(outcome)}>
              End chat
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
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
