// BullMQ queue names and job data, validated when enqueued and when processed. Jobs carry only opaque ids.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';

export const QUEUE_NAMES = {
  residentGone: 'resident-gone',
  sweeper: 'sweeper',
  triage: 'triage',
  noReply: 'no-reply',
  counsellorGone: 'counsellor-gone',
  aging: 'aging',
  rollup: 'rollup',
} as const;

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

const ticketIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/);

/** A resident answered triage; classify her and place her in the line. */
export const triageJobSchema = z.strictObject({ ticketId: ticketIdSchema });
export type TriageJob = z.infer<typeof triageJobSchema>;

export function triageJobId(job: TriageJob): string {
  return `t-${createHash('sha256').update(job.ticketId).digest('base64url')}`;
}

const chatIdSchema = ticketIdSchema;

/** A counsellor was given a chat at `claimedAt`; if she has sent nothing by the time this runs, requeue. */
export const noReplyJobSchema = z.strictObject({ chatId: chatIdSchema, claimedAt: z.number().int().nonnegative() });
export type NoReplyJob = z.infer<typeof noReplyJobSchema>;

export function noReplyJobId(job: NoReplyJob): string {
  return `n-${createHash('sha256').update(`${job.chatId}:${job.claimedAt}`).digest('base64url')}`;
}

/** A counsellor's last connection closed at `goneAt`; if she is not back on shift, requeue her chats. */
export const counsellorGoneJobSchema = z.strictObject({ counsellorId: ticketIdSchema, goneAt: z.number().int().nonnegative() });
export type CounsellorGoneJob = z.infer<typeof counsellorGoneJobSchema>;

export function counsellorGoneJobId(job: CounsellorGoneJob): string {
  return `c-${job.counsellorId}-${job.goneAt}`;
}

/** Jobs disappear when done or failed, so nothing about a resident lingers in BullMQ's keys. */
export const EPHEMERAL_JOB_OPTIONS = { removeOnComplete: true, removeOnFail: true } as const;

/** Queue options: a short event stream (it holds only hashed job ids and event names). */
export const QUEUE_STREAM_OPTIONS = { events: { maxLen: 100 } } as const;

/**
 * Job payloads live beside BullMQ, under a key named after the hashed job id and with a TTL, never inside
 * BullMQ's own hashes: those have no TTL and a delayed job can outlive a resident's data. BullMQ job data is
 * always `{}`; a purge deletes the payload with the job, and a TTL deletes it regardless.
 */
export async function saveJobPayload(redis: Redis, keys: KeySpace, jobId: string, payload: object, ttlSeconds: number): Promise<void> {
  await redis.set(keys.jobRef(jobId), JSON.stringify(payload), { expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) } });
}

/** The payload of a job, validated; null when it expired or was purged (nothing left to do). */
export async function loadJobPayload<T>(redis: Redis, keys: KeySpace, jobId: string | undefined, schema: z.ZodType<T>): Promise<T | null> {
  if (!jobId) return null;
  const raw = await redis.get(keys.jobRef(jobId));
  if (raw === null) return null;
  const parsed = schema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export async function deleteJobPayload(redis: Redis, keys: KeySpace, jobId: string): Promise<void> {
  await redis.del(keys.jobRef(jobId));
}

/** BullMQ job data is always empty; anything else is refused as unrecoverable by the processors. */
export const emptyJobDataSchema = z.strictObject({});
