// BullMQ queue names and job data, validated when enqueued and when processed. Jobs carry only opaque ids.
import { createHash } from 'node:crypto';
import { z } from 'zod';

export const QUEUE_NAMES = { residentGone: 'resident-gone', sweeper: 'sweeper' } as const;

/** A resident disconnected at `goneAt`; if she has not come back by the time this runs, end her visit. */
export const residentGoneJobSchema = z.strictObject({
  ticketId: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  goneAt: z.number().int().nonnegative(),
});
export type ResidentGoneJob = z.infer<typeof residentGoneJobSchema>;

/**
 * Job ids end up in BullMQ's event stream, which outlives the job; a hash of the ticket id keeps them
 * unlinkable to a resident once her ticket is purged (ticket ids are 128-bit random, so not guessable).
 */
export function residentGoneJobId(job: ResidentGoneJob): string {
  return `g-${createHash('sha256').update(`${job.ticketId}:${job.goneAt}`).digest('base64url')}`;
}

/** Jobs disappear when done or failed, so nothing about a resident lingers in BullMQ's keys. */
export const EPHEMERAL_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/** Queue options: a short event stream (it holds only hashed job ids and event names). */
export const QUEUE_STREAM_OPTIONS = { events: { maxLen: 100 } } as const;
