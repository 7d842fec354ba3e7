// Container of the console: sign-in until she is in, then header (availability, sound), the alert for a chat
// given to her automatically, the line and her chats side by side.
import { useEffect, useId, useState } from 'react';
import { ASSOCIATION_NAMES } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import { ChatArea } from './ChatArea.tsx';
import type { Availability, ConsoleController } from './console-controller.ts';
import { DangerAlert } from './DangerAlert.tsx';
import { ShiftSettingsForm } from './ShiftSettingsForm.tsx';
import { LoginScreen } from './LoginScreen.tsx';
import { AccountDialog } from './AccountDialog.tsx';
import { EnrolScreen } from './EnrolScreen.tsx';
import { takeInviteFromUrl } from './enrolment.ts';
import { QueueView } from './QueueView.tsx';
import { TransferControls } from './TransferDialog.tsx';
import { TransferOffers } from './TransferOffers.tsx';

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
  const danger = useStore(controller.danger.store);
  const shift = useStore(controller.shift.store);
  const cannedReplies = useStore(controller.canned.store);
  const dangerSoundId = useId();
  // Chats the server still counts against her capacity: every tab but those already ended.
  const load = s.tabs.filter((x) => x.status !== 'ended').length;
  const capacity = shift.maxCapacity === null ? null : shift.capacity;
  const busy = capacity !== null && load >= capacity;

  // An invitation link (/console#invite=...) opens enrolment; the token leaves the address bar at once.
  const [invite, setInvite] = useState(takeInviteFromUrl);
  const [enrolledAs, setEnrolledAs] = useState<string | null>(null);
  const [accountOpen, setAccountOpen] = useState(false);

  useEffect(() => controller.preload(), [controller]);
  useEffect(() => {
    if (s.auth !== 'signed-in') setAccountOpen(false);
    else setEnrolledAs(null);
  }, [s.auth]);

  // Seen from another browser tab too: the title counts chats given to her that she has not opened, and is
  // marked while an immediate-danger alert stands.
  useEffect(() => {
    document.title = `${danger.raised ? '⚠ DANGER · ' : ''}${unseen > 0 ? `(${unseen}) ` : ''}${TITLE}`;
  }, [unseen, danger.raised]);

  if (invite !== null && s.auth === 'signed-out') {
    return (
      <EnrolScreen
        invite={invite}
        onDone={(username) => {
          setEnrolledAs(username);
          setInvite(null);
        }}
        onCancel={() => setInvite(null)}
      />
    );
  }

  if (s.auth !== 'signed-in' || !s.me) {
    return (
      <LoginScreen
        busy={s.auth === 'signing-in'}
        step={s.loginStep}
        error={s.loginError}
        initialUsername={enrolledAs ?? undefined}
        notice={enrolledAs ? 'Your account is ready. Sign in with your new password and the next code your app shows.' : null}
        onSubmit={(u, p, c) => void controller.signIn(u, p, c)}
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
          {s.availability === 'available' && busy && (
            <span className="busy" data-testid="busy">
              Busy: {load} of {capacity} chats
            </span>
          )}
        </div>
        <ShiftSettingsForm
          state={shift}
          onSave={(languages, cap) => void controller.shift.save({ languages, capacity: cap })}
          onDismiss={() => controller.shift.dismiss()}
        />
        <div className="header-control">
          <input
            id={dangerSoundId}
            type="checkbox"
            data-testid="danger-sound"
            checked={!danger.muted}
            onChange={(e) => controller.danger.setMuted(!e.target.checked)}
          />
          <label htmlFor={dangerSoundId}>Alarm for danger</label>
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
        <button type="button" className="button" data-testid="account" onClick={() => setAccountOpen(true)}>
          Account
        </button>
        <button type="button" className="button" data-testid="logout" onClick={() => void controller.signOut()}>
          Sign out
        </button>
      </header>
      {accountOpen && <AccountDialog actions={controller} onClose={() => setAccountOpen(false)} />}
      {!s.certified && (
        <p className="notice notice--warn" role="alert" data-testid="not-certified">
          Your key is waiting for certification by your association; you cannot take chats yet.
        </p>
      )}
      <DangerAlert
        state={danger}
        canTake={s.certified && s.connection === 'online' && !s.claiming && !busy}
        onTake={(id) => void controller.claim(id)}
        onAcknowledge={() => controller.danger.acknowledge()}
        onMute={(muted) => controller.danger.setMuted(muted)}
      />
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
      <TransferOffers
        offers={s.offers}
        canAccept={s.certified && s.connection === 'online'}
        onAnswer={(id, accept) => void controller.answerOffer(id, accept)}
      />
      <div className="console-body">
        <QueueView
          entries={s.queue}
          canTake={s.certified && s.connection === 'online'}
          claiming={s.claiming}
          load={load}
          capacity={capacity}
          onTake={(id) => void controller.claim(id)}
        />
        <ChatArea
          tabs={s.tabs}
          activeChatId={s.activeChatId}
          onSelect={(id) => controller.selectChat(id)}
          onEnd={(id, outcome) => void controller.endChat(id, outcome)}
          onClose={(id) => controller.closeTab(id)}
          cannedReplies={cannedReplies}
          onCannedOpen={() => void controller.canned.load()}
          renderTransfer={(tab) => <TransferControls tab={tab} controller={controller} />}
        />
      </div>
    </div>
  );
}
