// After a chat: either it ended (everything is already wiped), or the counsellor could not be verified and
// she must not write anything. Both lead back to the empty start screen.
import { EmergencyNumbers } from './EmergencyNumbers.tsx';
import type { Dict } from './i18n.ts';
import { useFocusOnMount } from './use-focus-on-mount.ts';

export function EndedScreen(props: { t: Dict; variant: 'ended' | 'unverified'; onBack: () => void }) {
  const { t, variant, onBack } = props;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return variant === 'ended' ? (
    <section className="screen" data-testid="chat-ended" aria-labelledby="ended-heading">
      <h1 id="ended-heading" ref={headingRef} tabIndex={-1}>
        {t.chatEnded}
      </h1>
      <p>{t.chatEndedWiped}</p>
      <button type="button" className="button button--primary" onClick={onBack}>
        {t.backToStart}
      </button>
      <EmergencyNumbers t={t} />
    </section>
  ) : (
    <section className="screen" data-testid="unverified" aria-labelledby="unverified-heading">
      <h1 id="unverified-heading" ref={headingRef} tabIndex={-1} className="error">
        {t.unverified}
      </h1>
      <EmergencyNumbers t={t} />
      <button type="button" className="button" onClick={onBack}>
        {t.backToStart}
      </button>
    </section>
  );
}
