// Container of the console: sign-in until she is in, then header, the line and her chats side by side.
import { useEffect } from 'react';
import { ASSOCIATION_NAMES } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import { ChatArea } from './ChatArea.tsx';
import type { ConsoleController } from './console-controller.ts';
import { LoginScreen } from './LoginScreen.tsx';
import { QueueView } from './QueueView.tsx';

const CONNECTION_TEXT = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
} as const;

export function ConsoleApp(props: { controller: ConsoleController }) {
  const { controller } = props;
  const s = useStore(controller.store);

  useEffect(() => controller.preload(), [controller]);

  if (s.auth !== 'signed-in' || !s.me) {
    return (
      <LoginScreen
        busy={s.auth === 'signing-in'}
        step={s.loginStep}
        error={s.loginError}
        onSubmit={(u, p) => void controller.signIn(u, p)}
      />
    );
  }

  return (
    <div className="console">
      <header className="console-header">
        <p className="who">
          <strong>{s.me.alias}</strong> · {ASSOCIATION_NAMES[s.me.association]}
        </p>
        <p className={`connection connection--${s.connection}`} role="status" data-testid="connection-state" data-state={s.connection}>
          {CONNECTION_TEXT[s.connection]}
        </p>
        <button type="button" className="button" data-testid="logout" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </header>
      {!s.certified && (
        <p className="notice notice--warn" role="alert" data-testid="not-certified">
          Your key is not certified yet. A supervisor of your association must certify it before you can take chats.
        </p>
      )}
      {s.notice && (
        <p className="notice" role="alert" data-testid="console-notice">
          {s.notice}{' '}
          <button type="button" className="button button--small" onClick={() => controller.dismissNotice()}>
            Dismiss
          </button>
        </p>
      )}
      <div className="console-body">
        <QueueView
          entries={s.queue}
          canTake={s.certified && s.connection === 'online'}
          claiming={s.claiming}
          onTake={(id) => void controller.claim(id)}
        />
        <ChatArea
          tabs={s.tabs}
          activeChatId={s.activeChatId}
          onSelect={(id) => controller.selectChat(id)}
          onEnd={(id, outcome) => void controller.endChat(id, outcome)}
          onClose={(id) => controller.closeTab(id)}
        />
      </div>
    </div>
  );
}
