// Processor: folds the ephemeral stream of coarse aggregate events into the durable hourly counts, a bounded
// number of batches per run so one run never holds a worker for long (the next scheduled run continues).
import { UnrecoverableError, type Job } from 'bullmq';
import { z } from 'zod';
import { DEFAULT_RETENTION_DAYS, rollUpOnce } from '../store/aggregates.ts';
import type { KeySpace } from '../store/keys.ts';
import type { PolicyStore } from '../store/policy.ts';
import type { Redis } from '../store/redis.ts';

/** The job is a tick: it carries nothing, so nothing about anyone can ride along in BullMQ's keys. */
export const rollupJobSchema = z.strictObject({});

export interface RollupLimits {
  batchSize?: number;
  maxBatches?: number;
}

export function rollupProcessor(
  redis: Redis,
  keys: KeySpace,
  store: Redis,
  storePrefix: string,
  retentionDays = DEFAULT_RETENTION_DAYS,
  limits: RollupLimits = {},
  /** Associations' policies, read every run so a supervisor's retention change applies to the next roll-up. */
  policy?: Pick<PolicyStore, 'both'>,
) {
  const batchSize = limits.batchSize ?? 1000;
  const maxBatches = limits.maxBatches ?? 20;
  return async (job: Pick<Job, 'data'>): Promise<{ rolled: number }> => {
    if (!rollupJobSchema.safeParse(job.data ?? {}).success) throw new UnrecoverableError('rollup: job data must be empty');
    let rolled = 0;
    const p = policy ? await policy.both() : null;
    const retentionDaysOf = p ? { 'telefono-donna': p['telefono-donna'].retentionDays, ebano: p.ebano.retentionDays } : undefined;
    for (let i = 0; i < maxBatches; i++) {
      const r = await rollUpOnce(redis, keys, store, storePrefix, { maxBatch: batchSize, retentionDays, retentionDaysOf });
      rolled += r.folded;
      // Busy: another worker is draining right now. A short batch: the stream is empty.
      if (r.busy || r.read < batchSize) break;
    }
    return { rolled };
  };
}
