// Container of the resident page: reads the controller's snapshot and the interface language, and picks the
// screen. Screens are presentational; every action goes back to the controller.
import { useEffect, useState } from 'react';
import { useStore } from '../shared/use-store.ts';
import { ChatScreen } from './ChatScreen.tsx';
import { EndedScreen } from './EndedScreen.tsx';
import { DEFAULT_UI_LANGUAGE, DICTIONARIES, dirOf, type UiLanguage } from './i18n.ts';
import { setQuickExitLabel } from './quick-exit.ts';
import { RefusalScreen } from './RefusalScreen.tsx';
import type { ResidentController, ResidentSnapshot } from './resident-controller.ts';
import { StartScreen } from './StartScreen.tsx';
import { WaitingScreen } from './WaitingScreen.tsx';

function ConnectionState(props: { state: ResidentSnapshot['connection']; text: string }) {
  if (props.state === null) return null;
  // Always mounted during a visit so the live region announces the change; the words only when offline.
  return (
    <p
      className={props.state === 'reconnecting' ? 'connection connection--lost' : 'connection'}
      role="status"
      data-testid="connection-state"
      data-state={props.state}
    >
      {props.state === 'reconnecting' ? props.text : ''}
    </p>
  );
}

export function App(props: { controller: ResidentController }) {
  const { controller } = props;
  const snap = useStore(controller.store);
  const [uiLanguage, setUiLanguage] = useState<UiLanguage>(DEFAULT_UI_LANGUAGE);
  const t = DICTIONARIES[uiLanguage];

  useEffect(() => {
    document.documentElement.lang = uiLanguage;
    document.documentElement.dir = dirOf(uiLanguage);
    setQuickExitLabel(t.exitHidden, t.exit);
  }, [uiLanguage, t]);

  // After the first render: the start screen is already usable while libsodium and Socket.IO load.
  useEffect(() => controller.loadEngine(), [controller]);

  const { phase } = snap;
  let screen;
  switch (phase.name) {
    case 'start':
    case 'joining':
      screen = (
        <StartScreen
          t={t}
          uiLanguage={uiLanguage}
          onUiLanguage={setUiLanguage}
          engine={snap.engine}
          joining={phase.name === 'joining'}
          networkError={phase.name === 'start' && phase.error === 'network'}
          onJoin={(triage) => void controller.join(triage)}
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
    <main className="page">
      <ConnectionState state={snap.connection} text={t.connectionLost} />
      {screen}
    </main>
  );
}
