// Processor: a counsellor took (or was given) a chat and has not sent a first message in time; the resident
// goes back to the front of her class. Runs once per claim; a second run finds nothing to requeue.
import { UnrecoverableError, type Job } from 'bullmq';
import { emptyJobDataSchema, loadJobPayload, noReplyJobSchema } from '../store/jobs.ts';
import { requeueRemotely, type Requeuer } from './requeue-remotely.ts';

export function noReplyProcessor(d: Requeuer) {
  const { chats } = d;
  return async (job: Job): Promise<'requeued' | 'answered' | 'gone'> => {
    if (!emptyJobDataSchema.safeParse(job.data ?? {}).success) throw new UnrecoverableError('no-reply: job data must be empty');
    const data = await loadJobPayload(d.redis, d.keys, job.id, noReplyJobSchema);
    if (!data) return 'gone';
    const parsed = { data };
    const chat = await chats.get(parsed.data.chatId);
    if (!chat || chat.createdAt !== parsed.data.claimedAt) return 'gone';
    if ((await chats.count(chat.chatId, 'c2r')) > 0) return 'answered';
    return (await requeueRemotely(d, chat.chatId, 'no-reply')) ? 'requeued' : 'gone';
  };
}
