// Returns a chat to the line from a worker: the resident is told to send fresh keys (she goes back to the
// front of her class), the counsellor's chat ends with reason "reassigned", every node recomputes the line.
import type { Emitter } from '@socket.io/redis-emitter';
import { recordAggregate } from '../store/aggregates.ts';
import type { ChatStore } from '../store/chats.ts';
import type { KeySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import type { TicketStore } from '../store/tickets.ts';
import { LINE_CHANGED } from './end-visit-remotely.ts';

export interface Requeuer {
  chats: ChatStore;
  tickets: TicketStore;
  redis: Redis;
  keys: KeySpace;
  emitter: Emitter;
  now: () => number;
}

export async function requeueRemotely(d: Requeuer, chatId: string, reason: 'no-reply' | 'counsellor-gone'): Promise<boolean> {
  const { emitter } = d;
  const r = await d.chats.requeue(chatId, reason);
  if (!r) return false;
  const t = await d.tickets.get(r.ticketId);
  if (t && (r.association === 'telefono-donna' || r.association === 'ebano')) {
    await recordAggregate(d.redis, d.keys, { kind: 'requeued', association: r.association, urgency: t.triageClass, reason, at: d.now() });
  }
  const room = `chat:${chatId}`;
  emitter.to(`ticket:${r.ticketId}`).emit('chat:requeued', { chatId, reason });
  // Only the counsellor's side ends; the resident goes on to the next counsellor.
  emitter.to(room).except(`ticket:${r.ticketId}`).emit('chat:ended', { chatId, reason: 'reassigned' });
  emitter.in(room).socketsLeave(room);
  // A transfer offer of this chat went with it: the colleague it was offered to drops it at once.
  if (r.withdrawnOffer)
    emitter.to(`counsellor:${r.withdrawnOffer.to}`).emit('transfer:withdrawn', { offerId: r.withdrawnOffer.offerId, reason: 'ended' });
  emitter.serverSideEmit(LINE_CHANGED);
  return true;
}
