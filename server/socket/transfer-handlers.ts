// Transfer of a chat by the counsellor who holds it: to a named colleague on shift, who accepts or declines
// (with an optional note sealed to her), or to the other association's line. The server sees categorical
// triage, ids and an opaque note; on acceptance it takes the chat from the sender in one atomic step, and the
// resident's fresh keys go to the colleague (rekeyTicket), or to the front of her class if the colleague
// cannot take her any more.
import { randomBytes } from 'node:crypto';
import {
  ProtocolError,
  TRANSFERS_PER_MINUTE,
  type Association,
  type Colleague,
  type TransferResult,
  type TransferStarted,
} from '../../protocol/index.ts';
import { recordAggregate } from '../../store/aggregates.ts';
import { deleteJobPayload, noReplyJobId } from '../../store/jobs.ts';
import { ScriptError } from '../../store/scripts.ts';
import type { ServerContext } from '../context.ts';
import { afterClaim } from './claim-flow.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import { TokenBucket } from './rate-limiter.ts';
import { rooms } from './rooms.ts';

const id16 = () => randomBytes(16).toString('base64url');

/**
 * Redis keeps an offer this much longer than the node's timer, so the timer (which tells both sides) normally
 * wins; if the node that took the offer dies, the TTL alone removes it and both consoles drop it at their deadline.
 */
const OFFER_TTL_SLACK_SECONDS = 30;

/** Offer expiry timers of this node, by offer id; cleared when the offer is settled here. */
const timers = new Map<string, ReturnType<typeof setTimeout>>();

function clearTimer(offerId: string): void {
  const t = timers.get(offerId);
  if (t) clearTimeout(t);
  timers.delete(offerId);
}

/** Script refusals of transfer-offer.lua / transfer-settle.lua, in words a counsellor can act on. */
function refusal(err: unknown, messages: Partial<Record<string, readonly [ProtocolError['code'], string]>>): never {
  if (err instanceof ScriptError) {
    const m = messages[err.code];
    if (m) throw new ProtocolError(m[0], m[1]);
  }
  throw err;
}

/**
 * The resident's side after a transfer: she is told she is being connected to someone else (and which
 * association's certificate to accept now), the sender's side of the chat ends, and the room empties everywhere.
 */
async function handOver(ctx: ServerContext, chatId: string, createdAt: number, ticketId: string, association: Association): Promise<void> {
  const room = rooms.chat(chatId);
  ctx.io.to(rooms.ticket(ticketId)).emit('chat:requeued', { chatId, reason: 'transfer', association });
  ctx.io.to(room).except(rooms.ticket(ticketId)).emit('chat:ended', { chatId, reason: 'transferred' });
  ctx.io.in(room).socketsLeave(room);
  ctx.line.changed();
  // The old chat's no-reply timer names a chat that no longer exists: remove it and its payload now.
  const jobId = noReplyJobId({ chatId, claimedAt: createdAt });
  await ctx.queues.noReply.remove(jobId).catch(() => 0);
  await deleteJobPayload(ctx.redis, ctx.keys, jobId);
}

/** The anonymous count: the sender's association, her triage class, and only "colleague" or "line". */
function countTransfer(ctx: ServerContext, association: Association, ticketId: string, target: 'colleague' | 'line'): void {
  const at = ctx.clock.now();
  ctx.background(async () => {
    const t = await ctx.tickets.get(ticketId);
    if (t) await recordAggregate(ctx.redis, ctx.keys, { kind: 'transferred', association, urgency: t.triageClass, target, at });
  });
}

export function registerTransferHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { logger } = ctx;
  const me = () => {
    if (socket.data.role !== 'counsellor') throw new ProtocolError('FORBIDDEN');
    return socket.data;
  };

  /** Her own account, active and certified: she may hand over (and take) chats. */
  const activeAccount = async (counsellorId: string) => {
    const account = await ctx.accounts.counsellor(counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    if (!account.certificate) throw new ProtocolError('NOT_CERTIFIED');
    return { ...account, certificate: account.certificate };
  };

  on(socket, 'counsellor:colleagues', bucket, logger, async () => {
    const self = me();
    const shift = await ctx.shift.onShift(ctx.clock.now());
    const colleagues: Colleague[] = [];
    for (const c of shift) {
      if (c.counsellorId === self.counsellorId) continue;
      const account = await ctx.accounts.counsellor(c.counsellorId);
      // Only those who could accept: active and certified (the sender verifies the certificate herself).
      if (!account || account.status !== 'active' || !account.certificate) continue;
      colleagues.push({
        counsellorId: c.counsellorId,
        alias: account.alias,
        association: account.association,
        languages: account.languages,
        availability: c.availability,
        freeSlots: Math.max(0, account.capacity - c.load),
        certificate: account.certificate,
      });
    }
    // Her own association first, then by alias: the usual choice is a colleague she works with.
    colleagues.sort(
      (a, b) => Number(b.association === self.association) - Number(a.association === self.association) || a.alias.localeCompare(b.alias),
    );
    return { colleagues };
  });

  // Its own, slower bucket: each offer alerts a colleague (see TRANSFERS_PER_MINUTE).
  const transfers = new TokenBucket(TRANSFERS_PER_MINUTE / 60, TRANSFERS_PER_MINUTE, () => ctx.clock.now());
  on(socket, 'chat:transfer', transfers, logger, async ({ chatId, to, note }): Promise<TransferStarted> => {
    const self = me();
    const chat = await ctx.chats.get(chatId);
    if (!chat) throw new ProtocolError('NOT_FOUND', 'This chat has ended.');
    if (chat.counsellorId !== self.counsellorId) throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
    if (chat.state !== 'active') throw new ProtocolError('WRONG_STATE', 'Wait until the encrypted connection is set up, then transfer.');
    const account = await activeAccount(self.counsellorId);

    if ('association' in to) {
      if (note) throw new ProtocolError('BAD_REQUEST', 'A note can only go to a named colleague: nobody holds a key for the line.');
      if (to.association === account.association)
        throw new ProtocolError(
          'BAD_REQUEST',
          'The line transfer is to the other association; to hand her to someone of yours, choose a colleague.',
        );
      const pending = await ctx.chats.pendingTransfer(chatId);
      if (pending) throw new ProtocolError('WRONG_STATE', 'A transfer of this chat is waiting for an answer; withdraw it first.');
      const r = await ctx.chats.requeue(chatId, 'transfer', { holder: self.counsellorId, association: to.association });
      if (!r) throw new ProtocolError('NOT_FOUND', 'This chat has ended.');
      await handOver(ctx, chatId, chat.createdAt, r.ticketId, to.association);
      countTransfer(ctx, account.association, r.ticketId, 'line');
      return { kind: 'requeued', association: to.association };
    }

    if (to.counsellorId === self.counsellorId) throw new ProtocolError('BAD_REQUEST', 'This chat is already yours.');
    const colleague = await ctx.accounts.counsellor(to.counsellorId);
    if (!colleague || colleague.status !== 'active') throw new ProtocolError('NOT_FOUND', 'There is no such colleague who can take chats.');
    if (!colleague.certificate)
      throw new ProtocolError('NOT_CERTIFIED', `${colleague.alias}'s identity key is not certified yet, so she cannot take chats.`);
    const now = ctx.clock.now();
    if (!(await ctx.shift.isOnShift(colleague.id, now))) throw new ProtocolError('NOT_FOUND', `${colleague.alias} is not on shift.`);
    const offerId = id16();
    const seconds = ctx.config.TRANSFER_OFFER_SECONDS;
    const noteText = note?.ciphertext ?? null;
    let ticketId: string;
    try {
      ticketId = await ctx.chats.offerTransfer({
        chatId,
        offerId,
        from: self.counsellorId,
        to: colleague.id,
        capacity: colleague.capacity,
        note: noteText,
        ttlSeconds: seconds + OFFER_TTL_SLACK_SECONDS,
        now,
      });
    } catch (err) {
      refusal(err, {
        NOT_FOUND: ['NOT_FOUND', 'This chat has ended.'],
        FORBIDDEN: ['FORBIDDEN', 'This chat is not yours.'],
        WRONG_STATE: ['WRONG_STATE', 'Wait until the encrypted connection is set up, then transfer.'],
        PENDING: ['WRONG_STATE', 'A transfer of this chat is already waiting for an answer.'],
        AT_CAPACITY: ['AT_CAPACITY', `${colleague.alias} has no free chat slot.`],
      });
    }
    const ticket = await ctx.tickets.get(ticketId);
    if (!ticket) {
      await ctx.chats.settleTransfer({ chatId, offerId, action: 'withdraw', actor: self.counsellorId }).catch(() => undefined);
      throw new ProtocolError('NOT_FOUND', 'This chat has ended.');
    }
    ctx.io.to(rooms.counsellor(colleague.id)).emit('transfer:offer', {
      offerId,
      chatId,
      from: { counsellorId: self.counsellorId, alias: account.alias, association: account.association, certificate: account.certificate },
      entry: ticket.entry,
      note: noteText,
      expiresInSeconds: seconds,
    });
    timers.set(
      offerId,
      setTimeout(() => {
        timers.delete(offerId);
        ctx.background(() => expire(ctx, chatId, offerId, colleague.alias));
      }, seconds * 1000).unref(),
    );
    return { kind: 'offered', offerId, expiresInSeconds: seconds };
  });

  on(socket, 'chat:transfer-cancel', bucket, logger, async ({ chatId }) => {
    const self = me();
    let settled;
    try {
      settled = await ctx.chats.settleTransfer({ chatId, offerId: null, action: 'withdraw', actor: self.counsellorId });
    } catch (err) {
      refusal(err, {
        NOT_FOUND: ['NOT_FOUND', 'No transfer of this chat is waiting for an answer.'],
        FORBIDDEN: ['FORBIDDEN', 'This chat is not yours.'],
      });
    }
    clearTimer(settled.offerId);
    ctx.io.to(rooms.counsellor(settled.to)).emit('transfer:withdrawn', { offerId: settled.offerId, reason: 'withdrawn' });
    return {};
  });

  on(socket, 'transfer:answer', bucket, logger, async ({ offerId, accept }) => {
    const self = me();
    const gone = () => new ProtocolError('NOT_FOUND', 'This transfer offer has expired, was withdrawn or was already answered.');
    const chatId = await ctx.chats.chatOfOffer(offerId);
    if (!chatId) throw gone();
    const pending = await ctx.chats.pendingTransfer(chatId);
    if (!pending || pending.offerId !== offerId) throw gone();
    if (pending.to !== self.counsellorId) throw new ProtocolError('FORBIDDEN', 'This transfer was offered to someone else.');
    const result = (outcome: TransferResult['outcome']): TransferResult => ({ chatId, offerId, outcome, colleague: { alias: self.alias } });
    const messages = {
      NOT_FOUND: ['NOT_FOUND', 'The chat ended before you answered.'],
      FORBIDDEN: ['FORBIDDEN', 'This transfer was offered to someone else.'],
      AT_CAPACITY: ['AT_CAPACITY', 'You have no free chat slot: end a chat first, or decline.'],
    } as const;

    if (!accept) {
      try {
        await ctx.chats.settleTransfer({ chatId, offerId, action: 'decline', actor: self.counsellorId });
      } catch (err) {
        refusal(err, messages);
      }
      clearTimer(offerId);
      ctx.io.to(rooms.counsellor(pending.from)).emit('chat:transfer-result', result('declined'));
      return { accepted: false };
    }

    const account = await activeAccount(self.counsellorId);
    const [ticket, chat] = await Promise.all([ctx.tickets.get(pending.ticketId), ctx.chats.get(chatId)]);
    if (!ticket || !chat) throw new ProtocolError('NOT_FOUND', 'The chat ended before you answered.');
    // She chose one association and the colleague is of the other: her line (if the reserved claim fails) and the
    // certificates her page accepts follow the counsellor's judgement.
    const choice = ticket.entry.association;
    const newChoice = choice === 'either' || choice === account.association ? null : account.association;
    let settled;
    try {
      settled = await ctx.chats.settleTransfer({
        chatId,
        offerId,
        action: 'accept',
        actor: self.counsellorId,
        capacity: account.capacity,
        association: newChoice,
      });
    } catch (err) {
      refusal(err, messages);
    }
    clearTimer(offerId);
    ctx.io.to(rooms.counsellor(settled.from)).emit('chat:transfer-result', result('accepted'));
    await handOver(ctx, chatId, chat.createdAt, settled.ticketId, account.association);
    if (chat.association === 'telefono-donna' || chat.association === 'ebano')
      countTransfer(ctx, chat.association, settled.ticketId, 'colleague');
    return { accepted: true };
  });
}

/** The node's timer ran out: if the offer is still open, close it and tell both sides. */
async function expire(ctx: ServerContext, chatId: string, offerId: string, colleagueAlias: string): Promise<void> {
  let settled;
  try {
    settled = await ctx.chats.settleTransfer({ chatId, offerId, action: 'expire', actor: '' });
  } catch (err) {
    if (err instanceof ScriptError && err.code === 'NOT_FOUND') return; // answered, withdrawn or purged meanwhile
    throw err;
  }
  ctx.io
    .to(rooms.counsellor(settled.from))
    .emit('chat:transfer-result', { chatId, offerId, outcome: 'expired', colleague: { alias: colleagueAlias } });
  ctx.io.to(rooms.counsellor(settled.to)).emit('transfer:withdrawn', { offerId, reason: 'expired' });
}

/**
 * `resident:rekey`: her fresh keys put her back in the line, or, when her ticket is reserved for a colleague who
 * accepted her transfer, claim her for that colleague at once (same capacity rule as any claim). The colleague
 * then gets the usual claim result (`queue:assigned`) and answers the handshake.
 */
export async function rekeyTicket(ctx: ServerContext, ticketId: string, kx: string, nonce: string): Promise<void> {
  const before = await ctx.tickets.get(ticketId);
  const reservedFor = before?.reservedFor ?? null;
  if (!reservedFor) {
    await ctx.tickets.rekey(ticketId, kx, nonce);
    return;
  }
  const now = ctx.clock.now();
  const account = await ctx.accounts.counsellor(reservedFor);
  const able =
    account !== null && account.status === 'active' && account.certificate !== null && (await ctx.shift.isOnShift(reservedFor, now));
  const chatId = id16();
  const outcome = await ctx.tickets.rekey(ticketId, kx, nonce, {
    counsellorId: reservedFor,
    capacity: able ? account.capacity : 0,
    association: account?.association ?? '',
    chatId,
    now,
  });
  if (!outcome.claimed) return; // the colleague could not take her: she is at the front of her class instead
  const result = await afterClaim(ctx, outcome.claimed.counsellorId, ticketId, outcome.claimed.chatId, now);
  if (result) ctx.io.to(rooms.counsellor(outcome.claimed.counsellorId)).emit('queue:assigned', result);
}
