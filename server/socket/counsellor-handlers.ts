// Counsellor events: see the line, claim a resident atomically, answer the handshake, list her chats.
import { randomBytes } from 'node:crypto';
import { ProtocolError, type ClaimResult, type CounsellorChat } from '../../protocol/index.ts';
import type { ServerContext } from '../context.ts';
import { LineBroadcaster } from '../line-broadcaster.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { afterClaim } from './claim-flow.ts';
import { rooms } from './rooms.ts';

export function registerCounsellorHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { logger, clock } = ctx;
  const me = () => {
    if (socket.data.role !== 'counsellor') throw new ProtocolError('FORBIDDEN');
    return socket.data;
  };

  on(socket, 'queue:list', bucket, logger, async () => {
    const waiting = await ctx.tickets.waiting();
    return { entries: LineBroadcaster.visibleTo(waiting.map((t) => t.entry), me().association) };
  });

  on(socket, 'queue:claim', bucket, logger, async ({ ticketId }) => {
    const self = me();
    const account = await ctx.accounts.counsellor(self.counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    if (!account.certificate) throw new ProtocolError('NOT_CERTIFIED');
    const chatId = randomBytes(16).toString('base64url');
    const now = clock.now();
    // Take-next honours her languages (with the fallback for residents nobody could serve); picking a
    // specific resident is her informed choice.
    const claimed = await ctx.chats.claim({
      counsellorId: self.counsellorId,
      association: self.association,
      capacity: account.capacity,
      ticketId: ticketId ?? null,
      chatId,
      languages: ticketId ? '*' : account.languages,
      languageFallbackMs: ctx.config.LANGUAGE_FALLBACK_SECONDS * 1000,
      now,
    });
    const result: ClaimResult | null = await afterClaim(ctx, self.counsellorId, claimed, chatId, now);
    if (!result) throw new ProtocolError('ALREADY_TAKEN', 'The resident left before you could take the chat.');
    return result;
  });

  on(socket, 'counsellor:status', bucket, logger, async ({ availability }) => {
    const self = me();
    await ctx.shift.setAvailability(self.counsellorId, availability);
    ctx.line.changed();
    return {};
  });

  on(socket, 'chat:handshake', bucket, logger, async ({ chatId, kxPublicKey, signature }) => {
    const self = me();
    const chat = await ctx.chats.get(chatId);
    if (!chat) throw new ProtocolError('NOT_FOUND');
    if (chat.counsellorId !== self.counsellorId) throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
    const account = await ctx.accounts.counsellor(self.counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    if (!account.certificate) throw new ProtocolError('NOT_CERTIFIED');
    await ctx.chats.handshake(chatId, chat.ticketId, self.counsellorId, kxPublicKey, signature);
    ctx.io.to(rooms.ticket(chat.ticketId)).emit('chat:handshake', {
      chatId,
      counsellor: { alias: account.alias, association: account.association },
      kxPublicKey,
      signature,
      certificate: account.certificate,
    });
    return {};
  });

  on(socket, 'counsellor:chats', bucket, logger, async () => {
    const self = me();
    const ids = await ctx.chats.chatsOf(self.counsellorId);
    const chats: CounsellorChat[] = [];
    for (const chatId of ids) {
      const chat = await ctx.chats.get(chatId);
      const ticket = chat ? await ctx.tickets.get(chat.ticketId) : null;
      if (!chat || !ticket) continue;
      await socket.join(rooms.chat(chatId));
      chats.push({ chatId, entry: ticket.entry, residentKxPublicKey: ticket.kx, residentNonce: ticket.nonce, peerRead: chat.readByResident, handshakeDone: chat.state === 'active' });
    }
    return { chats };
  });
}
