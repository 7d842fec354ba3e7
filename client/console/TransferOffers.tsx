// Transfers colleagues offer her: who asks, the resident's categorical triage, the note (opened only here, and
// only if the sender's certificate and signature verify), the time left, and accept or decline.
import { ASSOCIATION_NAMES, LANGUAGE_ENDONYMS } from '../shared/contract.ts';
import { CAN_WRITE_LABELS, DANGER_LABELS, TOPIC_LABELS, URGENCY_LABELS } from './labels.ts';
import type { IncomingOffer } from './transfer.ts';
import { useNow } from './use-now.ts';

export function TransferOffers(props: {
  offers: readonly IncomingOffer[];
  canAccept: boolean;
  onAnswer: (offerId: string, accept: boolean) => void;
}) {
  const { offers, canAccept, onAnswer } = props;
  const now = useNow(1000);
  if (offers.length === 0) return null;
  return (
    <section className="transfer-offers" aria-label="Transfer offers">
      {offers.map((o) => {
        const left = Math.max(0, Math.floor((o.deadline - now) / 1000));
        const { entry } = o;
        return (
          <div
            key={o.offerId}
            className="notice notice--assigned transfer-offer"
            role="alert"
            data-testid="transfer-offer"
            data-offer-id={o.offerId}
          >
            <p>
              <strong>{o.fromAlias}</strong> ({ASSOCIATION_NAMES[o.fromAssociation]}) asks you to take over a chat
              {!o.verified && <span className="warn"> — her certificate does not verify; be careful</span>}.
            </p>
            <p className="muted">
              {URGENCY_LABELS[entry.urgency]} · {DANGER_LABELS[entry.danger]} · {CAN_WRITE_LABELS[entry.canWrite]} ·{' '}
              {LANGUAGE_ENDONYMS[entry.language] ?? entry.language}
              {entry.topics.length > 0 && ` · ${entry.topics.map((t) => TOPIC_LABELS[t] ?? t).join(', ')}`}
            </p>
            {o.note !== null && (
              <blockquote className="handoff-note" data-testid="offer-note">
                {o.note}
              </blockquote>
            )}
            {o.noteProblem && <p className="warn">{o.noteProblem}</p>}
            {o.error && (
              <p className="warn" role="alert">
                {o.error}
              </p>
            )}
            <p>
              <button
                type="button"
                className="button button--small button--primary"
                data-testid="offer-accept"
                disabled={o.answering || !canAccept}
                onClick={() => onAnswer(o.offerId, true)}
              >
                Accept
              </button>{' '}
              <button
                type="button"
                className="button button--small"
                data-testid="offer-decline"
                disabled={o.answering}
                onClick={() => onAnswer(o.offerId, false)}
              >
                Decline
              </button>{' '}
              <span className="muted" aria-live="off">
                {left} s left
              </span>
            </p>
          </div>
        );
      })}
    </section>
  );
}
