// Presentational chat pieces shared by the resident page and the console: the message log, the composer and
// the typing line. They take a snapshot and callbacks; all wording comes in through `labels`.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatItem, OwnState, SendRefusal } from './chat-controller.ts';
import './chat-view.css';

export interface ChatLabels {
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
}

export function MessageList(props: { items: readonly ChatItem[]; labels: ChatLabels; onRetry: () => void }) {
  const { items, labels, onRetry } = props;
  const endRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    endRef.current?.scrollIntoView({ block: 'end' });
  }, [items.length]);
  return (
    // role="log" is polite by default; aria-live is repeated for screen readers that ignore the role.
    <ol className="chat-log" role="log" aria-live="polite" aria-label={labels.log} data-testid="message-list">
      {items.map((item) =>
        item.kind === 'tampered' ? (
          <li key={item.id} className="chat-notice" role="alert">
            {labels.tampered}
          </li>
        ) : item.from === 'me' ? (
          <li
            key={item.id}
            className="chat-row chat-row--me"
            data-testid="message"
            data-from="me"
            data-state={item.state}
            data-seq={item.seq}
          >
            <span className="visually-hidden">{labels.me}: </span>
            <p className="chat-text">{item.text}</p>
            <span className="chat-state">
              {labels.states[item.state]}
              {item.state === 'failed' && (
                <button type="button" className="button button--small" onClick={onRetry}>
                  {labels.retry}
                </button>
              )}
            </span>
          </li>
        ) : (
          <li
            key={item.id}
            className="chat-row chat-row--them"
            data-testid="message"
            data-from="them"
            data-state="received"
            data-seq={item.seq}
          >
            <span className="visually-hidden">{labels.them}: </span>
            <p className="chat-text">{item.text}</p>
          </li>
        ),
      )}
      <li ref={endRef} className="chat-end" aria-hidden="true" />
    </ol>
  );
}

export function TypingLine(props: { typing: boolean; text: string }) {
  // The live region stays mounted so the announcement fires; the test id marks only the visible state.
  return (
    <div className="chat-typing" aria-live="polite">
      {props.typing && <p data-testid="typing">{props.text}</p>}
    </div>
  );
}

export function Composer(props: {
  labels: ChatLabels;
  disabled?: boolean;
  /** Desktop habit: Enter sends, Shift+Enter breaks the line. On phones Enter stays a newline. */
  enterSends?: boolean;
  onSend: (text: string) => SendRefusal | null;
  onTyping: () => void;
}) {
  const { labels, disabled = false, enterSends = false, onSend, onTyping } = props;
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<SendRefusal | null>(null);
  const inputId = useId();
  const errorId = useId();

  const submit = () => {
    if (disabled) return;
    const result = onSend(text);
    setRefusal(result === 'empty' ? null : result);
    if (result === null) setText('');
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    if ((enterSends && !e.shiftKey) || e.ctrlKey || e.metaKey) {
      e.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" autoComplete="off" onSubmit={onSubmit}>
      <label htmlFor={inputId} className="visually-hidden">
        {labels.message}
      </label>
      <textarea
        id={inputId}
        className="composer-input"
        data-testid="message-input"
        rows={2}
        value={text}
        disabled={disabled}
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        aria-describedby={refusal ? errorId : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (refusal) setRefusal(null);
          if (e.target.value !== '') onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="button button--primary" data-testid="send" disabled={disabled}>
        {labels.send}
      </button>
      {refusal && (
        <p id={errorId} className="composer-error" role="alert">
          {labels.refusals[refusal]}
        </p>
      )}
    </form>
  );
}
