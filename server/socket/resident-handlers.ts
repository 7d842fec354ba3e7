// Resident events: join the line, resume after a reconnect, leave (end, abandon, quick exit), disconnect.
// A resident has no account; her ticket is all the server knows, and only its categorical triage codes.
import { randomBytes } from 'node:crypto';
import { ProtocolError, type HandshakeOffer, type JoinResult, type ResidentState, type Triage } from '../../protocol/index.ts';
import { deleteJobPayload, residentGoneJobId, triageJobId, type ResidentGoneJob, type TriageJob } from '../../store/jobs.ts';
import { enqueue } from '../enqueue.ts';
import type { TicketRecord } from '../../store/tickets.ts';
import type { ServerContext } from '../context.ts';
import { recordAggregate } from '../../store/aggregates.ts';
import { ScriptError } from '../../store/scripts.ts';
import { admission } from '../admission.ts';
import { endVisit } from '../end-visit.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { rooms } from './rooms.ts';
import { rekeyTicket } from './transfer-handlers.ts';

const id16 = () => randomBytes(16).toString('base64url');

export function registerResidentHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { tickets, clock, logger } = ctx;
  const ticketOf = () => (socket.data.role === 'resident' ? socket.data.ticketId : null);
  let joining = false;
  const setTicket = (ticketId: string | null) => {
    if (socket.data.role === 'resident') socket.data.ticketId = ticketId;
  };

  on(socket, 'resident:join', bucket, logger, async ({ triage, kxPublicKey, nonce }) => {
    if (ticketOf() || joining) throw new ProtocolError('WRONG_STATE', 'You are already in the line.');
    joining = true;
    try {
      return await join(triage, kxPublicKey, nonce);
    } finally {
      joining = false;
    }
  });

  const join = async (triage: Triage, kxPublicKey: string, nonce: string): Promise<JoinResult> => {
    const now = clock.now();
    const refused = (reason: 'full' | 'closed' | 'nobody') =>
      ctx.background(() => recordAggregate(ctx.redis, ctx.keys, { kind: 'refused', association: triage.association, reason, at: now }));
    const policy = await ctx.policy.both();
    const hours = { 'telefono-donna': ctx.policy.openingHours(policy['telefono-donna']), ebano: ctx.policy.openingHours(policy.ebano) };
    const refusal = admission(hours, triage.association, await ctx.shift.onShift(now), now);
    if (refusal) {
      refused(refusal === 'CLOSED_HOURS' ? 'closed' : 'nobody');
      throw new ProtocolError(refusal);
    }
    const ticketId = id16();
    const resumeToken = randomBytes(32).toString('base64url');
    try {
      await tickets.join({
        ticketId,
        resumeToken,
        triage,
        kx: kxPublicKey,
        nonce,
        now,
        maxLine: { 'telefono-donna': policy['telefono-donna'].maxLineLength, ebano: policy.ebano.maxLineLength },
      });
    } catch (err) {
      if (err instanceof ScriptError && err.code === 'QUEUE_FULL') refused('full');
      throw err;
    }
    await tickets.presence(ticketId, true, socket.id, now);
    setTicket(ticketId);
    await socket.join(rooms.ticket(ticketId));
    // The triage worker classifies her and places her in the line; her position follows as an event.
    const job: TriageJob = { ticketId };
    await enqueue(ctx, ctx.queues.triage, triageJobId(job), job, 0, ctx.config.RESIDENT_TTL_SECONDS);
    return { ticketId, resumeToken, position: null };
  };

  on(socket, 'resident:rekey', bucket, logger, async ({ kxPublicKey, nonce }) => {
    const ticketId = ticketOf();
    if (!ticketId) throw new ProtocolError('NOT_FOUND', 'You are not in the line.');
    // Back in the line, or straight to the colleague who accepted her transfer.
    await rekeyTicket(ctx, ticketId, kxPublicKey, nonce);
    ctx.line.changed();
    return {};
  });

  on(socket, 'resident:resume', bucket, logger, async ({ resumeToken }) => {
    const ticketId = await tickets.ticketForResumeToken(resumeToken);
    const before = ticketId ? await tickets.get(ticketId) : null;
    if (!ticketId || !before) throw new ProtocolError('NOT_FOUND', 'Your chat has ended.');
    const current = ticketOf();
    if (current && current !== ticketId) throw new ProtocolError('WRONG_STATE', 'This connection already holds another visit.');
    if (before.goneAt !== null) {
      const jobId = residentGoneJobId({ ticketId, goneAt: before.goneAt });
      await ctx.queues.gone.remove(jobId).catch(() => 0);
      await deleteJobPayload(ctx.redis, ctx.keys, jobId);
    }
    await tickets.presence(ticketId, true, socket.id, clock.now());
    setTicket(ticketId);
    await socket.join(rooms.ticket(ticketId));
    if (before.chatId) {
      await socket.join(rooms.chat(before.chatId));
      if (before.goneAt !== null) socket.to(rooms.chat(before.chatId)).emit('chat:peer', { chatId: before.chatId, state: 'back' });
    }
    return residentState(ctx, before);
  });

  on(socket, 'resident:leave', bucket, logger, async ({ reason }) => {
    const ticketId = ticketOf();
    if (!ticketId) throw new ProtocolError('NOT_FOUND', 'You are not in the line or in a chat.');
    setTicket(null);
    await endVisit(ctx, ticketId, reason === 'exit' ? 'resident-exit' : 'resident-ended');
    return {};
  });

  socket.on('disconnect', () => {
    const ticketId = ticketOf();
    if (!ticketId) return;
    ctx.background(async () => {
      const now = clock.now();
      if (!(await tickets.presence(ticketId, false, socket.id, now))) return;
      const job: ResidentGoneJob = { ticketId, goneAt: now };
      await enqueue(
        ctx,
        ctx.queues.gone,
        residentGoneJobId(job),
        job,
        ctx.config.RESIDENT_GRACE_SECONDS * 1000,
        ctx.config.RESIDENT_GRACE_SECONDS + 300,
      );
      const t = await tickets.get(ticketId);
      if (t?.chatId) ctx.io.to(rooms.chat(t.chatId)).emit('chat:peer', { chatId: t.chatId, state: 'away' });
    });
  });
}

async function residentState(ctx: ServerContext, t: TicketRecord): Promise<ResidentState> {
  if (t.state === 'triage' || t.state === 'waiting' || !t.chatId) {
    const position = t.state === 'waiting' ? await ctx.line.positionOf(t.ticketId) : null;
    return { state: 'waiting', ticketId: t.ticketId, position, association: t.entry.association };
  }
  const chat = await ctx.chats.get(t.chatId);
  const counsellor = chat ? await ctx.accounts.counsellor(chat.counsellorId) : null;
  if (!chat || !counsellor) throw new ProtocolError('NOT_FOUND', 'Your chat has ended.');
  const pub = { alias: counsellor.alias, association: counsellor.association };
  if (chat.state !== 'active' || !counsellor.certificate || !chat.counsellorKx || !chat.signature) {
    return { state: 'assigned', ticketId: t.ticketId, chatId: chat.chatId, counsellor: pub };
  }
  const handshake: HandshakeOffer = {
    chatId: chat.chatId,
    counsellor: pub,
    kxPublicKey: chat.counsellorKx,
    signature: chat.signature,
    certificate: counsellor.certificate,
    revocations: await ctx.supervision.revocations(counsellor.association),
  };
  return { state: 'active', ticketId: t.ticketId, chatId: chat.chatId, handshake, peerRead: chat.readByCounsellor };
}
