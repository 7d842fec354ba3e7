// Container of the console: sign-in until she is in, then header (availability, sound), the alert for a chat
// given to her automatically, the line and her chats side by side.
import { useEffect, useId } from 'react';
import { ASSOCIATION_NAMES } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import { ChatArea } from './ChatArea.tsx';
import type { Availability, ConsoleController } from './console-controller.ts';
import { LoginScreen } from './LoginScreen.tsx';
import { QueueView } from './QueueView.tsx';

const CONNECTION_TEXT = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  online: 'Connected',
  offline: 'Connection lost — reconnecting…',
  closed: 'Disconnected',
} as const;

const AVAILABILITY_TEXT: Readonly<Record<Availability, string>> = {
  available: 'Available for new chats',
  away: 'Away (no new chats)',
};

const TITLE = 'Helpdesk console';

export function ConsoleApp(props: { controller: ConsoleController }) {
  const { controller } = props;
  const s = useStore(controller.store);
  const availabilityId = useId();
  const soundId = useId();
  const unseen = s.tabs.filter((x) => x.unseen).length;

  useEffect(() => controller.preload(), [controller]);

  // Seen from another browser tab too: the title counts chats given to her that she has not opened.
  useEffect(() => {
    document.title = unseen > 0 ? `(${unseen}) ${TITLE}` : TITLE;
  }, [unseen]);

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
        <div className="header-control">
          <label htmlFor={availabilityId}>Status</label>
          <select
            id={availabilityId}
            data-testid="availability"
            data-pending={s.availabilityPending}
            aria-busy={s.availabilityPending}
            className={`availability availability--${s.availability}`}
            value={s.availability}
            onChange={(e) => void controller.setAvailability(e.target.value === 'away' ? 'away' : 'available')}
          >
            {(['available', 'away'] as const).map((a) => (
              <option key={a} value={a}>
                {AVAILABILITY_TEXT[a]}
              </option>
            ))}
          </select>
        </div>
        <div className="header-control">
          <input
            id={soundId}
            type="checkbox"
            data-testid="sound"
            checked={s.sound}
            onChange={(e) => controller.setSound(e.target.checked)}
          />
          <label htmlFor={soundId}>Sound for new chats</label>
        </div>
        <button type="button" className="button" data-testid="logout" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </header>
      {!s.certified && (
        <p className="notice notice--warn" role="alert" data-testid="not-certified">
          Your key is not certified yet. A supervisor of your association must certify it before you can take chats.
        </p>
      )}
      {s.assignedAlert && (
        <p className="notice notice--assigned" role="alert" data-testid="assigned-alert" data-chat-id={s.assignedAlert.chatId}>
          A resident has been assigned to you. Answer her now, or she goes back to the line.{' '}
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="open-assigned"
            onClick={() => s.assignedAlert && controller.selectChat(s.assignedAlert.chatId)}
          >
            Open chat
          </button>{' '}
          <button type="button" className="button button--small" onClick={() => controller.dismissAssignedAlert()}>
            Dismiss
          </button>
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
