// Starts the BullMQ workers of one process on the ephemeral Redis; returns a function that stops them and
// closes their connections. Runs inside `npm start` by default; RUN_WORKERS=false leaves them to other
// processes running the same code.
import { Emitter } from '@socket.io/redis-emitter';
import { createNodeRedisClient, Queue, Worker, type Processor } from 'bullmq';
import { ChatStore } from '../store/chats.ts';
import type { Clock } from '../store/clock.ts';
import { deleteJobPayload, EPHEMERAL_JOB_OPTIONS, QUEUE_NAMES, QUEUE_STREAM_OPTIONS } from '../store/jobs.ts';
import { keySpace } from '../store/keys.ts';
import { PolicyStore, policyDefaults, type PolicyEnv } from '../store/policy.ts';
import type { Redis } from '../store/redis.ts';
import { ShiftStore } from '../store/shift.ts';
import { TicketStore } from '../store/tickets.ts';
import { agingProcessor } from './aging.ts';
import type { RemoteEnd } from './end-visit-remotely.ts';
import type { Requeuer } from './requeue-remotely.ts';
import { rollupProcessor } from './rollup.ts';
import { counsellorGoneProcessor } from './counsellor-gone.ts';
import { noReplyProcessor } from './no-reply.ts';
import { residentGoneProcessor } from './resident-gone.ts';
import { sweeperProcessor } from './sweeper.ts';
import { triageProcessor } from './triage.ts';

/** The part of the app configuration the workers read (same names as server/config.ts, so a Config fits). */
export interface WorkerConfig extends PolicyEnv {
  KEY_PREFIX: string;
  STORE_PREFIX: string;
  AGGREGATE_RETENTION_DAYS: number;
  ROLLUP_INTERVAL_SECONDS: number;
  RESIDENT_TTL_SECONDS: number;
  RESIDENT_GRACE_SECONDS: number;
  SWEEP_INTERVAL_SECONDS: number;
  COUNSELLOR_GRACE_SECONDS: number;
  AGING_SECONDS: number;
  AGING_CHECK_SECONDS: number;
}

export interface WorkerOptions {
  redis: Redis;
  /** The durable store, for the anonymous aggregates roll-up. */
  store: Redis;
  config: WorkerConfig;
  clock: Clock;
  /** Extra processors (e.g. the aggregates roll-up) with their repeat interval. */
  extra?: { name: string; processor: Processor; everySeconds: number }[];
  onError?: (where: string, err: unknown) => void;
}

export interface RunningWorkers {
  close(): Promise<void>;
}

export async function startWorkers(opts: WorkerOptions): Promise<RunningWorkers> {
  const { config } = opts;
  const keys = keySpace(config.KEY_PREFIX);
  const tickets = new TicketStore(opts.redis, keys, config.RESIDENT_TTL_SECONDS);
  const chats = new ChatStore(opts.redis, keys, config.RESIDENT_TTL_SECONDS);
  const shift = new ShiftStore(opts.redis, keys);
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
  const base = { prefix };
  const now = () => opts.clock.now();
  // Queues of jobs that a purge must cancel (they name the ticket or chat).
  const removable = new Map<string, Queue>([
    [QUEUE_NAMES.noReply, new Queue(QUEUE_NAMES.noReply, { ...base, connection: conn(), streams: QUEUE_STREAM_OPTIONS })],
    [QUEUE_NAMES.residentGone, new Queue(QUEUE_NAMES.residentGone, { ...base, connection: conn(), streams: QUEUE_STREAM_OPTIONS })],
  ]);
  const remote: RemoteEnd = { tickets, shift, redis: opts.redis, keys, emitter, queues: removable, now };
  const policy = new PolicyStore(opts.store, config.STORE_PREFIX, policyDefaults(config));
  const requeuer: Requeuer = { chats, tickets, redis: opts.redis, keys, emitter, now };
  const workers: [string, Worker][] = [
    [
      QUEUE_NAMES.triage,
      new Worker(QUEUE_NAMES.triage, triageProcessor(tickets, emitter, opts.redis, keys, now), {
        ...base,
        connection: conn(),
        concurrency: 16,
      }),
    ],
    [
      QUEUE_NAMES.residentGone,
      new Worker(QUEUE_NAMES.residentGone, residentGoneProcessor(remote), { ...base, connection: conn(), concurrency: 8 }),
    ],
    [QUEUE_NAMES.noReply, new Worker(QUEUE_NAMES.noReply, noReplyProcessor(requeuer), { ...base, connection: conn(), concurrency: 8 })],
    [
      QUEUE_NAMES.counsellorGone,
      new Worker(QUEUE_NAMES.counsellorGone, counsellorGoneProcessor(requeuer, shift), { ...base, connection: conn() }),
    ],
  ];
  const repeatable: { name: string; processor: Processor; everySeconds: number }[] = [
    {
      name: QUEUE_NAMES.sweeper,
      processor: sweeperProcessor(remote, config.RESIDENT_GRACE_SECONDS * 1000, { requeuer, counsellorGraceMs: config.COUNSELLOR_GRACE_SECONDS * 1000 }),
      everySeconds: config.SWEEP_INTERVAL_SECONDS,
    },
    { name: QUEUE_NAMES.aging, processor: agingProcessor(tickets, emitter, opts.clock, policy), everySeconds: config.AGING_CHECK_SECONDS },
    {
      name: QUEUE_NAMES.rollup,
      processor: rollupProcessor(opts.redis, keys, opts.store, config.STORE_PREFIX, config.AGGREGATE_RETENTION_DAYS, {}, policy),
      everySeconds: config.ROLLUP_INTERVAL_SECONDS,
    },
    ...(opts.extra ?? []),
  ];
  const schedulers: Queue[] = [];
  for (const r of repeatable) {
    workers.push([r.name, new Worker(r.name, r.processor, { ...base, connection: conn() })]);
    const q = new Queue(r.name, { ...base, connection: conn(), streams: QUEUE_STREAM_OPTIONS });
    await q.upsertJobScheduler(r.name, { every: r.everySeconds * 1000 }, { name: r.name, opts: EPHEMERAL_JOB_OPTIONS });
    schedulers.push(q);
  }
  for (const [name, w] of workers) {
    w.on('error', (err) => opts.onError?.(name, err));
    w.on('failed', (_job, err) => opts.onError?.(name, err));
  }
  // A finished job's payload (which names a ticket or chat) goes with it, not only when its TTL runs out.
  for (const [, w] of workers.slice(0, 4)) {
    const drop = (job: { id?: string } | undefined) => {
      if (job?.id) void deleteJobPayload(opts.redis, keys, job.id).catch(() => undefined);
    };
    w.on('completed', drop);
    // Only once it will not be retried.
    w.on('failed', (job) => {
      if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) drop(job);
    });
  }
  return {
    async close() {
      await Promise.allSettled([
        ...workers.map(([, w]) => w.close()),
        ...schedulers.map((q) => q.close()),
        ...[...removable.values()].map((q) => q.close()),
      ]);
      await Promise.allSettled([emitterClient, ...raw].map((c) => (c.isOpen ? c.close() : Promise.resolve())));
    },
  };
}
