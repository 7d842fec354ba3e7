// The audit log of her association, newest first, paged back with "Older entries": who did what to which
// account or setting, and when. The server never writes anything about a resident into it.
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../../protocol/supervisor.ts';
import { actionLabel, formatStamp } from './format.ts';
import type { Ask } from './supervisor-transport.ts';

const PAGE = 50;

export function AuditView(props: { ask: Ask }) {
  const { ask } = props;
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [more, setMore] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (before: string | undefined, replace: boolean) => {
      setBusy(true);
      setError(null);
      const res = await ask('supervisor:audit', before === undefined ? { count: PAGE } : { count: PAGE, before });
      setBusy(false);
      if (!res.ok) return setError(res.error.message);
      setEntries((old) => (replace ? res.data.entries : [...old, ...res.data.entries]));
      setMore(res.data.entries.length === PAGE);
    },
    [ask],
  );

  useEffect(() => {
    void fetchPage(undefined, true);
  }, [fetchPage]);

  return (
    <section className="audit" aria-labelledby="audit-heading">
      <div className="panel-head">
        <h2 id="audit-heading">Audit log</h2>
        <button
          type="button"
          className="button button--small"
          data-testid="audit-refresh"
          disabled={busy}
          onClick={() => void fetchPage(undefined, true)}
        >
          Newest
        </button>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {entries.length === 0 && !busy && !error ? (
        <p className="muted">No entries.</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table" data-testid="audit-table" aria-busy={busy}>
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When (Milan)</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">On</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-entry" data-action={e.action}>
                  <td className="tabular">{formatStamp(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    {actionLabel(e.action)} {actionLabel(e.action) !== e.action && <span className="muted">({e.action})</span>}
                  </td>
                  <td>{e.target ?? ''}</td>
                  <td>{e.outcome ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {more && entries.length > 0 && (
        <button
          type="button"
          className="button"
          data-testid="audit-older"
          disabled={busy}
          onClick={() => void fetchPage(entries.at(-1)?.id, false)}
        >
          {busy ? 'Loading…' : 'Older entries'}
        </button>
      )}
    </section>
  );
}
