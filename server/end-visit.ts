// Ends a resident's visit: purges every key of her ticket and chat at once, removes the delayed jobs that
// still name them, tells whoever is in the chat, empties the rooms on every node, and counts the end
// anonymously.
import type { EndReason, Outcome } from '../protocol/index.ts';
import { pendingJobs, recordEndOfVisit } from '../store/end-of-visit.ts';
import { deleteJobPayload } from '../store/jobs.ts';
import type { ServerContext } from './context.ts';
import { rooms } from './socket/rooms.ts';

export async function endVisit(ctx: ServerContext, ticketId: string, reason: EndReason, outcome?: Outcome): Promise<void> {
  const purged = await ctx.tickets.purge(ticketId);
  if (purged.chatId) {
    const room = rooms.chat(purged.chatId);
    ctx.io.to(room).emit('chat:ended', { chatId: purged.chatId, reason });
    ctx.io.in(room).socketsLeave(room);
  }
  ctx.io.in(rooms.ticket(ticketId)).socketsLeave(rooms.ticket(ticketId));
  // A colleague who was offered her chat sees the offer go at once instead of at its deadline.
  if (purged.transferOffer)
    ctx.io
      .to(rooms.counsellor(purged.transferOffer.to))
      .emit('transfer:withdrawn', { offerId: purged.transferOffer.offerId, reason: 'ended' });
  if (!purged.state) return;
  ctx.line.changed();
  const queues = ctx.queues as Record<string, { remove(id: string): Promise<unknown> } | undefined>;
  const byName: Record<string, keyof typeof ctx.queues> = { 'no-reply': 'noReply', 'resident-gone': 'gone', triage: 'triage' };
  for (const j of pendingJobs(ticketId, purged)) {
    await queues[byName[j.queue] ?? '']?.remove(j.jobId).catch(() => 0);
    await deleteJobPayload(ctx.redis, ctx.keys, j.jobId);
  }
  const now = ctx.clock.now();
  ctx.background(() => recordEndOfVisit(ctx.redis, ctx.keys, ctx.shift, purged, reason, outcome, now));
}
