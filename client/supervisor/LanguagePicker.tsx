// Checkboxes for a counsellor's languages, each named in its own language (and script direction).
import type { Language } from '../../protocol/triage.ts';
import { LANGUAGE_ENDONYMS } from '../shared/contract.ts';

export function LanguagePicker(props: {
  legend: string;
  value: readonly Language[];
  options: readonly Language[];
  onChange: (next: Language[]) => void;
  testIdPrefix: string;
}) {
  const { legend, value, options, onChange, testIdPrefix } = props;
  const toggle = (l: Language, on: boolean) =>
    onChange(on ? options.filter((o) => o === l || value.includes(o)) : value.filter((v) => v !== l));
  return (
    <fieldset className="language-picker">
      <legend>{legend}</legend>
      {options.map((l) => (
        <label key={l} className="check">
          <input
            type="checkbox"
            data-testid={`${testIdPrefix}-${l}`}
            checked={value.includes(l)}
            onChange={(e) => toggle(l, e.target.checked)}
          />{' '}
          <span lang={l} dir={l === 'ar' ? 'rtl' : 'ltr'}>
            {LANGUAGE_ENDONYMS[l]}
          </span>
        </label>
      ))}
    </fieldset>
  );
}
