// The verified chat: who she talks to (from the signed certificate), a reminder that Exit works at any
// moment, the messages with their delivery state, the composer, and ending with a confirmation because
// ending wipes everything. Laid out to fit the visible height (App), so the keyboard never hides the input.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { Association } from '../../protocol/triage.ts';
import type { ChatController } from '../shared/chat-controller.ts';
import { Composer, MessageList, TypingLine } from '../shared/chat-view.tsx';
import { useStore } from '../shared/use-store.ts';
import type { Dict } from './i18n.ts';
import { CheckIcon } from './icons.tsx';
import { useFocusOnMount } from './use-focus-on-mount.ts';

export function ChatScreen(props: {
  t: Dict;
  alias: string;
  association: Association;
  chat: ChatController;
  /** The interface language picker, placed in the header row next to End chat to save height. */
  languagePicker: ReactNode;
  onEnd: () => void;
}) {
  const { t, alias, association, chat, languagePicker, onEnd } = props;
  const snap = useStore(chat.store);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  const reminderId = useId();
  const name = t.associationNames[association];

  useEffect(() => {
    // Cancel gets focus, not the destructive button, so a double tap does not wipe the chat by accident; on
    // cancel, focus returns to the button that opened the question.
    if (confirming) cancelRef.current?.focus();
    else if (wasConfirming.current) endRef.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);

  return (
    <section className="screen screen--chat" aria-labelledby="chat-heading">
      <header className="chat-header">
        {/* Only rendered once certificate and signature have been checked (phase 'chat'). */}
        <h1 id="chat-heading" ref={headingRef} tabIndex={-1} className="verified" data-testid="verified" aria-describedby={reminderId}>
          <CheckIcon />
          <span>{t.verified(alias, name, name)}</span>
        </h1>
        <div className="chat-tools">
          {!confirming && (
            <button
              type="button"
              className="button button--small end-chat"
              data-testid="end-chat"
              ref={endRef}
              onClick={() => setConfirming(true)}
            >
              {t.endChat}
            </button>
          )}
          {languagePicker}
        </div>
      </header>

      {confirming && (
        <div className="confirm" role="group" aria-labelledby="confirm-end-q">
          <p id="confirm-end-q">{t.confirmEndQ}</p>
          <div className="confirm-actions">
            <button type="button" className="button button--danger" data-testid="confirm-end" onClick={onEnd}>
              {t.confirmEnd}
            </button>
            <button type="button" className="button" data-testid="cancel-end" ref={cancelRef} onClick={() => setConfirming(false)}>
              {t.cancel}
            </button>
          </div>
        </div>
      )}

      {snap.peer === 'away' && (
        <p className="notice" role="status">
          {t.peerAway}
        </p>
      )}

      <MessageList
        items={snap.items}
        labels={t.chat}
        onRetry={() => chat.retry()}
        intro={
          <p id={reminderId} className="chat-reminder" data-testid="reminder">
            {t.reminder}
          </p>
        }
      />
      <TypingLine typing={snap.typing} text={t.chat.typing} />
      <Composer labels={t.chat} disabled={snap.closed} keepInView onSend={(text) => chat.send(text)} onTyping={() => chat.noteTyping()} />
    </section>
  );
}
