// Sign-in form. The password lives in this component's state only until it is handed to the controller.
import { useId, useState, type FormEvent } from 'react';

export function LoginScreen(props: {
  busy: boolean;
  step: string | null;
  error: string | null;
  onSubmit: (username: string, password: string) => void;
}) {
  const { busy, step, error, onSubmit } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const userId = useId();
  const passId = useId();
  const errorId = useId();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (busy || username === '' || password === '') return;
    onSubmit(username.trim(), password);
    setPassword('');
  };

  return (
    <main className="login">
      <h1>Helpdesk console</h1>
      <form className="login-form" autoComplete="off" onSubmit={submit} aria-describedby={error ? errorId : undefined}>
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
        <button type="submit" className="button button--primary" data-testid="login" disabled={busy} aria-busy={busy}>
          {busy ? (step ?? 'Signing in…') : 'Sign in'}
        </button>
        <p className="login-status" role="status">
          {busy ? step : ''}
        </p>
        {error && (
          <p id={errorId} className="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
