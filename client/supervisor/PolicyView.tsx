// Her association's policy and canned replies. Each field says its range and what it does; ranges are checked here
// with the protocol's limits and wording, and the server, which also checks the opening-hours syntax and writes
// the change to the audit log, has the last word: its refusal is shown as it says it.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { CannedReplies, Policy } from '../../protocol/policy.ts';
import { CannedRepliesEditor } from './CannedRepliesEditor.tsx';
import { checkNumber, checkOpeningHours, POLICY_LIMITS, type NumberField } from './policy-rules.ts';
import type { Ask } from './supervisor-transport.ts';

type Draft = Omit<Policy, NumberField> & Record<NumberField, string>;

const NUMBER_FIELDS: readonly { key: NumberField; label: string; hint: string; unit: string }[] = [
  {
    key: 'maxLineLength',
    label: 'Maximum line length',
    unit: 'residents',
    hint: 'Residents waiting (or answering triage) before new ones are refused and shown 1522 and 112.',
  },
  {
    key: 'agingSeconds',
    label: 'Aging time',
    unit: 'seconds',
    hint: 'A waiting resident moves up one urgency class after this long, so nobody waits for ever.',
  },
  {
    key: 'noReplySeconds',
    label: 'No-reply time',
    unit: 'seconds',
    hint: 'A chat taken but not answered within this time goes back to the front of the line.',
  },
  { key: 'maxCapacity', label: 'Maximum chats per counsellor', unit: 'chats', hint: 'The most a counsellor may set as her own capacity.' },
  {
    key: 'retentionDays',
    label: 'Keep hourly figures for',
    unit: 'days',
    hint: 'How long the anonymous hourly counts behind the charts are kept.',
  },
];

const toDraft = (p: Policy): Draft => ({
  ...p,
  maxLineLength: String(p.maxLineLength),
  agingSeconds: String(p.agingSeconds),
  noReplySeconds: String(p.noReplySeconds),
  maxCapacity: String(p.maxCapacity),
  retentionDays: String(p.retentionDays),
});

/** The changed fields as the server expects them, and the local problems by field (ranges, empty text). */
function diff(draft: Draft, saved: Policy): { patch: Partial<Policy>; problems: Partial<Record<keyof Policy, string>> } {
  const problems: Partial<Record<keyof Policy, string>> = {};
  const patch: Partial<Policy> = {};
  const hours = checkOpeningHours(draft.openingHours);
  if (!hours.ok) problems.openingHours = hours.problem;
  else if (hours.value !== saved.openingHours) patch.openingHours = hours.value;
  for (const { key } of NUMBER_FIELDS) {
    const n = checkNumber(key, draft[key]);
    if (!n.ok) problems[key] = n.problem;
    else if (n.value !== saved[key]) patch[key] = n.value;
  }
  if (draft.assignment !== saved.assignment) patch.assignment = draft.assignment;
  return { patch, problems };
}

export function PolicyView(props: { ask: Ask }) {
  const { ask } = props;
  const [saved, setSaved] = useState<Policy | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [canned, setCanned] = useState<CannedReplies>({});
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const ids = { hours: useId(), assignment: useId(), base: useId() };

  const load = useCallback(async () => {
    const res = await ask('supervisor:policy', {});
    if (!res.ok) return setLoadError(res.error.message);
    setLoadError(null);
    setSaved(res.data.policy);
    setDraft(toDraft(res.data.policy));
    setCanned(res.data.cannedReplies);
  }, [ask]);

  useEffect(() => {
    void load();
  }, [load]);

  if (!saved || !draft) {
    return (
      <section className="policy" aria-labelledby="policy-heading">
        <h2 id="policy-heading">Policy</h2>
        {loadError ? (
          <p className="error" role="alert">
            {loadError}
          </p>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
    );
  }

  const { patch, problems } = diff(draft, saved);
  const changed = Object.keys(patch).length > 0;
  const invalid = Object.keys(problems).length > 0;
  const set = (p: Partial<Draft>) => {
    setDone(null);
    setDraft({ ...draft, ...p });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !changed || invalid) return;
    setBusy(true);
    setError(null);
    setDone(null);
    const res = await ask('supervisor:policy-set', { patch });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setSaved(res.data.policy);
    setDraft(toDraft(res.data.policy));
    setCanned(res.data.cannedReplies);
    setDone('Saved. The line uses the new policy now.');
  };

  const problemId = (key: keyof Policy) => `${ids.base}-${key}-problem`;

  return (
    <section className="policy" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Policy</h2>
      <form className="panel policy-form" autoComplete="off" noValidate onSubmit={(e) => void submit(e)} data-testid="policy-form">
        <div className="policy-field">
          <label htmlFor={ids.hours}>Opening hours (Milan time)</label>
          <input
            id={ids.hours}
            data-testid="policy-openingHours"
            value={draft.openingHours}
            maxLength={POLICY_LIMITS.openingHoursChars}
            aria-invalid={problems.openingHours ? true : undefined}
            aria-describedby={`${ids.hours}-hint ${problemId('openingHours')}`}
            onChange={(e) => set({ openingHours: e.target.value })}
          />
          <p id={`${ids.hours}-hint`} className="hint">
            “24/7”, or days and times separated by semicolons: “mon-fri 09:00-18:00; sat 10:00-13:00”. Outside these hours residents are
            told the chat is closed and shown 1522 and 112.
          </p>
          <p id={problemId('openingHours')} className="field-problem">
            {problems.openingHours}
          </p>
        </div>
        {NUMBER_FIELDS.map((f) => {
          const id = `${ids.base}-${f.key}`;
          const range = POLICY_LIMITS[f.key];
          return (
            <div className="policy-field" key={f.key}>
              <label htmlFor={id}>
                {f.label} ({f.unit})
              </label>
              <input
                id={id}
                type="number"
                inputMode="numeric"
                data-testid={`policy-${f.key}`}
                min={range.min}
                max={range.max}
                step={1}
                value={draft[f.key]}
                aria-invalid={problems[f.key] ? true : undefined}
                aria-describedby={`${id}-hint ${problemId(f.key)}`}
                onChange={(e) => set({ [f.key]: e.target.value })}
              />
              <p id={`${id}-hint`} className="hint">
                {f.hint} From {range.min.toLocaleString('en-GB')} to {range.max.toLocaleString('en-GB')}.
              </p>
              <p id={problemId(f.key)} className="field-problem">
                {problems[f.key]}
              </p>
            </div>
          );
        })}
        <div className="policy-field">
          <label htmlFor={ids.assignment}>Assignment</label>
          <select
            id={ids.assignment}
            data-testid="policy-assignment"
            value={draft.assignment}
            aria-describedby={`${ids.assignment}-hint`}
            onChange={(e) => set({ assignment: e.target.value === 'auto' ? 'auto' : 'manual' })}
          >
            <option value="manual">Counsellors take residents from the line</option>
            <option value="auto">The line assigns residents to available counsellors</option>
          </select>
          <p id={`${ids.assignment}-hint`} className="hint">
            Automatic assignment gives the most urgent resident to an available counsellor with room, who must answer within the no-reply
            time.
          </p>
        </div>
        <div className="form-actions">
          <button
            type="submit"
            className="button button--primary"
            data-testid="policy-save"
            disabled={busy || !changed || invalid}
            aria-busy={busy}
          >
            {busy ? 'Saving…' : 'Save policy'}
          </button>
          <button type="button" className="button" disabled={busy || !changed} onClick={() => setDraft(toDraft(saved))}>
            Undo changes
          </button>
        </div>
        <p role="status" className="ok-status" data-testid="policy-saved">
          {done}
        </p>
        {error && (
          <p className="error" role="alert" data-testid="policy-error">
            The server refused the change: {error}
          </p>
        )}
      </form>
      <CannedRepliesEditor ask={ask} replies={canned} onSaved={setCanned} />
    </section>
  );
}
