// Container of the resident page: reads the controller's snapshot and the interface language, and picks the
// screen. Screens are presentational; every action goes back to the controller. The language picker sits
// above every screen, so she can switch at any moment, and the document's lang and dir follow at once.
import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useStore } from '../shared/use-store.ts';
import { ChatScreen } from './ChatScreen.tsx';
import { EndedScreen } from './EndedScreen.tsx';
import {
  DEFAULT_UI_LANGUAGE,
  DICTIONARIES,
  dirOf,
  htmlLangOf,
  UI_LANGUAGE_NAMES,
  UI_LANGUAGES,
  type Dict,
  type UiLanguage,
} from './i18n.ts';
import { GlobeIcon } from './icons.tsx';
import { setQuickExitLabel } from './quick-exit.ts';
import { RefusalScreen } from './RefusalScreen.tsx';
import type { ResidentController, ResidentSnapshot } from './resident-controller.ts';
import { StartScreen } from './StartScreen.tsx';
import { useVisualViewport } from './use-visual-viewport.ts';
import { WaitingScreen } from './WaitingScreen.tsx';

/** How long "connected again" stays on screen after a dropped connection came back. */
const BACK_ONLINE_MS = 4_000;

function applyLanguage(lang: UiLanguage): void {
  const html = document.documentElement;
  html.lang = htmlLangOf(lang);
  html.dir = dirOf(lang);
  const t = DICTIONARIES[lang];
  setQuickExitLabel(t.exitHidden, t.exit);
}

function ConnectionState(props: { state: ResidentSnapshot['connection']; t: Dict }) {
  const { state, t } = props;
  const [backOnline, setBackOnline] = useState(false);
  const previous = useRef(state);
  useEffect(() => {
    const was = previous.current;
    previous.current = state;
    if (state === 'online' && was === 'reconnecting') {
      setBackOnline(true);
      const timer = setTimeout(() => setBackOnline(false), BACK_ONLINE_MS);
      return () => clearTimeout(timer);
    }
    if (state !== 'online') setBackOnline(false);
    return undefined;
  }, [state]);
  if (state === null) return null;
  const lost = state === 'reconnecting';
  // Always mounted during a visit so the live region announces the change; words only when something happened.
  return (
    <p
      className={lost ? 'connection connection--lost' : backOnline ? 'connection connection--back' : 'connection'}
      role="status"
      data-testid="connection-state"
      data-state={state}
    >
      {lost ? t.connectionLost : backOnline ? t.connectionBack : ''}
    </p>
  );
}

function LanguagePicker(props: { t: Dict; value: UiLanguage; onChange: (lang: UiLanguage) => void }) {
  const { t, value, onChange } = props;
  const id = useId();
  return (
    <div className="lang-picker">
      <GlobeIcon />
      <label htmlFor={id}>{t.uiLanguage}</label>
      <select id={id} data-testid="lang-select" autoComplete="off" value={value} onChange={(e) => onChange(e.target.value as UiLanguage)}>
        {UI_LANGUAGES.map((l) => (
          <option key={l} value={l} lang={htmlLangOf(l)}>
            {UI_LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function App(props: { controller: ResidentController }) {
  const { controller } = props;
  const snap = useStore(controller.store);
  const [uiLanguage, setUiLanguage] = useState<UiLanguage>(DEFAULT_UI_LANGUAGE);
  const t = DICTIONARIES[uiLanguage];
  const appRef = useRef<HTMLDivElement>(null);

  const changeLanguage = (lang: UiLanguage) => {
    // In the same event, not after the next paint: the direction must never lag behind the words.
    applyLanguage(lang);
    setUiLanguage(lang);
  };
  // Also on mount and after a remount (page restored from the back-forward cache: back to the default).
  useLayoutEffect(() => applyLanguage(uiLanguage), [uiLanguage]);

  // After the first render: the start screen is already usable while libsodium and Socket.IO load.
  useEffect(() => controller.loadEngine(), [controller]);

  const { phase } = snap;
  useVisualViewport(appRef, phase.name === 'chat');
  const picker = <LanguagePicker t={t} value={uiLanguage} onChange={changeLanguage} />;

  let screen;
  switch (phase.name) {
    case 'start':
    case 'joining':
      screen = (
        <StartScreen
          t={t}
          uiLanguage={uiLanguage}
          engine={snap.engine}
          joining={phase.name === 'joining'}
          networkError={phase.name === 'start' && phase.error === 'network'}
          onJoin={(triage, details) => void controller.join(triage, details)}
        />
      );
      break;
    case 'waiting':
    case 'assigned':
      screen = (
        <WaitingScreen
          t={t}
          assigned={phase.name === 'assigned'}
          requeued={phase.name === 'waiting' && phase.requeued}
          transferred={phase.name === 'waiting' && phase.transfer === true}
          position={phase.name === 'waiting' ? phase.position : null}
          onLeave={() => (phase.name === 'assigned' ? controller.endChat() : controller.leaveLine())}
        />
      );
      break;
    case 'chat':
      screen = (
        <ChatScreen
          key={phase.chat.chatId}
          t={t}
          alias={phase.alias}
          association={phase.association}
          chat={phase.chat}
          languagePicker={picker}
          onEnd={() => controller.endChat()}
        />
      );
      break;
    case 'refused':
      screen = <RefusalScreen t={t} code={phase.code} onBack={() => controller.backToStart()} />;
      break;
    case 'unverified':
      screen = <EndedScreen t={t} variant="unverified" onBack={() => controller.backToStart()} />;
      break;
    case 'ended':
      screen = <EndedScreen t={t} variant="ended" onBack={() => controller.backToStart()} />;
      break;
    default: {
      const unreachable: never = phase;
      throw new Error(`App: unknown phase ${JSON.stringify(unreachable)}`);
    }
  }

  return (
    <div ref={appRef} className={phase.name === 'chat' ? 'app app--chat' : 'app'} data-screen={phase.name}>
      {/* In a chat the picker moves into the chat's own header row: every line counts above the keyboard. */}
      {phase.name !== 'chat' && <header className="topbar">{picker}</header>}
      <main className="page">
        <ConnectionState state={snap.connection} t={t} />
        {screen}
      </main>
    </div>
  );
}
