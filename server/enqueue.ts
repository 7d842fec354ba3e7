// Enqueues a BullMQ job whose payload stays beside it under a TTL (store/jobs.ts), so BullMQ's own keys
// never hold a ticket or chat id.
import type { Queue } from 'bullmq';
import { EPHEMERAL_JOB_OPTIONS, saveJobPayload } from '../store/jobs.ts';
import type { ServerContext } from './context.ts';

export async function enqueue(
  ctx: Pick<ServerContext, 'redis' | 'keys' | 'config'>,
  queue: Queue,
  jobId: string,
  payload: object,
  delayMs: number,
  payloadTtlSeconds: number,
): Promise<void> {
  // Never outlives the resident data it points at.
  await saveJobPayload(ctx.redis, ctx.keys, jobId, payload, Math.min(payloadTtlSeconds, ctx.config.RESIDENT_TTL_SECONDS));
  // A few retries with back-off: a failed triage would leave her waiting for a place in the line.
  await queue.add(
    queue.name,
    {},
    {
      ...EPHEMERAL_JOB_OPTIONS,
      jobId,
      attempts: 3,
      backoff: { type: 'exponential', delay: 200 },
      ...(delayMs > 0 ? { delay: delayMs } : {}),
    },
  );
}
