// The association's canned replies, language by language: a language without its own set uses the console's
// built-in one (which can be copied here as a start); texts are edited in their own script direction (Arabic
// right to left). The whole set is saved at once and the server validates and audits it.
import { useEffect, useId, useState } from 'react';
import type { CannedReplies, CannedReply } from '../../protocol/policy.ts';
import type { Language } from '../../protocol/triage.ts';
import { cannedRepliesIn, directionOf } from '../console/canned-replies.ts';
import { LANGUAGE_ENDONYMS, LANGUAGES } from '../shared/contract.ts';
import { POLICY_LIMITS } from './policy-rules.ts';
import type { Ask } from './supervisor-transport.ts';

export function CannedRepliesEditor(props: { ask: Ask; replies: CannedReplies; onSaved: (replies: CannedReplies) => void }) {
  const { ask, replies, onSaved } = props;
  const [draft, setDraft] = useState<CannedReplies>(replies);
  const [language, setLanguage] = useState<Language>('it');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const langId = useId();
  const base = useId();

  useEffect(() => setDraft(replies), [replies]);

  const own = draft[language];
  const dir = directionOf(language);
  const setOwn = (list: CannedReply[] | undefined) => {
    setDone(null);
    const next = { ...draft };
    if (list === undefined) delete next[language];
    else next[language] = list;
    setDraft(next);
  };
  const edit = (i: number, p: Partial<CannedReply>) => own && setOwn(own.map((r, j) => (j === i ? { ...r, ...p } : r)));
  const move = (i: number, by: -1 | 1) => {
    if (!own || i + by < 0 || i + by >= own.length) return;
    const next = [...own];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    setOwn(next);
  };
  const incomplete = Object.values(draft).some((list) => list?.some((r) => r.title.trim() === '' || r.text.trim() === ''));
  const changed = JSON.stringify(draft) !== JSON.stringify(replies);

  const save = async () => {
    if (busy || incomplete) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const res = await ask('supervisor:canned-set', { replies: draft });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    onSaved(res.data.cannedReplies);
    setDone('Saved. Counsellors get the new replies when they next open the picker.');
  };

  return (
    <section className="panel canned-editor" aria-labelledby={`${base}-heading`} data-testid="canned-editor">
      <h3 id={`${base}-heading`}>Canned replies</h3>
      <div className="panel-head">
        <label htmlFor={langId}>Language</label>
        <select id={langId} data-testid="canned-language" value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l}>
              {LANGUAGE_ENDONYMS[l]} {draft[l] ? `(${draft[l].length}, own set)` : '(built-in)'}
            </option>
          ))}
        </select>
      </div>
      {own === undefined ? (
        <div>
          <p className="muted">
            {LANGUAGE_ENDONYMS[language]}: counsellors get the built-in set ({cannedRepliesIn(language).length} replies).
          </p>
          <button
            type="button"
            className="button"
            data-testid="canned-customise"
            onClick={() => setOwn(cannedRepliesIn(language).map((r) => ({ ...r })))}
          >
            Customise from the built-in set
          </button>{' '}
          <button type="button" className="button" onClick={() => setOwn([{ title: '', text: '' }])}>
            Start an empty set
          </button>
        </div>
      ) : (
        <>
          <ol className="canned-list">
            {own.map((r, i) => (
              <li key={i} className="canned-item" data-testid="canned-item">
                <label htmlFor={`${base}-t${i}`}>Title (what the counsellor picks)</label>
                <input
                  id={`${base}-t${i}`}
                  value={r.title}
                  maxLength={POLICY_LIMITS.cannedTitleChars}
                  onChange={(e) => edit(i, { title: e.target.value })}
                  data-testid="canned-title"
                />
                <label htmlFor={`${base}-x${i}`}>Text (in {LANGUAGE_ENDONYMS[language]})</label>
                <textarea
                  id={`${base}-x${i}`}
                  lang={language}
                  dir={dir}
                  rows={3}
                  value={r.text}
                  maxLength={POLICY_LIMITS.cannedTextChars}
                  onChange={(e) => edit(i, { text: e.target.value })}
                  data-testid="canned-text"
                />
                <div className="canned-actions">
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => move(i, -1)}
                    disabled={i === 0}
                    aria-label={`Move reply ${i + 1} up`}
                  >
                    Up
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => move(i, 1)}
                    disabled={i === own.length - 1}
                    aria-label={`Move reply ${i + 1} down`}
                  >
                    Down
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setOwn(own.filter((_, j) => j !== i))}
                    aria-label={`Remove reply ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <button
            type="button"
            className="button"
            disabled={own.length >= POLICY_LIMITS.cannedRepliesPerLanguage}
            onClick={() => setOwn([...own, { title: '', text: '' }])}
            data-testid="canned-add"
          >
            Add a reply
          </button>{' '}
          <button type="button" className="button" onClick={() => setOwn(undefined)}>
            Go back to the built-in set
          </button>
        </>
      )}
      <div className="form-actions">
        <button
          type="button"
          className="button button--primary"
          data-testid="canned-save"
          disabled={busy || !changed || incomplete}
          onClick={() => void save()}
        >
          {busy ? 'Saving…' : 'Save canned replies'}
        </button>
        {incomplete && <span className="field-problem">Every reply needs a title and a text.</span>}
      </div>
      <p role="status" className="ok-status">
        {done}
      </p>
      {error && (
        <p className="error" role="alert" data-testid="canned-error">
          The server refused the replies: {error}
        </p>
      )}
    </section>
  );
}
