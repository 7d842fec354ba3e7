// Container of the supervisor's page: sign-in until she is in, then the header (connection, views, sound, sign
// out) and the chosen view. The board is the default: on a wall screen it is all that shows.
import { useEffect, useId } from 'react';
import { useNow } from '../console/use-now.ts';
import { ASSOCIATION_NAMES } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import { AuditView } from './AuditView.tsx';
import { BoardView } from './BoardView.tsx';
import { ChartsView } from './ChartsView.tsx';
import { LoginScreen } from '../console/LoginScreen.tsx';
import { PolicyView } from './PolicyView.tsx';
import type { SupervisorController, SupervisorView } from './supervisor-controller.ts';
import { VIEWS } from './supervisor-controller.ts';
import { TeamView } from './TeamView.tsx';

const CONNECTION_TEXT = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
} as const;

const VIEW_LABELS: Readonly<Record<SupervisorView, string>> = {
  board: 'Live board',
  charts: 'Charts',
  team: 'Team',
  policy: 'Policy',
  audit: 'Audit log',
};

const TITLE = 'Helpdesk supervision';

/** The board with its clock: only it re-renders every second, so forms in other views are left alone. */
function LiveBoard(props: Omit<Parameters<typeof BoardView>[0], 'now'>) {
  const now = useNow(1000);
  return <BoardView {...props} now={now} />;
}

export function SupervisorApp(props: { controller: SupervisorController }) {
  const { controller } = props;
  const s = useStore(controller.store);
  const soundId = useId();
  const alert = s.board?.alert === true;

  useEffect(() => controller.preload(), [controller]);

  useEffect(() => {
    document.title = alert ? `ALERT · ${TITLE}` : TITLE;
  }, [alert]);

  if (s.auth !== 'signed-in' || !s.me) {
    return (
      <LoginScreen
        title="Helpdesk supervision"
        busy={s.auth === 'signing-in'}
        step={s.loginStep}
        error={s.loginError}
        onSubmit={(u, p, c) => void controller.signIn(u, p, c)}
      />
    );
  }

  const fullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void document.documentElement.requestFullscreen().catch(() => undefined);
  };

  return (
    <div className={`supervisor view-${s.view}`}>
      <header className="console-header supervisor-header">
        <p className="who">
          <strong>{s.me.alias}</strong> · {ASSOCIATION_NAMES[s.me.association]} · supervision
        </p>
        <p className={`connection connection--${s.connection}`} role="status" data-testid="connection-state" data-state={s.connection}>
          {CONNECTION_TEXT[s.connection]}
        </p>
        <nav aria-label="Views" className="views">
          {VIEWS.map((v) => (
            <button
              key={v}
              type="button"
              className="view-button"
              data-testid={`view-${v}`}
              aria-current={s.view === v ? 'page' : undefined}
              onClick={() => controller.setView(v)}
            >
              {VIEW_LABELS[v]}
            </button>
          ))}
        </nav>
        <div className="header-control">
          <input
            id={soundId}
            type="checkbox"
            data-testid="sound"
            checked={s.sound}
            onChange={(e) => controller.setSound(e.target.checked)}
          />
          <label htmlFor={soundId}>Sound on alert</label>
        </div>
        {s.view === 'board' && (
          <button type="button" className="button button--small" onClick={fullScreen}>
            Full screen
          </button>
        )}
        <button type="button" className="button" data-testid="logout" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </header>
      {s.connectionError && (
        <p className="notice notice--warn" role="alert">
          {s.connectionError}
        </p>
      )}
      <main className="supervisor-main">
        {s.view === 'board' && <LiveBoard board={s.board} receivedAt={s.boardReceivedAt} connected={s.connection === 'online'} />}
        {s.view === 'charts' && <ChartsView ask={controller.ask} />}
        {s.view === 'team' && <TeamView ask={controller.ask} vault={controller.vault} myId={s.me.id} />}
        {s.view === 'policy' && <PolicyView ask={controller.ask} />}
        {s.view === 'audit' && <AuditView ask={controller.ask} />}
      </main>
    </div>
  );
}
