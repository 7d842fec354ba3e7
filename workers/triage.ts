// Processor: turns a resident's categorical triage answers into an urgency class and places her in the
// waiting line (her association and language are already routing keys on the ticket). Only categorical
// codes ever reach here; free text goes end to end to the counsellor.
import type { Emitter } from '@socket.io/redis-emitter';
import { UnrecoverableError, type Job } from 'bullmq';
import { associationChoiceSchema, urgencyOf, triageSchema } from '../protocol/index.ts';
import { recordAggregate } from '../store/aggregates.ts';
import type { KeySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import { emptyJobDataSchema, loadJobPayload, triageJobSchema } from '../store/jobs.ts';
import type { TicketStore } from '../store/tickets.ts';
import { LINE_CHANGED } from './end-visit-remotely.ts';

const answersSchema = triageSchema.pick({ danger: true, canWrite: true });

export function triageProcessor(tickets: TicketStore, emitter: Emitter, redis: Redis, keys: KeySpace, now: () => number) {
  return async (job: Job): Promise<'placed' | 'gone'> => {
    if (!emptyJobDataSchema.safeParse(job.data ?? {}).success) throw new UnrecoverableError('triage: job data must be empty');
    const data = await loadJobPayload(redis, keys, job.id, triageJobSchema);
    if (!data) return 'gone';
    const parsed = { data };
    const answers = await tickets.triageAnswers(parsed.data.ticketId);
    if (!answers) return 'gone';
    const codes = answersSchema.safeParse({ danger: answers.danger, canWrite: answers.canWrite });
    if (!codes.success) throw new UnrecoverableError('triage: ticket holds invalid triage codes');
    const urgency = urgencyOf(codes.data);
    const placed = await tickets.enterLine(parsed.data.ticketId, urgency, answers.joinedAt);
    if (placed) {
      emitter.serverSideEmit(LINE_CHANGED);
      const association = associationChoiceSchema.parse(answers.association);
      await recordAggregate(redis, keys, { kind: 'joined', association, urgency, at: now() });
    }
    return placed ? 'placed' : 'gone';
  };
}
