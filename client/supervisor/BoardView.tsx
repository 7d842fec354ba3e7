// The live board, made to be read from across a room: big figures, each with its level in colour, symbol and
// word; waits and times in state tick here between snapshots; an alert banner when any level is red and a
// "stale" banner when no snapshot came for three periods. Counts and durations only: nobody is singled out.
import type { BoardLevel, BoardSnapshot, CounsellorBoardState } from '../../protocol/board.ts';
import type { Language } from '../../protocol/triage.ts';
import { URGENCY_LABELS } from '../console/labels.ts';
import { LANGUAGE_ENDONYMS } from '../shared/contract.ts';
import { formatClock, formatDuration, formatSeconds, LEVEL_LABELS, STATE_LABELS } from './format.ts';

/** Missing this many periods marks the board stale. */
export const STALE_PERIODS = 3;

const STATE_SYMBOLS: Readonly<Record<CounsellorBoardState, string>> = { available: '●', busy: '■', away: '◐', offline: '○' };

function LevelBadge(props: { level: BoardLevel }) {
  const l = LEVEL_LABELS[props.level];
  return (
    <span className={`level-badge level-badge--${props.level}`}>
      <span aria-hidden="true">{l.symbol}</span> {l.text}
    </span>
  );
}

function Figure(props: {
  label: string;
  value: string | number;
  level?: BoardLevel;
  testId: string;
  note?: string;
  size?: 'big' | 'small';
}) {
  const { label, value, level, testId, note, size = 'big' } = props;
  return (
    <div className={`figure figure--${size}${level ? ` level--${level}` : ''}`} data-testid={testId} data-level={level}>
      <p className="figure-label">{label}</p>
      <p className="figure-value" data-testid={`${testId}-value`}>
        {value}
      </p>
      {level && <LevelBadge level={level} />}
      {note && <p className="figure-note">{note}</p>}
    </div>
  );
}

export function BoardView(props: { board: BoardSnapshot | null; receivedAt: number | null; now: number; connected: boolean }) {
  const { board, receivedAt, now, connected } = props;
  if (!board || receivedAt === null) {
    return (
      <section className="board" aria-labelledby="board-heading">
        <h2 id="board-heading" className="visually-hidden">
          Live board
        </h2>
        <p className="notice" role="status" data-testid="board-empty">
          {connected ? 'Waiting for the first figures…' : 'Connecting…'}
        </p>
      </section>
    );
  }
  const since = Math.max(0, now - receivedAt);
  const stale = since > STALE_PERIODS * board.intervalMs;
  const { waiting, lastHour, today, counsellors, levels, thresholds } = board;
  const languages = Object.entries(waiting.byLanguage).filter(([, n]) => (n ?? 0) > 0) as [Language, number][];
  const refusedHour = lastHour.refused.full + lastHour.refused.closed + lastHour.refused.nobody;
  const refusedToday = today.refused.full + today.refused.closed + today.refused.nobody;
  return (
    <section className={`board${stale ? ' board--stale' : ''}`} aria-labelledby="board-heading" data-testid="board" data-stale={stale}>
      <h2 id="board-heading" className="visually-hidden">
        Live board
      </h2>
      {board.alert && (
        <p className="board-alert" role="alert" data-testid="board-alert">
          <span aria-hidden="true">⬣</span> Alert: {alertReasons(board).join('; ')}
        </p>
      )}
      {stale && (
        <p className="board-stale" role="status" data-testid="board-stale">
          <span aria-hidden="true">⏸</span> Stale: no update for {formatDuration(since)}. These figures may be out of date.
        </p>
      )}
      <div className="figures figures--main">
        <Figure testId="fig-waiting" label="Waiting now" value={waiting.total} level={levels.waiting} />
        <Figure
          testId="fig-oldest"
          label="Oldest wait"
          value={waiting.oldestWaitMs === null ? '—' : formatDuration(waiting.oldestWaitMs + since)}
          level={levels.oldestWait}
        />
        <Figure
          testId="fig-median"
          label="Median wait, last hour"
          value={lastHour.medianWaitMs === null ? '—' : formatDuration(lastHour.medianWaitMs)}
          level={levels.medianWait}
        />
        <Figure testId="fig-available" label="Counsellors available" value={counsellors.byState.available} level={levels.available} />
        <Figure testId="fig-active" label="Active chats" value={board.activeChats} />
      </div>

      <div className="board-columns">
        <section className="board-panel" aria-labelledby="urgency-heading">
          <h3 id="urgency-heading">Waiting by urgency</h3>
          <div className="figures figures--three">
            {(['1', '2', '3'] as const).map((u) => (
              <div key={u} className={`figure figure--small urgency-${u}`} data-testid={`fig-urgency-${u}`}>
                <p className="figure-label">{URGENCY_LABELS[Number(u) as 1 | 2 | 3]}</p>
                <p className="figure-value">{waiting.byUrgency[u]}</p>
              </div>
            ))}
          </div>
          <h3>Waiting by language</h3>
          {languages.length === 0 ? (
            <p className="muted">Nobody is waiting.</p>
          ) : (
            <ul className="language-counts" data-testid="waiting-languages">
              {languages.map(([l, n]) => (
                <li key={l}>
                  <span lang={l} dir={l === 'ar' ? 'rtl' : 'ltr'}>
                    {LANGUAGE_ENDONYMS[l]}
                  </span>{' '}
                  <strong>{n}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="board-panel" aria-labelledby="hour-heading">
          <h3 id="hour-heading">Last hour</h3>
          <div className="figures figures--three">
            <Figure size="small" testId="fig-hour-answered" label="Answered" value={lastHour.answered} />
            <Figure size="small" testId="fig-hour-abandoned" label="Left while waiting" value={lastHour.abandoned} />
            <Figure size="small" testId="fig-hour-refused" label="Refused" value={refusedHour} note={refusalNote(lastHour.refused)} />
          </div>
          <h3>Today (since midnight)</h3>
          <div className="figures figures--three">
            <Figure size="small" testId="fig-today-answered" label="Answered" value={today.answered} />
            <Figure size="small" testId="fig-today-abandoned" label="Left while waiting" value={today.abandoned} />
            <Figure size="small" testId="fig-today-refused" label="Refused" value={refusedToday} note={refusalNote(today.refused)} />
          </div>
        </section>

        <section className="board-panel board-panel--team" aria-labelledby="counsellors-heading">
          <h3 id="counsellors-heading">Counsellors</h3>
          <ul className="state-counts" data-testid="state-counts">
            {(['available', 'busy', 'away', 'offline'] as const).map((st) => (
              <li key={st} className={`state state--${st}`} data-testid={`state-${st}`}>
                <span aria-hidden="true">{STATE_SYMBOLS[st]}</span> {STATE_LABELS[st]} <strong>{counsellors.byState[st]}</strong>
              </li>
            ))}
          </ul>
          {counsellors.list.length === 0 ? (
            <p className="muted">Nobody is on shift.</p>
          ) : (
            <table className="counsellor-table" data-testid="counsellor-list">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">State</th>
                  <th scope="col">Chats</th>
                  <th scope="col">In state for</th>
                </tr>
              </thead>
              <tbody>
                {counsellors.list.map((c, i) => (
                  <tr key={`${i}:${c.alias}`} data-testid="counsellor-row" data-state={c.state}>
                    <th scope="row">{c.alias}</th>
                    <td className={`state state--${c.state}`}>
                      <span aria-hidden="true">{STATE_SYMBOLS[c.state]}</span> {STATE_LABELS[c.state]}
                    </td>
                    <td>
                      <span className="load" aria-label={`${c.load} of ${c.capacity} chats`}>
                        <span className="load-bar" aria-hidden="true">
                          {Array.from({ length: c.capacity }, (_, slot) => (
                            <span key={slot} className={slot < c.load ? 'load-slot load-slot--used' : 'load-slot'} />
                          ))}
                        </span>{' '}
                        {c.load}/{c.capacity}
                      </span>
                    </td>
                    <td className="tabular">{formatDuration(c.inStateMs + since)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
      <p className="board-foot muted" data-testid="board-updated">
        Updated {formatClock(receivedAt)} · every {Math.round(board.intervalMs / 1000)} s · amber from {thresholds.amberWaiting} waiting or{' '}
        {formatSeconds(thresholds.amberWaitSeconds)} of wait, red from {thresholds.redWaiting} waiting or{' '}
        {formatSeconds(thresholds.redWaitSeconds)}
      </p>
    </section>
  );
}

function refusalNote(r: BoardSnapshot['lastHour']['refused']): string {
  return `full ${r.full} · closed ${r.closed} · nobody ${r.nobody}`;
}

/** Which figures are red, in words, for the banner and screen readers. */
export function alertReasons(b: BoardSnapshot): string[] {
  const out: string[] = [];
  if (b.levels.waiting === 'red') out.push(`${b.waiting.total} waiting`);
  if (b.levels.oldestWait === 'red') out.push('the oldest wait is too long');
  if (b.levels.medianWait === 'red') out.push('the median wait of the last hour is too long');
  if (b.levels.available === 'red') out.push('someone waits and no counsellor is available');
  return out.length > 0 ? out : ['a figure is over its threshold'];
}
