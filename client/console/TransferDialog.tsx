// Transfer, in a chat: the "Transfer…" button, the state of a transfer she started, the note a colleague handed
// over with the chat, and the dialog where she picks a colleague on shift or the other association's line.
import { useEffect, useId, useRef, useState } from 'react';
import type { Association } from '../../protocol/triage.ts';
import { ASSOCIATION_NAMES, ASSOCIATIONS, LANGUAGE_ENDONYMS } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import type { ChatTab, ConsoleController } from './console-controller.ts';
import type { ColleagueList, Handoff, OutgoingTransfer } from './transfer.ts';

/** The note is sealed and padded to at most 1,023 bytes; this keeps typical text well inside that. */
const NOTE_MAX_CHARS = 900;

type Target = { counsellorId: string } | { association: Association } | null;

function targetKey(t: Target): string {
  if (!t) return '';
  return 'counsellorId' in t ? `c:${t.counsellorId}` : `a:${t.association}`;
}

/** Presentational: the dialog itself. `onSubmit` resolves to an error message, or null when the transfer went through. */
export function TransferDialog(props: {
  own: Association;
  colleagues: ColleagueList;
  onSubmit: (to: NonNullable<Target>, note: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const { own, colleagues, onSubmit, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<Target>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  const noteId = useId();
  const noteHintId = useId();
  const other = ASSOCIATIONS.find((a) => a !== own) ?? own;
  const toLine = target !== null && 'association' in target;

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);

  const submit = async () => {
    if (!target || busy) return;
    setBusy(true);
    setError(null);
    const problem = await onSubmit(target, toLine ? '' : note);
    setBusy(false);
    if (problem) setError(problem);
    else onClose();
  };

  return (
    <dialog
      ref={ref}
      className="transfer-dialog"
      aria-labelledby={headingId}
      data-testid="transfer-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={headingId}>Transfer this chat</h2>
        <p className="muted">
          The resident is told that a colleague will continue; a new encrypted connection is set up with the person who takes her on.
          Earlier messages are not passed on.
        </p>
        <fieldset>
          <legend>To whom</legend>
          {colleagues.loading && <p className="muted">Loading colleagues on shift…</p>}
          {colleagues.error && (
            <p className="notice notice--warn" role="alert">
              {colleagues.error}
            </p>
          )}
          {!colleagues.loading && !colleagues.error && colleagues.list.length === 0 && (
            <p className="muted">No colleague on shift can take a chat right now.</p>
          )}
          {colleagues.refused > 0 && (
            <p className="notice notice--warn" role="status">
              {colleagues.refused === 1 ? 'One colleague is' : `${colleagues.refused} colleagues are`} not listed: their certificate does
              not verify.
            </p>
          )}
          <ul className="transfer-choices">
            {colleagues.list.map((c) => {
              const full = c.freeSlots <= 0;
              const value: Target = { counsellorId: c.counsellorId };
              return (
                <li key={c.counsellorId}>
                  <label className={full ? 'is-disabled' : undefined}>
                    <input
                      type="radio"
                      name="transfer-target"
                      data-testid="transfer-colleague"
                      data-counsellor-id={c.counsellorId}
                      value={targetKey(value)}
                      disabled={full}
                      checked={targetKey(target) === targetKey(value)}
                      onChange={() => setTarget(value)}
                    />{' '}
                    <strong>{c.alias}</strong> · {ASSOCIATION_NAMES[c.association]} ·{' '}
                    {/* bdi: an Arabic name last in the list must not pull the slot count into right-to-left order */}
                    <bdi>{c.languages.map((l) => LANGUAGE_ENDONYMS[l] ?? l).join(', ')}</bdi> ·{' '}
                    {full ? 'no free slot' : c.freeSlots === 1 ? '1 free slot' : `${c.freeSlots} free slots`}
                    {c.availability === 'away' && ' · away'}
                  </label>
                </li>
              );
            })}
            <li>
              <label>
                <input
                  type="radio"
                  name="transfer-target"
                  data-testid="transfer-line"
                  value={`a:${other}`}
                  checked={targetKey(target) === `a:${other}`}
                  onChange={() => setTarget({ association: other })}
                />{' '}
                The <strong>{ASSOCIATION_NAMES[other]}</strong> line (she goes to the front of her urgency class there)
              </label>
            </li>
          </ul>
        </fieldset>
        <label htmlFor={noteId}>Handoff note (optional)</label>
        <textarea
          id={noteId}
          data-testid="transfer-note"
          aria-describedby={noteHintId}
          rows={3}
          maxLength={NOTE_MAX_CHARS}
          autoComplete="off"
          value={toLine ? '' : note}
          disabled={toLine}
          onChange={(e) => setNote(e.target.value)}
        />
        <p id={noteHintId} className="muted">
          {toLine
            ? 'A note cannot go to a line: nobody holds a key for it yet. Tell her colleague in person if needed.'
            : 'Encrypted to the colleague you choose: only she can read it, not the server.'}
        </p>
        {error && (
          <p className="notice notice--warn" role="alert" data-testid="transfer-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="submit" className="button button--primary" data-testid="transfer-submit" disabled={!target || busy}>
            {busy ? 'Transferring…' : 'Transfer'}
          </button>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function outgoingText(t: OutgoingTransfer): string {
  switch (t.state) {
    case 'pending':
      return `Waiting for ${t.alias} to accept this chat. It stays yours until she does.`;
    case 'declined':
      return `${t.alias} declined the transfer. The chat stays with you.`;
    case 'expired':
      return `${t.alias} did not answer in time. The chat stays with you.`;
    case 'withdrawn':
      return 'You withdrew the transfer. The chat stays with you.';
    default: {
      const unreachable: never = t;
      return String(unreachable);
    }
  }
}

/** The note handed over with a chat she took on from a colleague. */
export function HandoffNote(props: { handoff: Handoff }) {
  const { handoff } = props;
  return (
    <section className="handoff-note" aria-label="Handoff note" data-testid="handoff-note">
      <p>
        Handed over by <strong>{handoff.fromAlias}</strong>
        {handoff.note === null ? ' (no note).' : ':'}
      </p>
      {handoff.note !== null && <blockquote>{handoff.note}</blockquote>}
    </section>
  );
}

/** Container: the button and the dialog of one chat tab, and the state of its transfer. */
export function TransferControls(props: { tab: ChatTab; controller: ConsoleController }) {
  const { tab, controller } = props;
  const s = useStore(controller.store);
  const [open, setOpen] = useState(false);
  const transfer = tab.transfer ?? null;
  const own = s.me?.association;
  if (!own) return null;
  return (
    <>
      {transfer && (
        <p className="transfer-status" role="status" data-testid="transfer-status" data-state={transfer.state}>
          {outgoingText(transfer)}{' '}
          {transfer.state === 'pending' ? (
            <button
              type="button"
              className="button button--small"
              data-testid="transfer-withdraw"
              onClick={() => void controller.cancelTransfer(tab.chatId)}
            >
              Withdraw
            </button>
          ) : (
            <button type="button" className="button button--small" onClick={() => controller.dismissTransfer(tab.chatId)}>
              Dismiss
            </button>
          )}
        </p>
      )}
      {tab.status === 'active' && transfer?.state !== 'pending' && (
        <button
          type="button"
          className="button"
          data-testid="transfer-chat"
          onClick={() => {
            setOpen(true);
            void controller.loadColleagues();
          }}
        >
          Transfer…
        </button>
      )}
      {open && (
        <TransferDialog
          own={own}
          colleagues={s.colleagues}
          onSubmit={(to, note) => controller.transferChat(tab.chatId, to, note)}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
