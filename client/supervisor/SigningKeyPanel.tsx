// The association signing key, as she sees it: locked (unlock with her password), not stored yet (choose the
// operator's key file: read here, never uploaded; wrapped under her password before anything is sent), or
// unlocked for a few minutes (with a button to wipe it now).
import { useId, useRef, useState, type FormEvent } from 'react';
import { useNow } from '../console/use-now.ts';
import { useStore } from '../shared/use-store.ts';
import { formatDuration } from './format.ts';
import type { SigningKeyVault } from './signing-key-vault.ts';

export function SigningKeyPanel(props: { vault: SigningKeyVault }) {
  const { vault } = props;
  const v = useStore(vault.store);
  const now = useNow(1000);
  const [password, setPassword] = useState('');
  const [fromFile, setFromFile] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const passId = useId();
  const fileId = useId();
  const busy = v.status === 'working';
  const storing = fromFile || !v.stored;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || password === '') return;
    const pw = password;
    setPassword('');
    if (storing) {
      const file = fileRef.current?.files?.[0];
      if (!file) return;
      const res = await vault.storeFromFile(file, pw);
      if (res.ok) {
        setFromFile(false);
        if (fileRef.current) fileRef.current.value = '';
      }
    } else {
      await vault.unlock(pw);
    }
  };

  if (v.status === 'unlocked') {
    return (
      <section
        className="panel signing-key signing-key--unlocked"
        aria-labelledby="key-heading"
        data-testid="signing-key"
        data-status="unlocked"
      >
        <h3 id="key-heading">Signing key unlocked</h3>
        <p>
          You can certify and revoke now. The key is wiped from this page{' '}
          {v.wipeAt !== null ? `in ${formatDuration(Math.max(0, v.wipeAt - now))} unless you use it again` : 'soon'}, and when you leave
          this view or sign out.
        </p>
        <button type="button" className="button" data-testid="lock-key" onClick={() => vault.lock()}>
          Lock now
        </button>
      </section>
    );
  }

  return (
    <section
      className="panel signing-key"
      aria-labelledby="key-heading"
      data-testid="signing-key"
      data-status={v.status}
      data-stored={v.stored}
    >
      <h3 id="key-heading">
        <span aria-hidden="true">🔒</span> Signing key locked
      </h3>
      <p className="muted">
        Certifying or revoking a counsellor needs your association’s signing key.{' '}
        {storing
          ? 'Choose the key file your operator gave you: it is read in this page and never uploaded. It is stored only wrapped under your password, so next time your password unlocks it.'
          : 'Your password unlocks the copy stored wrapped under it.'}
      </p>
      <form className="inline-form" autoComplete="off" onSubmit={(e) => void submit(e)}>
        {storing && (
          <>
            <label htmlFor={fileId}>Key file</label>
            <input
              id={fileId}
              ref={fileRef}
              type="file"
              accept=".key,.json,application/json"
              data-testid="key-file"
              disabled={busy}
              required
            />
          </>
        )}
        <label htmlFor={passId}>Your password</label>
        <input
          id={passId}
          type="password"
          autoComplete="off"
          data-testid="key-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={busy}
          required
        />
        <button
          type="submit"
          className="button button--primary"
          data-testid={storing ? 'store-key' : 'unlock-key'}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? (v.step ?? 'Working…') : storing ? 'Store signing key' : 'Unlock signing key'}
        </button>
        {v.stored && (
          <button type="button" className="button button--small" onClick={() => setFromFile(!fromFile)} disabled={busy}>
            {fromFile ? 'Use my stored key' : 'Replace it from a key file'}
          </button>
        )}
      </form>
      <p className="login-status" role="status">
        {busy ? v.step : ''}
      </p>
      {v.error && (
        <p className="error" role="alert" data-testid="key-error">
          {v.error}
        </p>
      )}
    </section>
  );
}
