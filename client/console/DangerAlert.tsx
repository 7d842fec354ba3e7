// The immediate-danger alert under the console header: who is waiting in danger, a button to take the first
// of them, acknowledge (stops the alert and its repeating sound) and mute. Presentational: state in, callbacks out.
import type { DangerAlarmState } from './danger-alarm.ts';

export function DangerAlert(props: {
  state: DangerAlarmState;
  canTake: boolean;
  onTake: (ticketId: string) => void;
  onAcknowledge: () => void;
  onMute: (muted: boolean) => void;
}) {
  const { state, canTake, onTake, onAcknowledge, onMute } = props;
  const first = state.waiting[0];
  if (!state.raised || first === undefined) return null;
  const n = state.waiting.length;
  return (
    <div
      className="notice danger-alert"
      role="alert"
      data-testid="danger-alert"
      data-played={state.played}
      data-muted={state.muted}
      data-raised-at={state.raisedAt ?? ''}
    >
      <p>
        <strong>{n === 1 ? 'A resident in immediate danger is waiting.' : `${n} residents in immediate danger are waiting.`}</strong> Take
        her now, or make sure a colleague does. She has been shown 112 and 1522.
      </p>
      <div className="danger-actions">
        <button
          type="button"
          className="button button--small button--danger"
          data-testid="danger-take"
          disabled={!canTake}
          onClick={() => onTake(first)}
        >
          Take her
        </button>
        <button type="button" className="button button--small" data-testid="danger-ack" onClick={onAcknowledge}>
          Acknowledge
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="danger-mute"
          aria-pressed={state.muted}
          onClick={() => onMute(!state.muted)}
        >
          {state.muted ? 'Unmute alarm' : 'Mute alarm'}
        </button>
      </div>
    </div>
  );
}
