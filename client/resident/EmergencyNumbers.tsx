// Tap-to-call links for 112 and 1522, shown at once when she says she is in danger and on every refusal.
import type { Dict } from './i18n.ts';

export function EmergencyNumbers(props: { t: Dict; lead?: string }) {
  const { t, lead } = props;
  return (
    <section className="emergency" data-testid="emergency-numbers" aria-label={t.emergencyHeading}>
      {lead && <p className="emergency-lead">{lead}</p>}
      <ul className="emergency-list">
        <li>
          <a className="call-link" href="tel:112">
            {t.call112}
          </a>
        </li>
        <li>
          <a className="call-link" href="tel:1522">
            {t.call1522}
          </a>
        </li>
      </ul>
    </section>
  );
}
