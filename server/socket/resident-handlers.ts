// Resident events: join the line, resume after a reconnect, leave (end, abandon, quick exit), disconnect.
// A resident has no account; her ticket is all the server knows, and only its categorical triage codes.
import { randomBytes } from 'node:crypto';
import { ProtocolError, type HandshakeOffer, type ResidentState } from '../../protocol/index.ts';
import { EPHEMERAL_JOB_OPTIONS, residentGoneJobId, type ResidentGoneJob } from '../../store/jobs.ts';
import type { TicketRecord } from '../../store/tickets.ts';
import type { ServerContext } from '../context.ts';
import { endVisit } from '../end-visit.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { rooms } from './rooms.ts';

const id16 = () => randomBytes(16).toString('base64url');

export function registerResidentHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { tickets, clock, logger } = ctx;
  const ticketOf = () => (socket.data.role === 'resident' ? socket.data.ticketId : null);
  const setTicket = (ticketId: string | null) => {
    if (socket.data.role === 'resident') socket.data.ticketId = ticketId;
  };

  on(socket, 'resident:join', bucket, logger, async ({ triage, kxPublicKey, nonce }) => {
    if (ticketOf()) throw new ProtocolError('WRONG_STATE', 'You are already in the line.');
    const ticketId = id16();
    const resumeToken = randomBytes(32).toString('base64url');
    const now = clock.now();
    const { position, urgency } = await tickets.join({ ticketId, resumeToken, triage, kx: kxPublicKey, nonce, now, maxLine: ctx.config.MAX_LINE_LENGTH });
    await tickets.presence(ticketId, true, socket.id, now);
    setTicket(ticketId);
    await socket.join(rooms.ticket(ticketId));
    ctx.line.changed();
    return { ticketId, resumeToken, urgency, position: { ticketId, position, eta: null } };
  });

  on(socket, 'resident:resume', bucket, logger, async ({ resumeToken }) => {
    const ticketId = await tickets.ticketForResumeToken(resumeToken);
    const before = ticketId ? await tickets.get(ticketId) : null;
    if (!ticketId || !before) throw new ProtocolError('NOT_FOUND', 'Your chat has ended.');
    const current = ticketOf();
    if (current && current !== ticketId) throw new ProtocolError('WRONG_STATE', 'This connection already holds another visit.');
    if (before.goneAt !== null) await ctx.goneQueue.remove(residentGoneJobId({ ticketId, goneAt: before.goneAt })).catch(() => 0);
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
      await ctx.goneQueue.add('gone', job, { ...EPHEMERAL_JOB_OPTIONS, jobId: residentGoneJobId(job), delay: ctx.config.RESIDENT_GRACE_SECONDS * 1000 });
      const t = await tickets.get(ticketId);
      if (t?.chatId) ctx.io.to(rooms.chat(t.chatId)).emit('chat:peer', { chatId: t.chatId, state: 'away' });
    });
  });
}

async function residentState(ctx: ServerContext, t: TicketRecord): Promise<ResidentState> {
  if (t.state === 'waiting' || !t.chatId) {
    const waiting = await ctx.tickets.waiting(ctx.config.MAX_LINE_LENGTH);
    const idx = waiting.findIndex((w) => w.ticketId === t.ticketId);
    return { state: 'waiting', ticketId: t.ticketId, position: { ticketId: t.ticketId, position: idx + 1 || waiting.length + 1, eta: null } };
  }
  const chat = await ctx.chats.get(t.chatId);
  const counsellor = chat ? await ctx.accounts.counsellor(chat.counsellorId) : null;
  if (!chat || !counsellor) throw new ProtocolError('NOT_FOUND', 'Your chat has ended.');
  const pub = { alias: counsellor.alias, association: counsellor.association };
  if (chat.state !== 'active' || !counsellor.certificate || !chat.counsellorKx || !chat.signature) {
    return { state: 'assigned', ticketId: t.ticketId, chatId: chat.chatId, counsellor: pub };
  }
  const handshake: HandshakeOffer = { chatId: chat.chatId, counsellor: pub, kxPublicKey: chat.counsellorKx, signature: chat.signature, certificate: counsellor.certificate };
  return { state: 'active', ticketId: t.ticketId, chatId: chat.chatId, handshake, peerRead: chat.readByCounsellor };
}
