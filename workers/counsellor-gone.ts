// Processor: a counsellor's last connection closed and the grace period ran out. If she is not back on shift,
// every chat she held goes back to the line, each resident to the front of her class.
import { UnrecoverableError, type Job } from 'bullmq';
import { emptyJobDataSchema, loadJobPayload, counsellorGoneJobSchema } from '../store/jobs.ts';
import type { ShiftStore } from '../store/shift.ts';
import { requeueRemotely, type Requeuer } from './requeue-remotely.ts';

export function counsellorGoneProcessor(d: Requeuer, shift: ShiftStore) {
  const { chats } = d;
  return async (job: Job): Promise<{ requeued: number }> => {
    if (!emptyJobDataSchema.safeParse(job.data ?? {}).success) throw new UnrecoverableError('counsellor-gone: job data must be empty');
    const data = await loadJobPayload(d.redis, d.keys, job.id, counsellorGoneJobSchema);
    if (!data) return { requeued: 0 };
    const parsed = { data };
    if (await shift.isOnShift(parsed.data.counsellorId, d.now())) return { requeued: 0 };
    let requeued = 0;
    for (const chatId of await chats.chatsOf(parsed.data.counsellorId)) {
      if (await requeueRemotely(d, chatId, 'counsellor-gone')) requeued++;
    }
    return { requeued };
  };
}
