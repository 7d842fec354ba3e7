// Supervisor sign-in: username, password and the code of her authenticator app (or a recovery code). The
// password stays in this component's state only until it is handed to the controller. Same look and test ids
// as the console's form.
import { useId, useState, type FormEvent } from 'react';

export function LoginScreen(props: {
  busy: boolean;
  step: string | null;
  error: string | null;
  onSubmit: (username: string, password: string, code: string) => void;
}) {
  const { busy, step, error, onSubmit } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const ids = { user: useId(), pass: useId(), code: useId(), codeHint: useId(), error: useId() };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || username === '' || password === '' || code === '') return;
    onSubmit(username.trim(), password, code.replace(/\s+/g, ''));
    setPassword('');
    setCode('');
  };

  return (
    <main className="login">
      <h1>Helpdesk supervision</h1>
      <form className="login-form" autoComplete="off" onSubmit={submit} aria-describedby={error ? ids.error : undefined}>
        <label htmlFor={ids.user}>Username</label>
        <input
          id={ids.user}
          data-testid="username"
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={ids.pass}>Password</label>
        <input
          id={ids.pass}
          type="password"
          data-testid="password"
          autoComplete="off"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          disabled={busy}
          required
        />
        <label htmlFor={ids.code}>Code from your authenticator app</label>
        <input
          id={ids.code}
          data-testid="totp"
          autoComplete="off"
          inputMode="text"
          spellCheck={false}
          aria-describedby={ids.codeHint}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          maxLength={12}
          disabled={busy}
          required
        />
        <p id={ids.codeHint} className="hint">
          6 digits, or one of your recovery codes (xxxxx-xxxxx) if you lost your phone.
        </p>
        <button type="submit" className="button button--primary" data-testid="login" disabled={busy} aria-busy={busy}>
          {busy ? (step ?? 'Signing in…') : 'Sign in'}
        </button>
        <p className="login-status" role="status">
          {busy ? step : ''}
        </p>
        {error && (
          <p id={ids.error} className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
