// Her languages and capacity, in a disclosure in the console header. The form starts from what the server
// holds and saves both together; the server refuses a capacity above the association's cap with its reason.
import { useId, useState, type FormEvent } from 'react';
import type { Language } from '../../protocol/triage.ts';
import { LANGUAGE_ENDONYMS, LANGUAGES } from '../shared/contract.ts';
import type { ShiftSettingsState } from './shift-settings.ts';

const CAPACITY_MAX = 10;

function Form(props: { state: ShiftSettingsState; onSave: (languages: Language[], capacity: number) => void }) {
  const { state, onSave } = props;
  const [languages, setLanguages] = useState<ReadonlySet<Language>>(new Set(state.languages));
  const [capacity, setCapacity] = useState(String(state.capacity));
  const [problem, setProblem] = useState<string | null>(null);
  const capacityId = useId();
  const capHintId = useId();
  const problemId = useId();
  const max = state.maxCapacity ?? CAPACITY_MAX;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(capacity);
    if (languages.size === 0) return setProblem('Choose at least one language.');
    if (!Number.isInteger(n) || n < 1 || n > max) return setProblem(`Capacity must be a whole number from 1 to ${max}.`);
    setProblem(null);
    onSave(
      LANGUAGES.filter((l) => languages.has(l)),
      n,
    );
  };

  const toggle = (l: Language, on: boolean) => {
    const next = new Set(languages);
    if (on) next.add(l);
    else next.delete(l);
    setLanguages(next);
  };

  return (
    <form className="shift-form" onSubmit={submit} autoComplete="off" noValidate aria-describedby={problem ? problemId : undefined}>
      <fieldset>
        <legend>Languages I take chats in</legend>
        <div className="shift-languages">
          {LANGUAGES.map((l) => (
            <label key={l}>
              <input
                type="checkbox"
                data-testid={`shift-lang-${l}`}
                checked={languages.has(l)}
                onChange={(e) => toggle(l, e.target.checked)}
              />{' '}
              <span lang={l}>{LANGUAGE_ENDONYMS[l]}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="shift-capacity">
        <label htmlFor={capacityId}>Capacity (chats at once)</label>
        <input
          id={capacityId}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          step={1}
          data-testid="shift-capacity"
          aria-describedby={capHintId}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
        <span id={capHintId} className="muted">
          {state.maxCapacity === null ? 'Your association sets the maximum.' : `Your association allows up to ${state.maxCapacity}.`}
        </span>
      </div>
      {problem && (
        <p id={problemId} className="error" role="alert">
          {problem}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary button--small"
        data-testid="shift-save"
        disabled={state.saving}
        aria-busy={state.saving}
      >
        {state.saving ? 'Saving…' : 'Save'}
      </button>
    </form>
  );
}

export function ShiftSettingsForm(props: {
  state: ShiftSettingsState;
  onSave: (languages: Language[], capacity: number) => void;
  onDismiss: () => void;
}) {
  const { state, onSave, onDismiss } = props;
  return (
    <details className="shift-settings" data-testid="shift-settings" onToggle={(e) => !e.currentTarget.open && onDismiss()}>
      <summary>
        Languages &amp; capacity <span className="muted">({state.capacity})</span>
      </summary>
      {/* Remounted with the server's values whenever they change (after a save, or from another tab). */}
      <Form key={`${state.languages.join(',')}|${state.capacity}|${state.maxCapacity ?? ''}`} state={state} onSave={onSave} />
      <p className="shift-result" role="status" data-testid="shift-result">
        {state.saved ? 'Saved. New residents are matched with these settings.' : ''}
      </p>
      {state.error && (
        <p className="error" role="alert" data-testid="shift-error">
          {state.error}
        </p>
      )}
    </details>
  );
}
