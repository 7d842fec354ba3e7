// Her association's team: the signing key (certify and revoke are signed in this page), invitations, and each
// member with her certificate, status, capacity and languages, and the actions on her account. Accounts only:
// nothing here shows what anyone said or who she talked to.
import { useCallback, useEffect, useId, useState } from 'react';
import type { RevocationListData, SecondFactorReset, TeamMember } from '../../protocol/supervisor.ts';
import type { Language } from '../../protocol/triage.ts';
import { LANGUAGES } from '../shared/contract.ts';
import { useStore } from '../shared/use-store.ts';
import { formatDate } from './format.ts';
import { InviteForm } from './InviteForm.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';
import { SecondFactorCard } from './SecondFactorCard.tsx';
import type { SigningKeyVault } from './signing-key-vault.ts';
import { SigningKeyPanel } from './SigningKeyPanel.tsx';
import type { Ask } from './supervisor-transport.ts';

/** A certificate this close to its end is offered for renewal. */
const RENEW_WITHIN_MS = 14 * 86_400_000;

type Confirm = { id: string; action: 'disable' | 'revoke' | 'reset-2fa' } | null;
type Message = { kind: 'ok' | 'error'; text: string } | null;

function certificateText(m: TeamMember, now: number): { text: string; kind: 'ok' | 'pending' | 'revoked' | 'expired' } {
  if (m.revoked) return { text: 'Revoked', kind: 'revoked' };
  if (!m.certificate) return { text: 'Pending', kind: 'pending' };
  if (m.certificate.expiresAt <= now) return { text: `Expired ${formatDate(m.certificate.expiresAt)}`, kind: 'expired' };
  return { text: `Until ${formatDate(m.certificate.expiresAt)}`, kind: 'ok' };
}

export function TeamView(props: { ask: Ask; vault: SigningKeyVault; myId: string }) {
  const { ask, vault, myId } = props;
  const key = useStore(vault.store);
  const [members, setMembers] = useState<TeamMember[] | null>(null);
  const [revocations, setRevocations] = useState<RevocationListData | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [reset, setReset] = useState<(SecondFactorReset & { username: string }) | null>(null);

  const load = useCallback(async () => {
    const res = await ask('supervisor:team', {});
    if (!res.ok) return setLoadError(res.error.message);
    setLoadError(null);
    setMembers(res.data.members);
    setRevocations(res.data.revocations);
  }, [ask]);

  useEffect(() => {
    void load();
  }, [load]);

  // The key is held only while she is on this view.
  useEffect(() => () => vault.lock(), [vault]);

  const act = async (m: TeamMember, what: string, run: () => Promise<{ ok: true } | { ok: false; message: string }>, done: string) => {
    setBusy(m.id);
    setConfirm(null);
    setMessage(null);
    const res = await run();
    setBusy(null);
    setMessage(res.ok ? { kind: 'ok', text: done } : { kind: 'error', text: `${what}: ${res.message}` });
    if (res.ok) await load();
  };

  const plain = async <T,>(p: Promise<{ ok: true; data: T } | { ok: false; error: { message: string } }>) => {
    const res = await p;
    return res.ok ? ({ ok: true } as const) : ({ ok: false, message: res.error.message } as const);
  };

  const certify = (m: TeamMember) => act(m, `Certifying ${m.alias}`, () => vault.certify(m), `${m.alias} is certified for 90 days.`);
  const revoke = (m: TeamMember) =>
    act(m, `Revoking ${m.alias}`, () => vault.revoke(m, revocations), `${m.alias} is revoked: residents will refuse her key.`);
  const setStatus = (m: TeamMember, status: 'active' | 'disabled') =>
    act(
      m,
      status === 'disabled' ? `Disabling ${m.alias}` : `Re-enabling ${m.alias}`,
      () => plain(ask('supervisor:member-status', { counsellorId: m.id, status })),
      status === 'disabled' ? `${m.alias} is disabled and signed out.` : `${m.alias} can sign in again.`,
    );
  const resetSecondFactor = async (m: TeamMember) => {
    setBusy(m.id);
    setConfirm(null);
    setMessage(null);
    const res = await ask('supervisor:reset-2fa', { counsellorId: m.id });
    setBusy(null);
    if (!res.ok) return setMessage({ kind: 'error', text: `Resetting the second factor of ${m.alias}: ${res.error.message}` });
    setReset({ ...res.data, username: m.username });
  };
  const saveProfile = (m: TeamMember, capacity: number, languages: Language[]) =>
    act(
      m,
      `Saving ${m.alias}`,
      async () => {
        const res = await plain(ask('supervisor:member-profile', { counsellorId: m.id, capacity, languages }));
        if (res.ok) setEditing(null);
        return res;
      },
      `${m.alias}: ${capacity} chats at once, ${languages.join(', ')}.`,
    );

  const now = Date.now();
  const unlocked = key.status === 'unlocked';

  return (
    <section className="team" aria-labelledby="team-heading">
      <h2 id="team-heading">Team</h2>
      {reset && <SecondFactorCard reset={reset} onDone={() => setReset(null)} />}
      <div className="team-top">
        <SigningKeyPanel vault={vault} />
        <InviteForm ask={ask} onInvited={() => void load()} />
      </div>
      <p className="team-message" role="status" data-testid="team-message" data-kind={message?.kind}>
        {message?.kind === 'ok' ? message.text : ''}
      </p>
      {message?.kind === 'error' && (
        <p className="error" role="alert" data-testid="team-error">
          {message.text}
        </p>
      )}
      {loadError && (
        <p className="error" role="alert">
          {loadError}{' '}
          <button type="button" className="button button--small" onClick={() => void load()}>
            Try again
          </button>
        </p>
      )}
      {members === null ? (
        !loadError && <p className="muted">Loading…</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table team-table" data-testid="team-table">
            <caption className="visually-hidden">Members of your association</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Role</th>
                <th scope="col">Account</th>
                <th scope="col">Certificate</th>
                <th scope="col">Chats at once</th>
                <th scope="col">Languages</th>
                <th scope="col">On shift</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => {
                const cert = certificateText(m, now);
                const renew = !m.revoked && m.status === 'active' && (!m.certificate || m.certificate.expiresAt - now < RENEW_WITHIN_MS);
                const isBusy = busy === m.id;
                return (
                  <tr key={m.id} data-testid="member" data-username={m.username} data-certificate={cert.kind} data-status={m.status}>
                    <th scope="row">{m.alias}</th>
                    <td>{m.username}</td>
                    <td>{m.role === 'supervisor' ? 'Supervisor' : 'Counsellor'}</td>
                    <td className={m.status === 'disabled' ? 'status-off' : undefined}>{m.status === 'active' ? 'Active' : 'Disabled'}</td>
                    <td className={`cert cert--${cert.kind}`}>{cert.text}</td>
                    {editing === m.id ? (
                      <td colSpan={2}>
                        <ProfileEditor
                          member={m}
                          busy={isBusy}
                          onSave={(c, l) => void saveProfile(m, c, l)}
                          onCancel={() => setEditing(null)}
                        />
                      </td>
                    ) : (
                      <>
                        <td>{m.capacity}</td>
                        <td>{m.languages.join(', ')}</td>
                      </>
                    )}
                    <td>{m.onShift ? 'Yes' : 'No'}</td>
                    <td className="actions">
                      {confirm?.id === m.id ? (
                        <span className="confirm">
                          {confirm.action === 'disable' && `Disable ${m.alias}? She is signed out at once.`}
                          {confirm.action === 'revoke' && `Revoke ${m.alias}? Residents will refuse her key; this cannot be undone.`}
                          {confirm.action === 'reset-2fa' && `Replace ${m.alias}'s second factor? Her sessions end.`}{' '}
                          <button
                            type="button"
                            className="button button--small button--danger"
                            data-testid="confirm-action"
                            onClick={() => {
                              if (confirm.action === 'disable') void setStatus(m, 'disabled');
                              else if (confirm.action === 'revoke') void revoke(m);
                              else void resetSecondFactor(m);
                            }}
                          >
                            Confirm
                          </button>
                          <button type="button" className="button button--small" onClick={() => setConfirm(null)}>
                            Cancel
                          </button>
                        </span>
                      ) : (
                        <span className="action-buttons">
                          {renew && (
                            <button
                              type="button"
                              className="button button--small button--primary"
                              data-testid="certify"
                              disabled={!unlocked || isBusy}
                              title={unlocked ? undefined : 'Unlock the signing key first'}
                              onClick={() => void certify(m)}
                            >
                              {m.certificate ? 'Renew certificate' : 'Certify'}
                            </button>
                          )}
                          {!m.revoked && m.certificate && m.id !== myId && (
                            <button
                              type="button"
                              className="button button--small"
                              data-testid="revoke"
                              disabled={!unlocked || isBusy}
                              title={unlocked ? undefined : 'Unlock the signing key first'}
                              onClick={() => setConfirm({ id: m.id, action: 'revoke' })}
                            >
                              Revoke
                            </button>
                          )}
                          {m.id !== myId &&
                            (m.status === 'active' ? (
                              <button
                                type="button"
                                className="button button--small"
                                data-testid="disable"
                                disabled={isBusy}
                                onClick={() => setConfirm({ id: m.id, action: 'disable' })}
                              >
                                Disable
                              </button>
                            ) : (
                              <button
                                type="button"
                                className="button button--small"
                                data-testid="enable"
                                disabled={isBusy}
                                onClick={() => void setStatus(m, 'active')}
                              >
                                Re-enable
                              </button>
                            ))}
                          <button
                            type="button"
                            className="button button--small"
                            data-testid="edit"
                            disabled={isBusy}
                            onClick={() => setEditing(m.id)}
                          >
                            Capacity, languages
                          </button>
                          {m.id !== myId && (
                            <button
                              type="button"
                              className="button button--small"
                              data-testid="reset-2fa"
                              disabled={isBusy}
                              onClick={() => setConfirm({ id: m.id, action: 'reset-2fa' })}
                            >
                              Reset second factor
                            </button>
                          )}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!unlocked && members?.some((m) => !m.revoked && !m.certificate) && (
        <p className="muted">Unlock the signing key above to certify the pending members.</p>
      )}
    </section>
  );
}

function ProfileEditor(props: {
  member: TeamMember;
  busy: boolean;
  onSave: (capacity: number, languages: Language[]) => void;
  onCancel: () => void;
}) {
  const { member, busy, onSave, onCancel } = props;
  const [capacity, setCapacity] = useState(member.capacity);
  const [languages, setLanguages] = useState<Language[]>(member.languages);
  const capId = useId();
  return (
    <form
      className="profile-editor"
      data-testid="profile-editor"
      onSubmit={(e) => {
        e.preventDefault();
        if (languages.length > 0) onSave(capacity, languages);
      }}
    >
      <label htmlFor={capId}>Chats at once</label>
      <input
        id={capId}
        type="number"
        min={1}
        max={10}
        value={capacity}
        data-testid="edit-capacity"
        onChange={(e) => setCapacity(Number(e.target.value))}
      />
      <LanguagePicker legend="Languages" value={languages} options={LANGUAGES} onChange={setLanguages} testIdPrefix="edit-lang" />
      <button
        type="submit"
        className="button button--small button--primary"
        data-testid="save-profile"
        disabled={busy || languages.length === 0}
      >
        Save
      </button>
      <button type="button" className="button button--small" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
