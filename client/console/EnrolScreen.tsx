// Enrolment from an invitation link: she chooses her password, adds the sign-in key to her authenticator app
// (QR code or typed by hand) and confirms with a code; her identity key is generated and sealed in this browser.
// Then her recovery codes are shown, once. The password lives in this component's state only until submitted.
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { EnrolStartResponse } from '../../protocol/http.ts';
import { ASSOCIATION_NAMES } from '../shared/contract.ts';
import { startEnrolment } from './auth-api.ts';
import { completeEnrolment, MIN_PASSWORD_LENGTH } from './enrolment.ts';
import { QrCode } from './QrCode.tsx';

type Phase =
  | { kind: 'opening' }
  | { kind: 'refused'; message: string }
  | { kind: 'form'; start: EnrolStartResponse }
  | { kind: 'done'; username: string; recoveryCodes: string[] };

/** Invitation problems that no retry on this page can fix. */
const FATAL = new Set(['INVITATION_UNKNOWN', 'INVITATION_EXPIRED', 'INVITATION_USED', 'USERNAME_TAKEN', 'WRONG_STATE']);

/** The key as people copy it: groups of four. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function EnrolScreen(props: { invite: string; onDone: (username: string) => void; onCancel: () => void }) {
  const { invite, onDone, onCancel } = props;
  const [phase, setPhase] = useState<Phase>({ kind: 'opening' });

  useEffect(() => {
    let current = true;
    void startEnrolment(invite).then((res) => {
      if (!current) return;
      setPhase(res.ok ? { kind: 'form', start: res.data } : { kind: 'refused', message: res.message });
    });
    return () => {
      current = false;
    };
  }, [invite]);

  return (
    <main className="login enrol">
      <h1>{phase.kind === 'done' ? 'Save your recovery codes' : 'Set up your console account'}</h1>
      {phase.kind === 'opening' && (
        <p role="status" data-testid="enrol-opening">
          Opening your invitation…
        </p>
      )}
      {phase.kind === 'refused' && (
        <>
          <p className="error" role="alert" data-testid="enrol-error">
            {phase.message}
          </p>
          <button type="button" className="button" onClick={onCancel}>
            Go to sign-in
          </button>
        </>
      )}
      {phase.kind === 'form' && (
        <EnrolForm
          invite={invite}
          start={phase.start}
          onRefused={(message) => setPhase({ kind: 'refused', message })}
          onEnrolled={(recoveryCodes) => setPhase({ kind: 'done', username: phase.start.username, recoveryCodes })}
        />
      )}
      {phase.kind === 'done' && <RecoveryCodes codes={phase.recoveryCodes} onContinue={() => onDone(phase.username)} />}
    </main>
  );
}

function EnrolForm(props: {
  invite: string;
  start: EnrolStartResponse;
  onRefused: (message: string) => void;
  onEnrolled: (codes: string[]) => void;
}) {
  const { invite, start, onRefused, onEnrolled } = props;
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ids = { password: useId(), confirm: useId(), code: useId(), passwordHint: useId(), keyHint: useId(), error: useId() };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const typed = code.replace(/\s+/g, '');
    if (password.length < MIN_PASSWORD_LENGTH) return setError(`Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (password !== confirm) return setError('The two passwords are not the same.');
    if (!/^[0-9]{6}$/.test(typed)) return setError('Enter the 6-digit code your authenticator app shows.');
    setBusy(true);
    setError(null);
    let res: Awaited<ReturnType<typeof completeEnrolment>>;
    try {
      res = await completeEnrolment({ invite, start, password, code: typed, onStep: setStep });
    } catch {
      res = { ok: false, code: 'INTERNAL', message: 'The encryption library could not be loaded. Reload the page and try again.' };
    }
    setBusy(false);
    setStep(null);
    if (res.ok) {
      setPassword('');
      setConfirm('');
      onEnrolled(res.data.recoveryCodes);
      return;
    }
    if (FATAL.has(res.code)) return onRefused(res.message);
    setCode('');
    setError(res.message);
  };

  return (
    <form
      className="login-form enrol-form"
      autoComplete="off"
      onSubmit={(e) => void submit(e)}
      aria-describedby={error ? ids.error : undefined}
    >
      <p data-testid="enrol-who">
        Welcome, <strong>{start.alias}</strong> ({ASSOCIATION_NAMES[start.association]}). Your username is{' '}
        <strong data-testid="enrol-username">{start.username}</strong>: you sign in with it.
      </p>

      <h2>1. Choose a password</h2>
      <label htmlFor={ids.password}>Password</label>
      <input
        id={ids.password}
        type="password"
        data-testid="enrol-password"
        autoComplete="off"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        disabled={busy}
        aria-describedby={ids.passwordHint}
        required
      />
      <label htmlFor={ids.confirm}>Password again</label>
      <input
        id={ids.confirm}
        type="password"
        data-testid="enrol-confirm"
        autoComplete="off"
        value={confirm}
        onChange={(e) => setConfirm(e.target.value)}
        disabled={busy}
        required
      />
      <p className="field-hint" id={ids.passwordHint}>
        At least {MIN_PASSWORD_LENGTH} characters; a few unrelated words are easy to remember. It never leaves this computer: it locks your
        identity key. If you forget it, your association has to invite you again.
      </p>

      <h2>2. Add the sign-in key to your authenticator app</h2>
      <p className="field-hint" id={ids.keyHint}>
        Scan the code with an authenticator app on your phone (for example FreeOTP, Aegis, Google or Microsoft Authenticator), or type the
        key by hand.
      </p>
      <div className="enrol-key">
        <QrCode text={start.totp.uri} label={`QR code of your sign-in key for ${start.username}`} />
        <p>
          Key: <code data-testid="totp-secret">{grouped(start.totp.secret)}</code>
          <br />
          Time-based, 6 digits, every 30 seconds.
        </p>
      </div>

      <h2>3. Enter the code your app shows</h2>
      <label htmlFor={ids.code}>6-digit code</label>
      <input
        id={ids.code}
        data-testid="enrol-code"
        inputMode="numeric"
        autoComplete="off"
        maxLength={7}
        value={code}
        onChange={(e) => setCode(e.target.value)}
        disabled={busy}
        aria-describedby={ids.keyHint}
        required
      />
      <button type="submit" className="button button--primary" data-testid="enrol-submit" disabled={busy} aria-busy={busy}>
        {busy ? (step ?? 'Working…') : 'Create my account'}
      </button>
      <p className="login-status" role="status">
        {busy ? step : ''}
      </p>
      {error && (
        <p id={ids.error} className="error" role="alert" data-testid="enrol-error">
          {error}
        </p>
      )}
    </form>
  );
}

function RecoveryCodes(props: { codes: string[]; onContinue: () => void }) {
  const { codes, onContinue } = props;
  const [saved, setSaved] = useState(false);
  const savedId = useId();
  return (
    <div className="recovery">
      <p>
        Your account is ready. If you lose your phone, each of these codes signs you in <strong>once</strong> in place of the 6-digit code.
        Write them down or print them, and keep them where only you can reach them. <strong>They are not shown again.</strong>
      </p>
      <ol className="recovery-codes" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <p className="notice notice--warn">
        Your identity key is waiting for certification by your association. You can sign in now, but you cannot take chats until it is
        certified.
      </p>
      <div className="header-control">
        <input id={savedId} type="checkbox" data-testid="codes-saved" checked={saved} onChange={(e) => setSaved(e.target.checked)} />
        <label htmlFor={savedId}>I have saved my recovery codes</label>
      </div>
      <button type="button" className="button button--primary" data-testid="enrol-done" disabled={!saved} onClick={onContinue}>
        Continue to sign-in
      </button>
    </div>
  );
}
