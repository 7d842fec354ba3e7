// Charts of the anonymous aggregates: waiting and active over the last hours (one sample a minute), then volumes,
// wait percentiles and outcomes per hour, day or week, with the shown rows exported as CSV. Only coarse counts
// and wait buckets reach this page; nothing here is about one resident.
import { useCallback, useEffect, useId, useState } from 'react';
import type { AggregateRow, LevelSample } from '../../protocol/supervisor.ts';
import { BarChart, LineChart } from './charts.tsx';
import { downloadCsv, toCsv } from './csv.ts';
import {
  formatClock,
  formatIsoLocal,
  formatPeriod,
  formatWaitBound,
  OUTCOME_KEY_LABELS,
  waitBoundForCsv,
  type Granularity,
} from './format.ts';
import { OUTCOME_KEYS } from './policy-rules.ts';
import type { Ask } from './supervisor-transport.ts';

const LEVEL_HOURS = [3, 6, 12, 24] as const;
/** Rows asked for per granularity (the server allows up to 48 hours, 62 days, 53 weeks). */
const ROWS: Readonly<Record<Granularity, number>> = { hour: 24, day: 14, week: 12 };
const GRANULARITY_LABELS: Readonly<Record<Granularity, string>> = {
  hour: 'Hours (last 24)',
  day: 'Days (last 14)',
  week: 'Weeks (last 12)',
};
const LEVELS_REFRESH_MS = 60_000;

type Loaded<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

const refusedTotal = (r: AggregateRow) => r.refused.full + r.refused.closed + r.refused.nobody;

export function ChartsView(props: { ask: Ask }) {
  const { ask } = props;
  const [hours, setHours] = useState<number>(6);
  const [granularity, setGranularity] = useState<Granularity>('day');
  const [levels, setLevels] = useState<Loaded<LevelSample[]>>({ state: 'loading' });
  const [rows, setRows] = useState<Loaded<AggregateRow[]>>({ state: 'loading' });
  const hoursId = useId();
  const granularityId = useId();

  const loadLevels = useCallback(async () => {
    const res = await ask('supervisor:levels', { hours });
    setLevels(res.ok ? { state: 'ok', data: res.data.samples } : { state: 'error', message: res.error.message });
  }, [ask, hours]);

  const loadRows = useCallback(async () => {
    setRows({ state: 'loading' });
    const res = await ask('supervisor:aggregates', { granularity, count: ROWS[granularity] });
    setRows(res.ok ? { state: 'ok', data: res.data.rows } : { state: 'error', message: res.error.message });
  }, [ask, granularity]);

  useEffect(() => {
    void loadLevels();
    const timer = setInterval(() => void loadLevels(), LEVELS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [loadLevels]);

  useEffect(() => {
    void loadRows();
  }, [loadRows]);

  const exportCsv = () => {
    if (rows.state !== 'ok') return;
    const header = [
      'period_start_europe_rome',
      'joined',
      'answered',
      'abandoned',
      'refused_full',
      'refused_closed',
      'refused_nobody',
      'requeued',
      'ended',
      'wait_p50_at_most_min',
      'wait_p90_at_most_min',
      ...OUTCOME_KEYS.map((k) => `outcome_${k}`),
    ];
    const body = rows.data.map((r) => [
      formatIsoLocal(r.start),
      r.joined,
      r.answered,
      r.abandoned,
      r.refused.full,
      r.refused.closed,
      r.refused.nobody,
      r.requeued,
      r.ended,
      waitBoundForCsv(r.wait.p50Ms, r.wait.openEnded && r.wait.p50Ms === null),
      waitBoundForCsv(r.wait.p90Ms, r.wait.openEnded),
      ...OUTCOME_KEYS.map((k) => r.outcomes[k]),
    ]);
    downloadCsv(`helpdesk-${granularity}-${formatIsoLocal(Date.now()).slice(0, 10)}.csv`, toCsv(header, body));
  };

  return (
    <section className="charts" aria-labelledby="charts-heading">
      <h2 id="charts-heading">Charts</h2>

      <section className="panel" aria-labelledby="levels-heading">
        <div className="panel-head">
          <h3 id="levels-heading">Waiting and active chats</h3>
          <label htmlFor={hoursId}>Over the last</label>
          <select id={hoursId} data-testid="levels-hours" value={hours} onChange={(e) => setHours(Number(e.target.value))}>
            {LEVEL_HOURS.map((h) => (
              <option key={h} value={h}>
                {h} hours
              </option>
            ))}
          </select>
        </div>
        {levels.state === 'loading' && <p className="muted">Loading…</p>}
        {levels.state === 'error' && (
          <p className="error" role="alert">
            {levels.message}
          </p>
        )}
        {levels.state === 'ok' &&
          (levels.data.length === 0 ? (
            <p className="muted" data-testid="levels-empty">
              No samples yet: the board records one a minute while the server runs.
            </p>
          ) : (
            <LineChart
              testId="levels-chart"
              title={`Waiting and active chats over the last ${hours} hours`}
              xLabels={levels.data.map((s) => formatClock(s.at))}
              series={[
                { name: 'Waiting', className: 'series-waiting', values: levels.data.map((s) => s.waiting) },
                { name: 'Active chats', className: 'series-active', values: levels.data.map((s) => s.active) },
              ]}
            />
          ))}
      </section>

      <section className="panel" aria-labelledby="volumes-heading">
        <div className="panel-head">
          <h3 id="volumes-heading">Volumes, waits and outcomes</h3>
          <label htmlFor={granularityId}>By</label>
          <select
            id={granularityId}
            data-testid="granularity"
            value={granularity}
            onChange={(e) => setGranularity(e.target.value as Granularity)}
          >
            {(Object.keys(ROWS) as Granularity[]).map((g) => (
              <option key={g} value={g}>
                {GRANULARITY_LABELS[g]}
              </option>
            ))}
          </select>
          <button type="button" className="button button--small" onClick={() => void loadRows()}>
            Refresh
          </button>
          <button
            type="button"
            className="button button--small button--primary"
            data-testid="export-csv"
            disabled={rows.state !== 'ok'}
            onClick={exportCsv}
          >
            Export CSV
          </button>
        </div>
        {rows.state === 'loading' && <p className="muted">Loading…</p>}
        {rows.state === 'error' && (
          <p className="error" role="alert">
            {rows.message}
          </p>
        )}
        {rows.state === 'ok' && <AggregateTables rows={rows.data} granularity={granularity} />}
      </section>
    </section>
  );
}

function AggregateTables(props: { rows: readonly AggregateRow[]; granularity: Granularity }) {
  const { rows, granularity } = props;
  if (rows.length === 0) return <p className="muted">No figures for this period yet.</p>;
  const labels = rows.map((r) => formatPeriod(r.start, granularity));
  return (
    <>
      <BarChart
        testId="volumes-chart"
        title="Residents per period"
        xLabels={labels}
        series={[
          { name: 'Joined', className: 'series-joined', values: rows.map((r) => r.joined) },
          { name: 'Answered', className: 'series-answered', values: rows.map((r) => r.answered) },
          { name: 'Left while waiting', className: 'series-abandoned', values: rows.map((r) => r.abandoned) },
          { name: 'Refused', className: 'series-refused', values: rows.map(refusedTotal) },
        ]}
      />
      <div className="table-scroll">
        <table className="data-table" data-testid="aggregates-table">
          <caption className="visually-hidden">Residents, waits and outcomes per period</caption>
          <thead>
            <tr>
              <th scope="col">Period</th>
              <th scope="col">Joined</th>
              <th scope="col">Answered</th>
              <th scope="col">Left while waiting</th>
              <th scope="col">Refused (full / closed / nobody)</th>
              <th scope="col">Half waited</th>
              <th scope="col">9 in 10 waited</th>
              {OUTCOME_KEYS.map((k) => (
                <th key={k} scope="col">
                  {OUTCOME_KEY_LABELS[k]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={r.start} data-testid="aggregate-row">
                <th scope="row">{labels[i]}</th>
                <td>{r.joined}</td>
                <td>{r.answered}</td>
                <td>{r.abandoned}</td>
                <td>
                  {refusedTotal(r)} ({r.refused.full} / {r.refused.closed} / {r.refused.nobody})
                </td>
                <td>{formatWaitBound(r.wait.p50Ms, r.wait.openEnded && r.wait.p50Ms === null)}</td>
                <td>{formatWaitBound(r.wait.p90Ms, r.wait.openEnded)}</td>
                {OUTCOME_KEYS.map((k) => (
                  <td key={k}>{r.outcomes[k]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Waits are read off coarse buckets, so “≤ 3 min” means the wait fell in the bucket ending at 3 minutes; “&gt; 40 min” is the
        open-ended last bucket.
      </p>
    </>
  );
}
