// Shown when she cannot join the line (full, nobody on shift, closed hours): say so plainly, say what to do
// next, and give the numbers that always answer.
import { EmergencyNumbers } from './EmergencyNumbers.tsx';
import type { Dict, Refusal } from './i18n.ts';
import { useFocusOnMount } from './use-focus-on-mount.ts';

export function RefusalScreen(props: { t: Dict; code: Refusal; onBack: () => void }) {
  const { t, code, onBack } = props;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section className="screen" data-testid="refusal" data-code={code} aria-labelledby="refusal-heading">
      <h1 id="refusal-heading" ref={headingRef} tabIndex={-1}>
        {t.refusals[code]}
      </h1>
      <p>{t.refusalDetails[code]}</p>
      <p className="emergency-lead">{t.refusalCall}</p>
      <EmergencyNumbers t={t} />
      <button type="button" className="button" onClick={onBack}>
        {t.backToStart}
      </button>
    </section>
  );
}
