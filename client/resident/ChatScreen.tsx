// The verified chat: who she talks to (from the signed certificate), the messages with their delivery state,
// the composer, and ending with a confirmation because ending wipes everything.
import { useEffect, useRef, useState } from 'react';
import type { Association } from '../../protocol/triage.ts';
import type { ChatController } from '../shared/chat-controller.ts';
import { Composer, MessageList, TypingLine } from '../shared/chat-view.tsx';
import { useStore } from '../shared/use-store.ts';
import type { Dict } from './i18n.ts';
import { useFocusOnMount } from './use-focus-on-mount.ts';

export function ChatScreen(props: { t: Dict; alias: string; association: Association; chat: ChatController; onEnd: () => void }) {
  const { t, alias, association, chat, onEnd } = props;
  const snap = useStore(chat.store);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const endRef = useRef<HTMLButtonElement>(null);
  const name = t.associationNames[association];

  useEffect(() => {
    // Cancel gets focus, not the destructive button, so a double tap does not wipe the chat by accident.
    if (confirming) cancelRef.current?.focus();
  }, [confirming]);

  const cancel = () => {
    setConfirming(false);
    endRef.current?.focus();
  };

  return (
    <section className="screen screen--chat" aria-labelledby="chat-heading">
      <header className="chat-header">
        <h1 id="chat-heading" ref={headingRef} tabIndex={-1} className="verified" data-testid="verified">
          {t.verified(alias, name, name)}
        </h1>
        <p className="hint">{t.exitAnyTime}</p>
        {snap.peer === 'away' && (
          <p className="notice" role="status">
            {t.peerAway}
          </p>
        )}
      </header>

      <MessageList items={snap.items} labels={t.chat} onRetry={() => chat.retry()} />
      <TypingLine typing={snap.typing} text={t.chat.typing} />
      <Composer labels={t.chat} disabled={snap.closed} onSend={(text) => chat.send(text)} onTyping={() => chat.noteTyping()} />

      {confirming ? (
        <div className="confirm" role="group" aria-labelledby="confirm-end-q">
          <p id="confirm-end-q">{t.confirmEndQ}</p>
          <div className="confirm-actions">
            <button type="button" className="button button--danger" data-testid="confirm-end" onClick={onEnd}>
              {t.confirmEnd}
            </button>
            <button type="button" className="button" ref={cancelRef} onClick={cancel}>
              {t.cancel}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="button end-chat" data-testid="end-chat" ref={endRef} onClick={() => setConfirming(true)}>
          {t.endChat}
        </button>
      )}
    </section>
  );
}
