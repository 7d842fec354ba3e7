// The canned-reply picker above the composer: opens on the resident's language (any other can be chosen),
// shows each reply in full, and hands the chosen text to the composer for her to edit. Never sends by itself.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Language } from '../../protocol/triage.ts';
import { LANGUAGE_ENDONYMS } from '../shared/contract.ts';
import { cannedLanguageFor, cannedLanguages, cannedRepliesIn, directionOf, type CannedReplySet } from './canned-replies.ts';

export function CannedReplyPicker(props: {
  residentLanguage: Language;
  disabled: boolean;
  /** The association's own replies, when it has any (issue 6); the built-in set otherwise. */
  own?: CannedReplySet;
  /** Opening the picker refreshes the association's set (a supervisor may have just edited it). */
  onOpen?: () => void;
  onInsert: (text: string) => void;
}) {
  const { residentLanguage, disabled, own, onOpen, onInsert } = props;
  const [open, setOpen] = useState(false);
  const [language, setLanguage] = useState<Language>(() => cannedLanguageFor(residentLanguage, own));
  const panelId = useId();
  const languageId = useId();
  const toggleRef = useRef<HTMLButtonElement>(null);
  const replies = cannedRepliesIn(language, own);

  const close = () => {
    setOpen(false);
    toggleRef.current?.focus();
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
    }
  };

  return (
    <div className="canned">
      <button
        type="button"
        ref={toggleRef}
        className="button button--small"
        data-testid="canned-toggle"
        aria-expanded={open}
        aria-controls={panelId}
        disabled={disabled}
        onClick={() => {
          if (!open) onOpen?.();
          setOpen(!open);
        }}
      >
        Canned replies
      </button>
      {open && !disabled && (
        <div id={panelId} className="canned-panel" role="group" aria-label="Canned replies" onKeyDown={onKeyDown}>
          <div className="canned-language">
            <label htmlFor={languageId}>Language</label>
            <select
              id={languageId}
              data-testid="canned-language"
              value={language}
              onChange={(e) => setLanguage(e.target.value as Language)}
            >
              {cannedLanguages(own).map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_ENDONYMS[l]}
                  {l === residentLanguage ? ' (hers)' : ''}
                </option>
              ))}
            </select>
          </div>
          <ul className="canned-list">
            {replies.map((r) => (
              <li key={r.title}>
                <button
                  type="button"
                  className="canned-reply"
                  data-testid="canned-reply"
                  data-title={r.title}
                  onClick={() => {
                    onInsert(r.text);
                    setOpen(false);
                  }}
                >
                  <strong>{r.title}</strong>
                  <span lang={language} dir={directionOf(language)}>
                    {r.text}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <p className="muted canned-note">The reply goes into the message box; check it and press Send.</p>
        </div>
      )}
    </div>
  );
}
