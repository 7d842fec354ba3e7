// Ends a resident's visit from a worker process: purge every key, then tell the chat and every server node
// through the Socket.IO Redis emitter (the workers hold no sockets of their own).
import type { Emitter } from '@socket.io/redis-emitter';
import type { EndReason } from '../protocol/index.ts';
import type { TicketStore } from '../store/tickets.ts';

export const LINE_CHANGED = 'line:changed';

export async function endVisitRemotely(tickets: TicketStore, emitter: Emitter, ticketId: string, reason: EndReason): Promise<boolean> {
  const purged = await tickets.purge(ticketId);
  if (purged.chatId) {
    const room = `chat:${purged.chatId}`;
    emitter.to(room).emit('chat:ended', { chatId: purged.chatId, reason });
    emitter.in(room).socketsLeave(room);
  }
  emitter.in(`ticket:${ticketId}`).socketsLeave(`ticket:${ticketId}`);
  if (purged.state) emitter.serverSideEmit(LINE_CHANGED);
  return purged.state !== null;
}
