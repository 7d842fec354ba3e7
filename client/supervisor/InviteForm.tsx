// Invites a counsellor (or a supervisor) of her association: the server answers an enrolment link, shown here
// once with a copy button; only its hash is stored, so it cannot be shown again.
import { useId, useState, type FormEvent } from 'react';
import type { AccountRole } from '../../protocol/http.ts';
import type { InviteResult } from '../../protocol/supervisor.ts';
import type { Language } from '../../protocol/triage.ts';
import { LANGUAGES } from '../shared/contract.ts';
import { CopyButton } from './CopyButton.tsx';
import { formatStamp } from './format.ts';
import { LanguagePicker } from './LanguagePicker.tsx';
import type { Ask } from './supervisor-transport.ts';

export function InviteForm(props: { ask: Ask; onInvited: () => void }) {
  const { ask, onInvited } = props;
  const [username, setUsername] = useState('');
  const [alias, setAlias] = useState('');
  const [role, setRole] = useState<AccountRole>('counsellor');
  const [capacity, setCapacity] = useState(3);
  const [languages, setLanguages] = useState<Language[]>(['it']);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<(InviteResult & { username: string }) | null>(null);
  const ids = { user: useId(), alias: useId(), role: useId(), capacity: useId(), link: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (languages.length === 0) return setError('Choose at least one language.');
    setBusy(true);
    setError(null);
    const res = await ask('supervisor:invite', { username: username.trim(), alias: alias.trim(), role, capacity, languages });
    setBusy(false);
    if (!res.ok) return setError(res.error.message);
    setResult({ ...res.data, username: username.trim() });
    setUsername('');
    setAlias('');
    onInvited();
  };

  if (result) {
    return (
      <section className="panel invite-result" aria-labelledby={ids.link} data-testid="invite-result">
        <h3 id={ids.link}>Enrolment link for {result.username}</h3>
        <p>
          Give this link to her in person or over a channel you trust. It is shown <strong>only now</strong> and works once, until{' '}
          {formatStamp(result.expiresAt)}.
        </p>
        <p className="secret-line">
          <input
            readOnly
            className="secret"
            value={result.link}
            data-testid="invite-link"
            aria-label="Enrolment link"
            onFocus={(e) => e.target.select()}
          />
          <CopyButton text={result.link} testId="copy-invite" />
        </p>
        <button type="button" className="button" data-testid="invite-done" onClick={() => setResult(null)}>
          Done
        </button>
      </section>
    );
  }

  return (
    <section className="panel" aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite someone</h3>
      <form className="grid-form" autoComplete="off" onSubmit={(e) => void submit(e)} data-testid="invite-form">
        <label htmlFor={ids.user}>Username</label>
        <input
          id={ids.user}
          data-testid="invite-username"
          value={username}
          onChange={(e) => setUsername(e.target.value.toLowerCase())}
          pattern="[a-z0-9._\-]{2,32}"
          title="2 to 32 of a-z, 0-9, dot, underscore, dash"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <label htmlFor={ids.alias}>Name shown to residents</label>
        <input id={ids.alias} data-testid="invite-alias" value={alias} onChange={(e) => setAlias(e.target.value)} maxLength={40} required />
        <label htmlFor={ids.role}>Role</label>
        <select
          id={ids.role}
          data-testid="invite-role"
          value={role}
          onChange={(e) => setRole(e.target.value === 'supervisor' ? 'supervisor' : 'counsellor')}
        >
          <option value="counsellor">Counsellor</option>
          <option value="supervisor">Supervisor</option>
        </select>
        <label htmlFor={ids.capacity}>Chats at once</label>
        <input
          id={ids.capacity}
          type="number"
          data-testid="invite-capacity"
          min={1}
          max={10}
          value={capacity}
          onChange={(e) => setCapacity(Number(e.target.value))}
          required
        />
        <LanguagePicker legend="Languages" value={languages} onChange={setLanguages} testIdPrefix="invite-lang" options={LANGUAGES} />
        <div className="form-actions">
          <button type="submit" className="button button--primary" data-testid="invite-submit" disabled={busy} aria-busy={busy}>
            {busy ? 'Inviting…' : 'Create enrolment link'}
          </button>
        </div>
      </form>
      {error && (
        <p className="error" role="alert" data-testid="invite-error">
          {error}
        </p>
      )}
    </section>
  );
}
