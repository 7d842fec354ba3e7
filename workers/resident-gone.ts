// Processor: a resident lost her connection and the grace period ran out. If she has not come back (same
// disconnect still recorded), end her visit and purge everything; otherwise do nothing.
import { UnrecoverableError, type Job } from 'bullmq';
import { emptyJobDataSchema, loadJobPayload, residentGoneJobSchema } from '../store/jobs.ts';
import { endVisitRemotely, type RemoteEnd } from './end-visit-remotely.ts';

export function residentGoneProcessor(d: RemoteEnd) {
  return async (job: Job): Promise<'ended' | 'returned' | 'gone'> => {
    if (!emptyJobDataSchema.safeParse(job.data ?? {}).success) throw new UnrecoverableError('resident-gone: job data must be empty');
    const data = await loadJobPayload(d.redis, d.keys, job.id, residentGoneJobSchema);
    if (!data) return 'gone';
    const parsed = { data };
    const { ticketId, goneAt } = parsed.data;
    const t = await d.tickets.get(ticketId);
    if (!t) return 'gone';
    if (t.sock !== '' || t.goneAt !== goneAt) return 'returned';
    await endVisitRemotely(d, ticketId, 'resident-gone');
    return 'ended';
  };
}
