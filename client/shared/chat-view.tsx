// Presentational chat pieces shared by the resident page and the console: the message log, the composer and
// the typing line. They take a snapshot and callbacks; all wording comes in through `labels`.
import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
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

/** Within this many pixels of the bottom, the log follows new messages; further up, she is reading back. */
const FOLLOW_SLACK_PX = 48;

function SendIcon() {
  // An arrow pointing the way the text runs; mirrored for right-to-left by the stylesheet.
  return (
    <svg className="icon icon--directional" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z" />
    </svg>
  );
}

export function MessageList(props: { items: readonly ChatItem[]; labels: ChatLabels; onRetry: () => void; intro?: ReactNode }) {
  const { items, labels, onRetry, intro } = props;
  const logRef = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const last = items[items.length - 1];
  const lastIsMine = last?.kind === 'message' && last.from === 'me';

  // Scroll the log itself (never the page): the composer and the exit bar must not move away.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (log && (follow.current || lastIsMine)) {
      log.scrollTop = log.scrollHeight;
      follow.current = true;
    }
  }, [items, lastIsMine]);

  // The log shrinks when the on-screen keyboard opens: keep the newest message in sight.
  useEffect(() => {
    const log = logRef.current;
    if (!log || typeof ResizeObserver !== 'function') return undefined;
    const observer = new ResizeObserver(() => {
      if (follow.current) log.scrollTop = log.scrollHeight;
    });
    observer.observe(log);
    return () => observer.disconnect();
  }, []);

  const onScroll = () => {
    const log = logRef.current;
    if (log) follow.current = log.scrollHeight - log.scrollTop - log.clientHeight <= FOLLOW_SLACK_PX;
  };

  return (
    // role="log" is polite by default; aria-live is repeated for screen readers that ignore the role. The
    // region is focusable so it can be scrolled from the keyboard.
    <div
      ref={logRef}
      className="chat-log"
      role="log"
      aria-live="polite"
      aria-label={labels.log}
      tabIndex={0}
      data-testid="message-list"
      onScroll={onScroll}
    >
      {intro}
      <ol className="chat-list">
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
              <p className="chat-text" dir="auto">
                {item.text}
              </p>
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
              <p className="chat-text" dir="auto">
                {item.text}
              </p>
            </li>
          ),
        )}
      </ol>
    </div>
  );
}

export function TypingLine(props: { typing: boolean; text: string }) {
  // The live region stays mounted so the announcement fires; the test id marks only the visible state.
  return (
    <div className="chat-typing" aria-live="polite">
      {props.typing && (
        <p data-testid="typing">
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {props.text}
        </p>
      )}
    </div>
  );
}

export function Composer(props: {
  labels: ChatLabels;
  disabled?: boolean;
  /** Desktop habit: Enter sends, Shift+Enter breaks the line. On phones Enter stays a newline. */
  enterSends?: boolean;
  /** Phones: bring the field into view when it gets focus (the on-screen keyboard is about to cover the page). */
  keepInView?: boolean;
  onSend: (text: string) => SendRefusal | null;
  onTyping: () => void;
  /** Text to put at the caret for her to edit (console canned replies); a new `id` inserts again. */
  insert?: { id: number; text: string } | null;
}) {
  const { labels, disabled = false, enterSends = false, keepInView = false, onSend, onTyping, insert } = props;
  const [text, setText] = useState('');
  const [refusal, setRefusal] = useState<SendRefusal | null>(null);
  const inputId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const input = inputRef.current;
    if (!insert || !input) return;
    const { selectionStart: start, selectionEnd: end, value } = input;
    const next = value.slice(0, start) + insert.text + value.slice(end);
    setText(next);
    input.focus();
    // After React has put the new value in: caret right after the inserted text.
    requestAnimationFrame(() => input.setSelectionRange(start + insert.text.length, start + insert.text.length));
    // Keyed on the id only: a new request runs this; her typing in between must not re-insert.
  }, [insert?.id]);

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
        ref={inputRef}
        className="composer-input"
        data-testid="message-input"
        // Each message takes the direction of its first letters: Arabic typed into an Italian page, and back.
        dir="auto"
        rows={2}
        value={text}
        disabled={disabled}
        autoComplete="off"
        autoCorrect="off"
        spellCheck={false}
        aria-describedby={refusal ? errorId : undefined}
        onFocus={keepInView ? (e) => e.currentTarget.scrollIntoView({ block: 'nearest' }) : undefined}
        onChange={(e) => {
          setText(e.target.value);
          if (refusal) setRefusal(null);
          if (e.target.value !== '') onTyping();
        }}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="button button--primary composer-send" data-testid="send" disabled={disabled}>
        <SendIcon />
        <span>{labels.send}</span>
      </button>
      {refusal && (
        <p id={errorId} className="composer-error" role="alert">
          {labels.refusals[refusal]}
        </p>
      )}
    </form>
  );
}
