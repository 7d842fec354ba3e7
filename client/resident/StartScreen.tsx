// The first screen: safety note with a link to the plain safety page, then triage in a few taps. Works
// before crypto has loaded; only the Join button waits for it. The interface language is picked above every
// screen (App); the chat language follows it until she picks one herself.
import { useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import { TRIAGE_DETAILS_MAX_CHARS } from '../../protocol/limits.ts';
import type { AssociationChoice, Language, Topic, Triage } from '../../protocol/triage.ts';
import { ASSOCIATION_CHOICES, LANGUAGE_ENDONYMS, LANGUAGES, TOPICS } from '../shared/contract.ts';
import { EmergencyNumbers } from './EmergencyNumbers.tsx';
import type { Dict, UiLanguage } from './i18n.ts';
import { InfoIcon } from './icons.tsx';
import { useFocusOnMount } from './use-focus-on-mount.ts';

type Danger = Triage['danger'];
type CanWrite = Triage['canWrite'];

export interface StartScreenProps {
  t: Dict;
  uiLanguage: UiLanguage;
  engine: 'loading' | 'ready' | 'failed';
  joining: boolean;
  networkError: boolean;
  /** `details`: her optional free text, kept in memory only and sent end-to-end encrypted once the chat opens. */
  onJoin: (triage: Triage, details: string) => void;
}

function RadioGroup<V extends string>(props: {
  name: string;
  legend: string;
  options: readonly { value: V; label: string; testId: string }[];
  value: V | null;
  onChange: (v: V) => void;
  error: string | null;
  firstRef?: RefObject<HTMLInputElement | null>;
  children?: ReactNode;
}) {
  const errorId = useId();
  return (
    <fieldset className="question" aria-describedby={props.error ? errorId : undefined}>
      <legend>{props.legend}</legend>
      {props.error && (
        <p id={errorId} className="error">
          {props.error}
        </p>
      )}
      <div className="choices">
        {props.options.map((o, i) => (
          <label key={o.value} className="choice">
            <input
              ref={i === 0 ? props.firstRef : undefined}
              type="radio"
              name={props.name}
              value={o.value}
              checked={props.value === o.value}
              onChange={() => props.onChange(o.value)}
              autoComplete="off"
              data-testid={o.testId}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {props.children}
    </fieldset>
  );
}

export function StartScreen(props: StartScreenProps) {
  const { t, uiLanguage, engine, joining, networkError, onJoin } = props;
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const [danger, setDanger] = useState<Danger | null>(null);
  const [canWrite, setCanWrite] = useState<CanWrite | null>(null);
  const [association, setAssociation] = useState<AssociationChoice>('either');
  // Follows the interface language until she picks a chat language herself.
  const [chatLanguage, setChatLanguage] = useState<Language | null>(null);
  const [topics, setTopics] = useState<ReadonlySet<Topic>>(new Set());
  const [details, setDetails] = useState('');
  const [showErrors, setShowErrors] = useState(false);
  const dangerRef = useRef<HTMLInputElement>(null);
  const canWriteRef = useRef<HTMLInputElement>(null);
  const chatLangId = useId();
  const detailsId = useId();
  const detailsHintId = useId();

  const language: Language = chatLanguage ?? uiLanguage;
  const ready = engine === 'ready' && !joining;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!ready) return;
    if (danger === null || canWrite === null) {
      setShowErrors(true);
      (danger === null ? dangerRef : canWriteRef).current?.focus();
      return;
    }
    onJoin({ danger, canWrite, association, language, topics: TOPICS.filter((x) => topics.has(x)) }, details);
  };

  const toggleTopic = (topic: Topic, on: boolean) => {
    const next = new Set(topics);
    if (on) next.add(topic);
    else next.delete(topic);
    setTopics(next);
  };

  const joinLabel = engine === 'loading' ? t.preparing : engine === 'failed' ? t.cryptoFailed : joining ? t.joining : t.join;

  return (
    <section className="screen" aria-labelledby="start-heading">
      <h1 id="start-heading" ref={headingRef} tabIndex={-1}>
        {t.heading}
      </h1>
      <div className="safety-note">
        <InfoIcon />
        <div>
          <p>{t.safetyNote}</p>
          {/* Same tab, plain link: the safety page has the same exit bar and a way back here. */}
          <a href="/safety" className="safety-link" data-testid="safety-link">
            {t.safetyLink}
          </a>
        </div>
      </div>

      <p>{t.intro}</p>

      <form className="triage" autoComplete="off" noValidate onSubmit={onSubmit}>
        <RadioGroup<Danger>
          name="danger"
          legend={t.dangerQ}
          value={danger}
          onChange={setDanger}
          firstRef={dangerRef}
          error={showErrors && danger === null ? t.answerThis : null}
          options={[
            { value: 'yes', label: t.dangerYes, testId: 'danger-yes' },
            { value: 'no', label: t.dangerNo, testId: 'danger-no' },
            { value: 'unsure', label: t.dangerUnsure, testId: 'danger-unsure' },
          ]}
        >
          {danger === 'yes' && (
            <div className="notice notice--warn" role="alert">
              <EmergencyNumbers t={t} lead={t.dangerNow} />
              <p>{t.dangerStillChat}</p>
            </div>
          )}
        </RadioGroup>

        <RadioGroup<CanWrite>
          name="canWrite"
          legend={t.canWriteQ}
          value={canWrite}
          onChange={setCanWrite}
          firstRef={canWriteRef}
          error={showErrors && canWrite === null ? t.answerThis : null}
          options={[
            { value: 'yes', label: t.canWriteYes, testId: 'canwrite-yes' },
            { value: 'briefly', label: t.canWriteBriefly, testId: 'canwrite-briefly' },
            { value: 'no', label: t.canWriteNo, testId: 'canwrite-no' },
          ]}
        />

        <RadioGroup<AssociationChoice>
          name="association"
          legend={t.associationQ}
          value={association}
          onChange={setAssociation}
          error={null}
          options={ASSOCIATION_CHOICES.map((a) => ({
            value: a,
            label: a === 'either' ? t.associationEither : t.associationNames[a],
            testId: `assoc-${a}`,
          }))}
        />

        <div className="field">
          <label htmlFor={chatLangId}>{t.languageQ}</label>
          <select
            id={chatLangId}
            data-testid="language-select"
            autoComplete="off"
            value={language}
            onChange={(e) => setChatLanguage(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_ENDONYMS[l]}
              </option>
            ))}
          </select>
        </div>

        <fieldset className="question">
          <legend>{t.topicsQ}</legend>
          <div className="choices choices--wrap">
            {TOPICS.map((topic) => (
              <label key={topic} className="choice">
                <input
                  type="checkbox"
                  name="topics"
                  value={topic}
                  checked={topics.has(topic)}
                  onChange={(e) => toggleTopic(topic, e.target.checked)}
                  autoComplete="off"
                  data-testid={`topic-${topic}`}
                />
                <span>{t.topics[topic]}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="field">
          <label htmlFor={detailsId}>{t.detailsQ}</label>
          <p id={detailsHintId} className="hint">
            {t.detailsHint}
          </p>
          <textarea
            id={detailsId}
            data-testid="triage-details"
            aria-describedby={detailsHintId}
            rows={3}
            dir="auto"
            maxLength={TRIAGE_DETAILS_MAX_CHARS}
            value={details}
            onChange={(e) => setDetails(e.target.value)}
            autoComplete="off"
            autoCorrect="off"
            spellCheck={false}
          />
        </div>

        {networkError && (
          <p className="error" role="alert">
            {t.networkError}
          </p>
        )}
        {engine === 'failed' && <EmergencyNumbers t={t} />}

        <button
          type="submit"
          className="button button--primary button--wide"
          data-testid="join"
          disabled={!ready}
          aria-busy={joining || engine === 'loading'}
        >
          {joinLabel}
        </button>
      </form>
    </section>
  );
}
