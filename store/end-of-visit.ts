// What must follow a purge wherever it happens (server node or worker): the anonymous count of how the visit
// ended, and the ids of the delayed jobs that still name her ticket or chat, so they can be removed at once.
import type { EndReason, Outcome } from '../protocol/index.ts';
import { recordAggregate, type AggregateEvent } from './aggregates.ts';
import { noReplyJobId, QUEUE_NAMES, residentGoneJobId, triageJobId } from './jobs.ts';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';
import type { ShiftStore } from './shift.ts';
import type { Purged } from './tickets.ts';

type Association = 'telefono-donna' | 'ebano';
type Choice = Association | 'either';

export function pendingJobs(ticketId: string, p: Purged): { queue: string; jobId: string }[] {
  const out: { queue: string; jobId: string }[] = [{ queue: QUEUE_NAMES.triage, jobId: triageJobId({ ticketId }) }];
  if (p.chatId && p.chatCreatedAt !== null)
    out.push({ queue: QUEUE_NAMES.noReply, jobId: noReplyJobId({ chatId: p.chatId, claimedAt: p.chatCreatedAt }) });
  if (p.goneAt !== null) out.push({ queue: QUEUE_NAMES.residentGone, jobId: residentGoneJobId({ ticketId, goneAt: p.goneAt }) });
  return out;
}

export function endEvent(p: Purged, reason: EndReason, outcome: Outcome | undefined, now: number): AggregateEvent | null {
  if (!p.state || !p.association) return null;
  const urgency = (p.urgency ?? 3) as 1 | 2 | 3;
  if ((p.state === 'assigned' || p.state === 'active') && p.chatAssociation && p.chatCreatedAt !== null) {
    const residentLeft = reason === 'resident-ended' || reason === 'resident-exit' || reason === 'resident-gone';
    return {
      kind: 'ended',
      association: p.chatAssociation as Association,
      urgency,
      handleMs: Math.max(0, now - p.chatCreatedAt),
      outcome: outcome ?? (residentLeft ? 'resident-left' : 'none'),
      at: now,
    };
  }
  return { kind: 'abandoned', association: p.association as Choice, urgency, waitMs: Math.max(0, now - (p.joinedAt ?? now)), at: now };
}

/** Records the anonymous end of a visit and, for finished chats, the handling time used by wait estimates. */
export async function recordEndOfVisit(
  redis: Redis,
  keys: KeySpace,
  shift: ShiftStore,
  p: Purged,
  reason: EndReason,
  outcome: Outcome | undefined,
  now: number,
): Promise<void> {
  const e = endEvent(p, reason, outcome, now);
  if (!e) return;
  await recordAggregate(redis, keys, e);
  if (e.kind === 'ended' && p.state === 'active') await shift.recordHandleTime(e.association, e.handleMs);
}
