// Tap-to-call links for 112 and 1522, shown at once when she says she is in danger and on every refusal. The
// numbers are isolated left to right, so they read the same inside Arabic text.
import type { Dict } from './i18n.ts';
import { PhoneIcon } from './icons.tsx';

function CallLink(props: { prefix: string; number: '112' | '1522'; about: string }) {
  const { prefix, number, about } = props;
  return (
    <a className="call-link" href={`tel:${number}`} data-testid={`call-${number}`}>
      <PhoneIcon />
      <span className="call-main">
        {prefix}{' '}
        <bdi className="call-number" dir="ltr">
          {number}
        </bdi>
      </span>
      <span className="call-about">{about}</span>
    </a>
  );
}

export function EmergencyNumbers(props: { t: Dict; lead?: string }) {
  const { t, lead } = props;
  return (
    <section className="emergency" data-testid="emergency-numbers" aria-label={t.emergencyHeading}>
      {lead && <p className="emergency-lead">{lead}</p>}
      <ul className="emergency-list">
        <li>
          <CallLink prefix={t.callPrefix} number="112" about={t.about112} />
        </li>
        <li>
          <CallLink prefix={t.callPrefix} number="1522" about={t.about1522} />
        </li>
      </ul>
    </section>
  );
}
