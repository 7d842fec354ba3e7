// Enqueues a BullMQ job whose payload stays beside it under a TTL (store/jobs.ts), so BullMQ's own keys
// never hold a ticket or chat id.
import type { Queue } from 'bullmq';
import { EPHEMERAL_JOB_OPTIONS, saveJobPayload } from '../store/jobs.ts';
import type { ServerContext } from './context.ts';

export async function enqueue(ctx: Pick<ServerContext, 'redis' | 'keys'>, queue: Queue, jobId: string, payload: object, delayMs: number, payloadTtlSeconds: number): Promise<void> {
  await saveJobPayload(ctx.redis, ctx.keys, jobId, payload, payloadTtlSeconds);
  await queue.add(queue.name, {}, { ...EPHEMERAL_JOB_OPTIONS, jobId, ...(delayMs > 0 ? { delay: delayMs } : {}) });
}
