// Events of both parties in a chat: relay ciphertext with sequence numbers, read receipts, typing, sync,
// end. The server checks the envelope (who, which chat, which seq, which size) and never the content.
import { MAX_SYNC_BATCH, ProtocolError, type Direction } from '../../protocol/index.ts';
import type { ChatRecord } from '../../store/chats.ts';
import { ScriptError } from '../../store/scripts.ts';
import type { ServerContext } from '../context.ts';
import { endVisit } from '../end-visit.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { rooms } from './rooms.ts';

type Party = { role: 'resident'; id: string } | { role: 'counsellor'; id: string };

function party(socket: HelpdeskSocket): Party {
  if (socket.data.role === 'counsellor') return { role: 'counsellor', id: socket.data.counsellorId };
  if (socket.data.role !== 'resident') throw new ProtocolError('FORBIDDEN', 'Supervisors cannot take part in chats.');
  if (socket.data.ticketId) return { role: 'resident', id: socket.data.ticketId };
  throw new ProtocolError('NOT_FOUND', 'You are not in a chat.');
}

async function ownChat(ctx: ServerContext, socket: HelpdeskSocket, chatId: string): Promise<{ chat: ChatRecord; me: Party }> {
  const me = party(socket);
  const chat = await ctx.chats.get(chatId);
  if (!chat) throw new ProtocolError('NOT_FOUND', 'This chat has ended.');
  const mine = me.role === 'resident' ? chat.ticketId === me.id : chat.counsellorId === me.id;
  if (!mine) throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
  return { chat, me };
}

export function registerChatHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { logger } = ctx;

  on(socket, 'chat:send', bucket, logger, async ({ chatId, seq, nonce, ciphertext }) => {
    const me = party(socket);
    // One round trip: the script checks the sender owns the chat, the chat is active and seq is next.
    const outcome = await ctx.chats.append(chatId, me.role, me.id, seq, nonce, ciphertext).catch((err: unknown) => {
      // Same words as every other chat event, not the generic FORBIDDEN text.
      if (err instanceof ScriptError && err.code === 'FORBIDDEN') throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
      throw err;
    });
    if (outcome === 'new') {
      const direction: Direction = me.role === 'resident' ? 'r2c' : 'c2r';
      socket.to(rooms.chat(chatId)).emit('chat:message', { chatId, direction, seq, nonce, ciphertext });
    }
    return { seq, duplicate: outcome === 'dup' };
  });

  on(socket, 'chat:read', bucket, logger, async ({ chatId, seq }) => {
    const { me } = await ownChat(ctx, socket, chatId);
    const peerDir: Direction = me.role === 'resident' ? 'c2r' : 'r2c';
    if (seq >= (await ctx.chats.count(chatId, peerDir)))
      throw new ProtocolError('BAD_REQUEST', 'You cannot have read a message that was not sent.');
    const stored = await ctx.chats.markRead(chatId, me.role, seq);
    socket.to(rooms.chat(chatId)).emit('chat:read', { chatId, seq: stored });
    return {};
  });

  on(socket, 'chat:typing', bucket, logger, async ({ chatId }) => {
    // Room membership is granted only to the chat's two parties, so it is the authorisation here.
    if (!socket.rooms.has(rooms.chat(chatId))) throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
    socket.to(rooms.chat(chatId)).emit('chat:typing', { chatId });
    return {};
  });

  on(socket, 'chat:sync', bucket, logger, async ({ chatId, from }) => {
    const { chat, me } = await ownChat(ctx, socket, chatId);
    const own: Direction = me.role === 'resident' ? 'r2c' : 'c2r';
    const peer: Direction = own === 'r2c' ? 'c2r' : 'r2c';
    const [messages, nextOwnSeq] = await Promise.all([
      ctx.chats.messages(chatId, peer, from, MAX_SYNC_BATCH),
      ctx.chats.count(chatId, own),
    ]);
    const peerRead = me.role === 'resident' ? chat.readByCounsellor : chat.readByResident;
    return { messages, peerRead, nextOwnSeq };
  });

  on(socket, 'chat:end', bucket, logger, async ({ chatId, outcome }) => {
    const { chat, me } = await ownChat(ctx, socket, chatId);
    if (me.role === 'resident' && socket.data.role === 'resident') socket.data.ticketId = null;
    await endVisit(
      ctx,
      chat.ticketId,
      me.role === 'resident' ? 'resident-ended' : 'counsellor-ended',
      me.role === 'counsellor' ? outcome : undefined,
    );
    return {};
  });
}
