// The waiting line as the server filters and orders it for her (urgency class, residents sent back to the line
// at the front of theirs, then arrival), with each wait ticking. Never re-sorted here. Residents in immediate
// danger stand out; at her capacity the take buttons are off, with the reason next to them.
import type { QueueEntry } from '../../protocol/events.ts';
import { ASSOCIATION_NAMES, LANGUAGE_ENDONYMS } from '../shared/contract.ts';
import { CAN_WRITE_LABELS, DANGER_LABELS, formatWait, TOPIC_LABELS, URGENCY_LABELS } from './labels.ts';
import { useNow } from './use-now.ts';

export function QueueView(props: {
  entries: readonly QueueEntry[];
  canTake: boolean;
  claiming: boolean;
  /** Her open chats and her capacity: at capacity the server would refuse (AT_CAPACITY), so nothing is offered. */
  load: number;
  capacity: number | null;
  onTake: (ticketId?: string) => void;
}) {
  const { entries, canTake, claiming, load, capacity, onTake } = props;
  const now = useNow(1000);
  const atCapacity = capacity !== null && load >= capacity;
  const disabled = !canTake || claiming || atCapacity;
  return (
    <section className="queue" aria-labelledby="queue-heading">
      <div className="queue-head">
        <h2 id="queue-heading">
          Waiting line <span className="count">({entries.length})</span>
        </h2>
        <button
          type="button"
          className="button button--primary"
          data-testid="take-next"
          disabled={disabled || entries.length === 0}
          onClick={() => onTake()}
        >
          Take next
        </button>
      </div>
      {atCapacity && (
        <p className="notice at-capacity" role="status" data-testid="at-capacity">
          You are at your capacity ({load} of {capacity} chats). End a chat, or raise your capacity, to take someone new.
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted">Nobody is waiting.</p>
      ) : (
        <ol className="queue-list">
          {entries.map((e) => (
            <li
              key={e.ticketId}
              className={`queue-entry urgency-${e.urgency}${e.danger === 'yes' ? ' queue-entry--danger' : ''}`}
              data-testid="queue-entry"
              data-ticket-id={e.ticketId}
              data-urgency={e.urgency}
              data-danger={e.danger}
            >
              <div className="queue-main">
                <strong className="urgency">
                  {e.danger === 'yes' && (
                    <span className="danger-mark" aria-hidden="true">
                      ⚠{' '}
                    </span>
                  )}
                  {URGENCY_LABELS[e.urgency]}
                </strong>
                <span className="wait" aria-label={`Waiting ${formatWait(now - e.waitingSince)}`}>
                  {formatWait(now - e.waitingSince)}
                </span>
              </div>
              <dl className="queue-facts">
                <div>
                  <dt>Language</dt>
                  <dd>{LANGUAGE_ENDONYMS[e.language] ?? e.language}</dd>
                </div>
                <div>
                  <dt>Association</dt>
                  <dd>{e.association === 'either' ? 'Either' : ASSOCIATION_NAMES[e.association]}</dd>
                </div>
                <div>
                  <dt>Triage</dt>
                  <dd>
                    {DANGER_LABELS[e.danger]}; {CAN_WRITE_LABELS[e.canWrite]}
                  </dd>
                </div>
                {e.topics.length > 0 && (
                  <div>
                    <dt>Topics</dt>
                    <dd>{e.topics.map((x) => TOPIC_LABELS[x] ?? x).join(', ')}</dd>
                  </div>
                )}
              </dl>
              <button type="button" className="button" data-testid="take" disabled={disabled} onClick={() => onTake(e.ticketId)}>
                Take
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
