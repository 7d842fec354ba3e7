// BullMQ queue names and job data, validated when enqueued and when processed. Jobs carry only opaque ids.
import { z } from 'zod';

export const QUEUE_NAMES = { residentGone: 'resident-gone', sweeper: 'sweeper' } as const;

/** A resident disconnected at `goneAt`; if she has not come back by the time this runs, end her visit. */
export const residentGoneJobSchema = z.strictObject({
  ticketId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  goneAt: z.number().int().nonnegative(),
});
export type ResidentGoneJob = z.infer<typeof residentGoneJobSchema>;

export function residentGoneJobId(job: ResidentGoneJob): string {
  return `gone-${job.ticketId}-${job.goneAt}`;
}

/** Jobs disappear when done or failed, so nothing about a resident lingers in BullMQ's keys. */
export const EPHEMERAL_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;
