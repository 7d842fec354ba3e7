// Processor: a resident lost her connection and the grace period ran out. If she has not come back (same
// disconnect still recorded), end her visit and purge everything; otherwise do nothing.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Emitter } from '@socket.io/redis-emitter';
import { residentGoneJobSchema } from '../store/jobs.ts';
import type { TicketStore } from '../store/tickets.ts';
import { endVisitRemotely } from './end-visit-remotely.ts';

export function residentGoneProcessor(tickets: TicketStore, emitter: Emitter) {
  return async (job: Job): Promise<'ended' | 'returned' | 'gone'> => {
    const parsed = residentGoneJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError('resident-gone: invalid job data');
    const { ticketId, goneAt } = parsed.data;
    const t = await tickets.get(ticketId);
    if (!t) return 'gone';
    if (t.sock !== '' || t.goneAt !== goneAt) return 'returned';
    await endVisitRemotely(tickets, emitter, ticketId, 'resident-gone');
    return 'ended';
  };
}
