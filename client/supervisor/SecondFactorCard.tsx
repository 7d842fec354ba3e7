// A member's new second factor after a reset, shown once for the supervisor to hand over in person: the QR code
// she scans with her authenticator app, the same secret as text, and her new recovery codes. Gone when closed.
import type { SecondFactorReset } from '../../protocol/supervisor.ts';
import { CopyButton } from './CopyButton.tsx';
import { QrCode } from '../console/QrCode.tsx';

export function SecondFactorCard(props: { reset: SecondFactorReset & { username: string }; onDone: () => void }) {
  const { reset, onDone } = props;
  return (
    <section className="panel second-factor" aria-labelledby="second-factor-heading" data-testid="second-factor">
      <h3 id="second-factor-heading">New second factor for {reset.username}</h3>
      <p>
        Shown <strong>only now</strong>. Let her scan the code with her authenticator app from this screen, and give her the recovery codes
        on paper. Her other sessions have ended.
      </p>
      <div className="second-factor-body">
        <QrCode text={reset.totp.uri} label={`Authenticator set-up code for ${reset.username}`} size={224} />
        <div>
          <p>Or type this secret into the app:</p>
          <p className="secret-line">
            <code className="secret" data-testid="totp-secret">
              {reset.totp.secret.replace(/(.{4})/g, '$1 ').trim()}
            </code>
            <CopyButton text={reset.totp.secret} />
          </p>
          <p>Recovery codes (each works once):</p>
          <ol className="recovery-codes" data-testid="recovery-codes">
            {reset.recoveryCodes.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ol>
        </div>
      </div>
      <button type="button" className="button button--primary" data-testid="second-factor-done" onClick={onDone}>
        Handed over: hide
      </button>
    </section>
  );
}
