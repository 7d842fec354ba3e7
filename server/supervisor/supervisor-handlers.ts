// The supervisor's events: her association's live board, charts of the anonymous aggregates, team management
// (invite, disable, profile, second-factor reset, certification and revocation signed in her browser), policy
// and canned replies, and the audit log. Every event is role-checked, rate-limited and parsed at the edge,
// scoped to her own association, and every change is audited. Nothing here reads a chat or a resident.
import type { z } from 'zod';
import { certificateFromWire, fromB64, sodiumReady, verifyCertificate, verifyRevocationList } from '../../crypto/index.ts';
import {
  ProtocolError,
  supervisorEventSchemas,
  type AckResult,
  type Association,
  type AuditEntry,
  type SupervisorEventName,
  type SupervisorToServerEvents,
  type TeamMember,
} from '../../protocol/index.ts';
import { createInvitation, EnrolmentError, invitationLink } from '../accounts/enrolment.ts';
import type { CounsellorRecord } from '../accounts/account-store.ts';
import type { ServerContext } from '../context.ts';
import { PolicyError } from '../policy.ts';
import type { BoardPublisher } from '../board/board-publisher.ts';
import { listen, type HelpdeskSocket } from '../socket/edge.ts';
import type { TokenBucket } from '../socket/rate-limiter.ts';
import { rooms } from '../socket/rooms.ts';
import { aggregateRows } from './aggregate-rows.ts';
import type { LevelSampler } from './level-sampler.ts';

type Payload<E extends SupervisorEventName> = z.infer<(typeof supervisorEventSchemas)[E]>;
type AckData<E extends SupervisorEventName> = Parameters<SupervisorToServerEvents[E]>[1] extends (r: AckResult<infer T>) => void
  ? T
  : never;
type Me = Extract<HelpdeskSocket['data'], { role: 'supervisor' }>;

/** Certificates a supervisor signs may last at most this long (plus a day of clock slack). */
const MAX_CERTIFICATE_MS = 91 * 86_400_000;

export interface SupervisorDeps {
  board: BoardPublisher;
  levels: LevelSampler;
  /** Origin for enrolment links: PUBLIC_ORIGIN, else the origin her browser used. */
  origin(socket: HelpdeskSocket): string;
  /** Ends every session of an account and closes its sockets on every node. */
  endSessions(accountId: string): Promise<void>;
  /** A fresh TOTP secret and recovery codes for an account (the enrolment module's own generator). */
  resetSecondFactor(account: CounsellorRecord, now: number): Promise<{ totp: { secret: string; uri: string }; recoveryCodes: string[] }>;
}

export function registerSupervisorHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket, deps: SupervisorDeps): void {
  const { accounts, clock, logger } = ctx;
  if (socket.data.role === 'supervisor') {
    const { supervisorId, sessionHash } = socket.data;
    // Signing out (or being disabled) closes her sockets on every node through these rooms.
    void socket.join([rooms.session(sessionHash), rooms.counsellor(supervisorId)]);
    // Watching the board counts as activity: the idle timeout slides at most once a minute.
    let lastTouch = clock.now();
    socket.onAny(() => {
      const now = clock.now();
      if (now - lastTouch < 60_000) return;
      lastTouch = now;
      ctx.background(async () => {
        if (!(await accounts.touchSession(sessionHash, ctx.config.SESSION_IDLE_SECONDS))) socket.disconnect(true);
      });
    });
  }

  function on<E extends SupervisorEventName>(event: E, handler: (payload: Payload<E>, me: Me) => Promise<AckData<E>>): void {
    listen(
      socket,
      event,
      supervisorEventSchemas[event],
      bucket,
      logger,
      (role) => (role === 'supervisor' ? null : 'Only supervisors may do this.'),
      (payload) => handler(payload as Payload<E>, socket.data as Me),
    );
  }

  const audit = (me: Me, action: string, target?: string, outcome?: string) =>
    accounts.audit({ actor: me.username, action, target, outcome, association: me.association }, clock.now());

  /** A member of her own association, or FORBIDDEN (audited): she manages nobody else. */
  async function member(me: Me, id: string, action: string): Promise<CounsellorRecord> {
    const rec = await accounts.counsellor(id);
    if (!rec) throw new ProtocolError('NOT_FOUND', 'No such account.');
    if (rec.association !== me.association) {
      await audit(me, 'forbidden', rec.username, action);
      throw new ProtocolError('FORBIDDEN', 'This person belongs to another association.');
    }
    return rec;
  }

  /** Her chats go straight back to the line (front of their class) with fresh keys. */
  async function releaseChats(counsellorId: string): Promise<void> {
    for (const chatId of await ctx.chats.chatsOf(counsellorId)) {
      const r = await ctx.chats.requeue(chatId, 'counsellor-gone');
      if (r) ctx.io.to(rooms.ticket(r.ticketId)).emit('chat:requeued', { chatId, reason: 'counsellor-gone' });
    }
    ctx.line.changed();
  }

  on('supervisor:watch', async (_p, me) => {
    await socket.join(rooms.supervisors(me.association));
    const snapshot = await deps.board.current(me.association);
    const hasSigningKey = (await ctx.supervision.signingKey(me.supervisorId)) !== null;
    return { session: { association: me.association, alias: me.alias, hasSigningKey }, snapshot };
  });

  on('supervisor:aggregates', async (req, me) => {
    const rows = await aggregateRows(ctx.durable, ctx.config.STORE_PREFIX, me.association, req, clock.now());
    return { granularity: req.granularity, rows };
  });

  on('supervisor:levels', async ({ hours }, me) => ({ samples: await deps.levels.samples(me.association, hours, clock.now()) }));

  on('supervisor:team', async (_p, me) => {
    const now = clock.now();
    const [records, onShift, revocations] = await Promise.all([
      accounts.listCounsellors(),
      ctx.shift.onShift(now),
      ctx.supervision.revocations(me.association),
    ]);
    const shiftIds = new Set(onShift.map((c) => c.counsellorId));
    const revoked = new Set(revocations?.revoked ?? []);
    const members: TeamMember[] = records
      .filter((r) => r.association === me.association)
      .sort((a, b) => a.alias.localeCompare(b.alias))
      .map((r) => ({
        id: r.id,
        username: r.username,
        alias: r.alias,
        role: r.role ?? 'counsellor',
        status: r.status,
        capacity: r.capacity,
        languages: r.languages,
        identityPublicKey: r.identityPublicKey,
        certificate: r.certificate ? { issuedAt: r.certificate.issuedAt, expiresAt: r.certificate.expiresAt } : null,
        revoked: revoked.has(r.id),
        onShift: shiftIds.has(r.id),
      }));
    return { members, revocations };
  });

  on('supervisor:invite', async (req, me) => {
    const policy = await ctx.policy.get(me.association);
    if (req.capacity > policy.maxCapacity)
      throw new ProtocolError('BAD_REQUEST', `capacity: at most ${policy.maxCapacity} (your association's policy).`);
    try {
      const inv = await createInvitation(accounts, { ...req, association: me.association, createdBy: me.username, now: clock.now() });
      return { link: invitationLink(deps.origin(socket), inv.token), expiresAt: inv.expiresAt };
    } catch (err) {
      if (err instanceof EnrolmentError) throw new ProtocolError(err.code, err.message);
      throw err;
    }
  });

  on('supervisor:member-status', async ({ counsellorId, status }, me) => {
    if (counsellorId === me.supervisorId) throw new ProtocolError('BAD_REQUEST', 'You cannot disable your own account.');
    const rec = await member(me, counsellorId, `status:${status}`);
    if (rec.status === status) return {};
    await accounts.updateCounsellor(counsellorId, { status });
    if (status === 'disabled') {
      await deps.endSessions(counsellorId);
      await releaseChats(counsellorId);
    }
    await audit(me, status === 'disabled' ? 'account-disabled' : 'account-enabled', rec.username);
    return {};
  });

  on('supervisor:member-profile', async ({ counsellorId, capacity, languages }, me) => {
    const rec = await member(me, counsellorId, 'profile');
    const policy = await ctx.policy.get(me.association);
    if (capacity !== undefined && capacity > policy.maxCapacity)
      throw new ProtocolError('BAD_REQUEST', `capacity: at most ${policy.maxCapacity} (your association's policy).`);
    const patch = { ...(capacity !== undefined ? { capacity } : {}), ...(languages ? { languages: [...new Set(languages)] } : {}) };
    await accounts.updateCounsellor(counsellorId, patch);
    await ctx.shift.setProfile(counsellorId, patch);
    ctx.line.changed();
    await audit(me, 'profile-changed', rec.username, Object.keys(patch).sort().join(','));
    return {};
  });

  on('supervisor:reset-2fa', async ({ counsellorId }, me) => {
    const rec = await member(me, counsellorId, 'reset-2fa');
    const result = await deps.resetSecondFactor(rec, clock.now());
    await deps.endSessions(counsellorId);
    await audit(me, 'second-factor-reset', rec.username);
    return result;
  });

  on('supervisor:certify', async ({ counsellorId, certificate }, me) => {
    const rec = await member(me, counsellorId, 'certify');
    const now = clock.now();
    const revocations = await ctx.supervision.revocations(me.association);
    if (revocations?.revoked.includes(counsellorId))
      throw new ProtocolError('WRONG_STATE', 'This counsellor is revoked; invite her again with a new account.');
    if (rec.status !== 'active') throw new ProtocolError('WRONG_STATE', 'Enable the account before certifying it.');
    const matches =
      certificate.association === me.association &&
      certificate.counsellorId === rec.id &&
      certificate.alias === rec.alias &&
      certificate.identityPublicKey === rec.identityPublicKey;
    if (!matches) throw new ProtocolError('BAD_REQUEST', 'The certificate does not match this account (association, id, alias or key).');
    if (certificate.expiresAt - now > MAX_CERTIFICATE_MS) throw new ProtocolError('BAD_REQUEST', 'Certificates may last at most 90 days.');
    await verifyWithAssociationKey(ctx, me.association, (pinned) =>
      verifyCertificate(certificateFromWire(certificate), pinned, me.association, now),
    );
    await accounts.updateCounsellor(counsellorId, { certificate });
    await audit(me, 'counsellor-certified', rec.username, new Date(certificate.expiresAt).toISOString().slice(0, 10));
    return {};
  });

  on('supervisor:revoke', async ({ counsellorId, list }, me) => {
    const rec = await member(me, counsellorId, 'revoke');
    if (list.association !== me.association) throw new ProtocolError('BAD_REQUEST', 'The list is for another association.');
    if (!list.revoked.includes(counsellorId)) throw new ProtocolError('BAD_REQUEST', 'The signed list does not name this counsellor.');
    const previous = await ctx.supervision.revocations(me.association);
    const dropped = (previous?.revoked ?? []).filter((id) => !list.revoked.includes(id));
    if (dropped.length > 0) throw new ProtocolError('BAD_REQUEST', 'The new list must keep everyone revoked before.');
    await verifyWithAssociationKey(ctx, me.association, (pinned) => verifyRevocationList(list, pinned));
    if (!(await ctx.supervision.putRevocations(list)))
      throw new ProtocolError('CONFLICT', 'A newer revocation list is already stored; reload the team and try again.');
    await accounts.updateCounsellor(counsellorId, { status: 'disabled', certificate: null });
    await deps.endSessions(counsellorId);
    await releaseChats(counsellorId);
    await audit(me, 'counsellor-revoked', rec.username);
    return {};
  });

  on('supervisor:signing-key', async (_p, me) => {
    const rec = await accounts.counsellor(me.supervisorId);
    if (!rec) throw new ProtocolError('UNAUTHENTICATED');
    return { wrapped: await ctx.supervision.signingKey(me.supervisorId), kdf: rec.kdf };
  });

  on('supervisor:signing-key-set', async ({ wrapped }, me) => {
    await ctx.supervision.setSigningKey(me.supervisorId, wrapped);
    await audit(me, 'signing-key-stored');
    return {};
  });

  on('supervisor:policy', async (_p, me) => ({
    policy: await ctx.policy.get(me.association),
    cannedReplies: await ctx.policy.store.cannedReplies(me.association),
  }));

  on('supervisor:policy-set', async ({ patch }, me) => {
    try {
      const policy = await ctx.policy.change(me.username, me.association, patch, clock.now());
      ctx.line.changed();
      return { policy, cannedReplies: await ctx.policy.store.cannedReplies(me.association) };
    } catch (err) {
      if (err instanceof PolicyError) throw new ProtocolError('BAD_REQUEST', err.message);
      throw err;
    }
  });

  on('supervisor:canned-set', async ({ replies }, me) => {
    const cannedReplies = await ctx.policy.store.setCannedReplies(me.association, replies, clock.now());
    await audit(me, 'canned-replies-changed', undefined, Object.keys(replies).sort().join(','));
    return { policy: await ctx.policy.get(me.association), cannedReplies };
  });

  on('supervisor:audit', async ({ before, count }, me) => {
    const rows = await accounts.auditEntries(count, { association: me.association, before });
    const entries: AuditEntry[] = rows.map((r) => ({
      id: r.id ?? '',
      at: Number(r.at),
      actor: r.actor ?? '',
      action: r.action ?? '',
      ...(r.target ? { target: r.target } : {}),
      ...(r.outcome ? { outcome: r.outcome } : {}),
    }));
    return { entries };
  });
}

/** Runs `check` with the association's public key from the durable store as the only pinned key. */
async function verifyWithAssociationKey(
  ctx: ServerContext,
  association: Association,
  check: (pinned: Record<string, Uint8Array>) => void,
): Promise<void> {
  await sodiumReady();
  const key = await ctx.accounts.associationKey(association);
  if (!key) throw new ProtocolError('WRONG_STATE', 'The association has no public key on this server.');
  try {
    check({ [association]: fromB64(key, 32) });
  } catch {
    throw new ProtocolError(
      'BAD_REQUEST',
      'The signature does not verify with the association key. Unlock the right key file and try again.',
    );
  }
}

/** A counsellor or resident sending a supervisor event, or a supervisor sending a chat event: refused and audited. */
export function auditForbidden(ctx: ServerContext, socket: HelpdeskSocket, event: string): void {
  const d = socket.data;
  if (d.role === 'resident') return; // anonymous: nothing to attribute, and nothing about her may be written
  const actor = d.username;
  ctx.background(() =>
    ctx.accounts.audit({ actor, action: 'forbidden', outcome: event.slice(0, 40), association: d.association }, ctx.clock.now()),
  );
}
