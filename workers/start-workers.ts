// Starts the BullMQ workers of one process on the ephemeral Redis; returns a function that stops them and
// closes their connections. Runs inside `npm start` by default, or alone (workers/main.ts) to scale out.
import { Emitter } from '@socket.io/redis-emitter';
import { createNodeRedisClient, Queue, Worker } from 'bullmq';
import type { Clock } from '../store/clock.ts';
import { EPHEMERAL_JOB_OPTIONS, QUEUE_NAMES, QUEUE_STREAM_OPTIONS } from '../store/jobs.ts';
import { keySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import { TicketStore } from '../store/tickets.ts';
import { residentGoneProcessor } from './resident-gone.ts';
import { sweeperProcessor } from './sweeper.ts';

export interface WorkerOptions {
  redis: Redis;
  keyPrefix: string;
  residentTtlSeconds: number;
  graceSeconds: number;
  sweepIntervalSeconds: number;
  clock: Clock;
  onError?: (where: string, err: unknown) => void;
}

export interface RunningWorkers {
  close(): Promise<void>;
}

export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  const keys = keySpace(opts.keyPrefix);
  const tickets = new TicketStore(opts.redis, keys, opts.residentTtlSeconds);
  const emitterClient = opts.redis.duplicate();
  emitterClient.on('error', () => undefined);
  await emitterClient.connect();
  const emitter = new Emitter(emitterClient, { key: keys.adapter() });
  // BullMQ does not close connections it was handed; we keep them to close on shutdown.
  const raw: Redis[] = [];
  const conn = () => {
    const c = opts.redis.duplicate();
    c.on('error', () => undefined);
    raw.push(c);
    return createNodeRedisClient(c) as never;
  };
  const prefix = keys.bull();
  const gone = new Worker(QUEUE_NAMES.residentGone, residentGoneProcessor(tickets, emitter), { connection: conn(), prefix, concurrency: 8 });
  const sweeper = new Worker(QUEUE_NAMES.sweeper, sweeperProcessor(opts.redis, keys, tickets, emitter, opts.graceSeconds * 1000, () => opts.clock.now()), { connection: conn(), prefix });
  const sweepQueue = new Queue(QUEUE_NAMES.sweeper, { connection: conn(), prefix, streams: QUEUE_STREAM_OPTIONS });
  await sweepQueue.upsertJobScheduler('sweep', { every: opts.sweepIntervalSeconds * 1000 }, { name: 'sweep', opts: EPHEMERAL_JOB_OPTIONS });
  for (const [name, w] of [['resident-gone', gone], ['sweeper', sweeper]] as const) {
    w.on('error', (err) => opts.onError?.(name, err));
    w.on('failed', (_job, err) => opts.onError?.(name, err));
  }
  return {
    async close() {
      await Promise.allSettled([gone.close(), sweeper.close(), sweepQueue.close()]);
      await Promise.allSettled([emitterClient, ...raw].map((c) => (c.isOpen ? c.close() : Promise.resolve())));
    },
  };
}
