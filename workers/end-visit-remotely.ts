// Ends a resident's visit from a worker process: purge every key, remove the delayed jobs that still name her
// ticket or chat, tell the chat and every server node through the Socket.IO Redis emitter (the workers hold
// no sockets of their own), and count the end anonymously.
import type { Emitter } from '@socket.io/redis-emitter';
import type { Queue } from 'bullmq';
import type { EndReason } from '../protocol/index.ts';
import { pendingJobs, recordEndOfVisit } from '../store/end-of-visit.ts';
import { deleteJobPayload } from '../store/jobs.ts';
import type { KeySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import type { ShiftStore } from '../store/shift.ts';
import type { TicketStore } from '../store/tickets.ts';

export const LINE_CHANGED = 'line:changed';

export interface RemoteEnd {
  tickets: TicketStore;
  shift: ShiftStore;
  redis: Redis;
  keys: KeySpace;
  emitter: Emitter;
  /** Queues by name, to remove pending jobs. */
  queues: ReadonlyMap<string, Queue>;
  now: () => number;
}

export async function endVisitRemotely(d: RemoteEnd, ticketId: string, reason: EndReason): Promise<boolean> {
  const purged = await d.tickets.purge(ticketId);
  if (purged.chatId) {
    const room = `chat:${purged.chatId}`;
    d.emitter.to(room).emit('chat:ended', { chatId: purged.chatId, reason });
    d.emitter.in(room).socketsLeave(room);
  }
  d.emitter.in(`ticket:${ticketId}`).socketsLeave(`ticket:${ticketId}`);
  // A colleague who was offered her chat sees the offer go at once instead of at its deadline.
  if (purged.transferOffer)
    d.emitter
      .to(`counsellor:${purged.transferOffer.to}`)
      .emit('transfer:withdrawn', { offerId: purged.transferOffer.offerId, reason: 'ended' });
  if (!purged.state) return false;
  d.emitter.serverSideEmit(LINE_CHANGED);
  for (const j of pendingJobs(ticketId, purged)) {
    await d.queues
      .get(j.queue)
      ?.remove(j.jobId)
      .catch(() => 0);
    await deleteJobPayload(d.redis, d.keys, j.jobId);
  }
  await recordEndOfVisit(d.redis, d.keys, d.shift, purged, reason, undefined, d.now());
  return true;
}
