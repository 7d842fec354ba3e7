// Sign-in form: username, password and the second factor (a 6-digit code or a recovery code). The password lives
// in this component's state only until it is handed to the controller. The supervisor page uses it too.
import { useId, useState, type FormEvent } from 'react';

const SECOND_FACTOR = /^(?:[0-9]{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/;

export function LoginScreen(props: {
  busy: boolean;
  step: string | null;
  error: string | null;
  /** The page's heading (the console's by default). */
  title?: string;
  /** Filled in after enrolment, so she signs in with the username she was just given. */
  initialUsername?: string;
  /** A word before the form, e.g. after enrolment. */
  notice?: string | null;
  onSubmit: (username: string, password: string, totp: string) => void;
}) {
  const { busy, step, error, title = 'Helpdesk console', initialUsername, notice, onSubmit } = props;
  const [username, setUsername] = useState(initialUsername ?? '');
  const [password, setPassword] = useState('');
  // Kept after a failed attempt: a code sent with a wrong password is not used up.
  const [code, setCode] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const userId = useId();
  const passId = useId();
  const codeId = useId();
  const codeHintId = useId();
  const errorId = useId();
  const shown = formError ?? error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || username === '' || password === '') return;
    const totp = code.replace(/\s+/g, '');
    if (!SECOND_FACTOR.test(totp)) {
      setFormError('Enter the 6-digit code from your authenticator app, or one of your recovery codes.');
      return;
    }
    setFormError(null);
    onSubmit(username.trim(), password, totp);
    setPassword('');
  };

  return (
    <main className="login">
      <h1>{title}</h1>
      {notice && (
        <p className="notice" role="status" data-testid="login-notice">
          {notice}
        </p>
      )}
      <form className="login-form" autoComplete="off" onSubmit={submit} aria-describedby={shown ? errorId : undefined}>
        <label htmlFor={userId}>Username</label>
        <input
          id={userId}
          data-testid="username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={passId}>Password</label>
        <input
          id={passId}
          type="password"
          data-testid="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={codeId}>Code from your authenticator app</label>
        <input
          id={codeId}
          data-testid="totp"
          inputMode="numeric"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          maxLength={12}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          disabled={busy}
          aria-describedby={codeHintId}
          required
        />
        <p className="field-hint" id={codeHintId}>
          6 digits, or one of your recovery codes if you do not have your phone. Each code works once: if you have just used one, wait for
          the next.
        </p>
        <button type="submit" className="button button--primary" data-testid="login" disabled={busy} aria-busy={busy}>
          {busy ? (step ?? 'Signing in…') : 'Sign in'}
        </button>
        <p className="login-status" role="status">
          {busy ? step : ''}
        </p>
        {shown && (
          <p id={errorId} className="error" role="alert" data-testid="login-error">
            {shown}
          </p>
        )}
      </form>
    </main>
  );
}
