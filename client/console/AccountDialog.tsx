// Her account settings in a modal dialog: change the password (her identity key is re-wrapped in this browser)
// and sign out on every device. Passwords live in this component's state only until submitted.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { MIN_PASSWORD_LENGTH } from './enrolment.ts';

export interface AccountActions {
  changePassword: (
    current: string,
    next: string,
    totp: string,
  ) => Promise<{ ok: true; otherSessionsEnded: number } | { ok: false; message: string }>;
  signOutEverywhere: () => Promise<void>;
}

export function AccountDialog(props: { actions: AccountActions; onClose: () => void }) {
  const { actions, onClose } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const ids = { title: useId(), current: useId(), next: useId(), confirm: useId(), code: useId() };

  // A real modal: focus moves in, the rest of the page is inert, Escape closes it.
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const totp = code.replace(/\s+/g, '');
    if (next.length < MIN_PASSWORD_LENGTH)
      return setResult({ ok: false, text: `Choose a new password of at least ${MIN_PASSWORD_LENGTH} characters.` });
    if (next !== confirm) return setResult({ ok: false, text: 'The two new passwords are not the same.' });
    if (next === current) return setResult({ ok: false, text: 'The new password must differ from the current one.' });
    setBusy(true);
    setResult(null);
    const res = await actions.changePassword(current, next, totp);
    setBusy(false);
    setCurrent('');
    if (!res.ok) return setResult({ ok: false, text: res.message });
    setNext('');
    setConfirm('');
    setCode('');
    const others = res.otherSessionsEnded;
    setResult({ ok: true, text: `Password changed.${others > 0 ? ` ${others} other session${others === 1 ? '' : 's'} signed out.` : ''}` });
  };

  return (
    <dialog ref={dialog} className="account-dialog" aria-labelledby={ids.title} data-testid="account-dialog" onClose={onClose}>
      <h2 id={ids.title}>Your account</h2>
      <form className="login-form" autoComplete="off" onSubmit={(e) => void submit(e)}>
        <h3>Change password</h3>
        <label htmlFor={ids.current}>Current password</label>
        <input
          id={ids.current}
          type="password"
          data-testid="current-password"
          autoComplete="off"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={ids.next}>New password (at least {MIN_PASSWORD_LENGTH} characters)</label>
        <input
          id={ids.next}
          type="password"
          data-testid="new-password"
          autoComplete="off"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={ids.confirm}>New password again</label>
        <input
          id={ids.confirm}
          type="password"
          data-testid="new-password-confirm"
          autoComplete="off"
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={ids.code}>Code from your authenticator app</label>
        <input
          id={ids.code}
          data-testid="password-totp"
          inputMode="numeric"
          autoComplete="off"
          maxLength={12}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          disabled={busy}
          required
        />
        <button type="submit" className="button button--primary" data-testid="change-password" disabled={busy} aria-busy={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
        <p role="status" className={result && !result.ok ? 'error' : 'login-status'} data-testid="password-result">
          {result?.text ?? ''}
        </p>
      </form>
      <h3>Other devices</h3>
      <p className="field-hint">Signs you out here and on every other computer where you are signed in.</p>
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          data-testid="logout-everywhere"
          onClick={() => {
            onClose();
            void actions.signOutEverywhere();
          }}
        >
          Sign out everywhere
        </button>
        <button type="button" className="button" data-testid="close-account" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
