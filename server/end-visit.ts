// Ends a resident's visit: purges every key of her ticket and chat at once, tells whoever is in the chat,
// and empties the rooms on every node.
import type { EndReason } from '../protocol/index.ts';
import type { ServerContext } from './context.ts';
import { rooms } from './socket/rooms.ts';

export async function endVisit(ctx: ServerContext, ticketId: string, reason: EndReason): Promise<void> {
  const purged = await ctx.tickets.purge(ticketId);
  if (purged.chatId) {
    const room = rooms.chat(purged.chatId);
    ctx.io.to(room).emit('chat:ended', { chatId: purged.chatId, reason });
    ctx.io.in(room).socketsLeave(room);
  }
  ctx.io.in(rooms.ticket(ticketId)).socketsLeave(rooms.ticket(ticketId));
  if (purged.state) ctx.line.changed();
}
