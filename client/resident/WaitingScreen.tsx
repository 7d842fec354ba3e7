// The line: live position and a wait range (never a promise), then "a counsellor is joining" once one is
// assigned; after a requeue, a calm word that someone else is on the way. She can leave the line at any time.
import type { QueuePosition } from '../../protocol/events.ts';
import { EmergencyNumbers } from './EmergencyNumbers.tsx';
import type { Dict } from './i18n.ts';
import { useFocusOnMount } from './use-focus-on-mount.ts';

/** Up to this many minutes, the estimate is "shortly" rather than a range. */
const SOON_MINUTES = 2;

export function etaText(t: Dict, eta: QueuePosition['eta']): string {
  if (eta === null) return t.etaUnknown;
  if (eta.highMinutes <= SOON_MINUTES) return t.etaSoon;
  return t.eta(Math.min(eta.lowMinutes, eta.highMinutes), eta.highMinutes);
}

export function WaitingScreen(props: {
  t: Dict;
  assigned: boolean;
  requeued: boolean;
  /** It was her counsellor's hand-over (a transfer), not a counsellor who vanished. */
  transferred?: boolean;
  position: QueuePosition | null;
  onLeave: () => void;
}) {
  const { t, assigned, requeued, transferred, position, onLeave } = props;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  let where: string;
  let eta: string | null = null;
  if (assigned) {
    where = t.assigned;
  } else if (position === null) {
    where = t.positionUnknown;
  } else {
    where = position.position <= 1 ? t.positionNext : t.position(position.position);
    eta = etaText(t, position.eta);
  }
  return (
    <section className="screen" aria-labelledby="waiting-heading" data-testid="waiting">
      <h1 id="waiting-heading" ref={headingRef} tabIndex={-1}>
        {t.waitingHeading}
      </h1>
      {/* One polite, atomic region: a change of place or estimate is read out whole, without interrupting. */}
      <div className="position" aria-live="polite" aria-atomic="true" data-testid="position" data-position={position?.position}>
        {requeued && !assigned && (
          <p className="requeued" data-testid="requeued" data-transfer={transferred ? 'true' : undefined}>
            {transferred ? t.transferred : t.requeued}
          </p>
        )}
        <p className="position-main">{where}</p>
        {eta && (
          <p className="eta" data-testid="eta">
            {eta}
          </p>
        )}
      </div>
      <p>{t.waitingNote}</p>
      <button type="button" className="button" data-testid="leave-line" onClick={onLeave}>
        {t.leaveLine}
      </button>
      <EmergencyNumbers t={t} />
    </section>
  );
}
