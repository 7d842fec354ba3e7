// The operators' Prometheus metrics of one node. Labels come only from closed lists (association, urgency
// class, role, refusal reason, error code, counsellor state, job queue and state, which Redis): nothing names
// or singles out a person. Two kinds of figure:
//   - this node's: counters of what its edge answered and what it recorded, connected sockets, Redis
//     round-trip, the process's own (event-loop lag, CPU, heap, GC: prom-client's default metrics);
//   - the cluster's, read from the shared Redis at scrape time (line, waits, chats, counsellors, job
//     queues): every node reports the same values, so aggregate them with max(), not sum().
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import { ASSOCIATIONS, ERROR_CODES, type Association, type AssociationChoice } from '../../protocol/index.ts';
import { tapAggregates } from '../../store/aggregates.ts';
import type { ChatStore } from '../../store/chats.ts';
import type { Clock } from '../../store/clock.ts';
import type { Redis } from '../../store/redis.ts';
import type { ShiftStore } from '../../store/shift.ts';
import type { TicketStore } from '../../store/tickets.ts';
import { stateOf } from '../board/board-snapshot.ts';
import type { HelpdeskIo } from '../helpdesk-io.ts';
import { observeEdge } from '../socket/edge.ts';

const CHOICES: readonly AssociationChoice[] = [...ASSOCIATIONS, 'either'];
const URGENCIES = ['1', '2', '3'] as const;
const ROLES = ['resident', 'counsellor', 'supervisor'] as const;
const STATES = ['available', 'busy', 'away', 'offline'] as const;
const JOB_STATES = ['wait', 'delayed', 'active', 'failed'] as const;
const PING_EVERY_MS = 5_000;
/** One scrape reads the cluster's figures once for all the gauges that show them. */
const FIGURES_FRESH_MS = 500;

export interface MetricsSources {
  io: HelpdeskIo;
  /** Ephemeral and durable Redis: pinged for the round-trip histogram. The ephemeral one also carries the aggregate tap. */
  redis: Redis;
  store: Redis;
  clock: Clock;
  tickets: Pick<TicketStore, 'waiting'>;
  shift: Pick<ShiftStore, 'onShift' | 'offShift'>;
  chats: Pick<ChatStore, 'chatsOf'>;
  /** This node's BullMQ queues, by queue name. */
  queues: Record<string, Pick<Queue, 'getJobCounts'>>;
}

interface ClusterFigures {
  waiting: Map<string, number>;
  oldestSeconds: Map<AssociationChoice, number>;
  counsellors: Map<string, number>;
  activeChats: Map<Association, number>;
}

export class HelpdeskMetrics {
  readonly registry = new Registry();
  private readonly pingTimer: NodeJS.Timeout;
  private figures: { at: number; value: Promise<ClusterFigures> } | null = null;
  private readonly boardSeconds: Histogram<'association'>;

  constructor(private readonly src: MetricsSources) {
    const register = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    const messages = new Counter({
      name: 'helpdesk_messages_relayed_total',
      help: 'Encrypted messages accepted for relay by this node, by sender role.',
      labelNames: ['role'],
      registers: register,
    });
    const errors = new Counter({
      name: 'helpdesk_socket_errors_total',
      help: 'Socket events this node answered with an error, by error code and role.',
      labelNames: ['code', 'role'],
      registers: register,
    });
    const claims = new Counter({
      name: 'helpdesk_claims_total',
      help: "Residents taken by a counsellor on this node (manual or automatic), by the counsellor's association.",
      labelNames: ['association'],
      registers: register,
    });
    const refusals = new Counter({
      name: 'helpdesk_refusals_total',
      help: 'Residents turned away by this node, by her association choice and reason (full, closed, nobody).',
      labelNames: ['association', 'reason'],
      registers: register,
    });
    this.boardSeconds = new Histogram({
      name: 'helpdesk_board_compute_seconds',
      help: 'Time to compute one supervisor board snapshot on this node.',
      labelNames: ['association'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: register,
    });
    for (const role of ROLES) messages.inc({ role }, 0);
    for (const a of ASSOCIATIONS) claims.inc({ association: a }, 0);

    observeEdge(src.io, (event, socket, r) => {
      const role = socket.data.role;
      if (!r.ok) {
        errors.inc({ code: r.error.code in ERROR_CODES ? r.error.code : 'INTERNAL', role });
        return;
      }
      if (event === 'chat:send' && !(r.data as { duplicate?: boolean }).duplicate) messages.inc({ role });
    });
    tapAggregates(src.redis, (e) => {
      if (e.kind === 'answered') claims.inc({ association: e.association });
      else if (e.kind === 'refused') refusals.inc({ association: e.association, reason: e.reason });
    });

    new Gauge({
      name: 'helpdesk_connected_sockets',
      help: 'Socket.IO connections open on this node, by role.',
      labelNames: ['role'],
      registers: register,
      collect() {
        const n: Record<string, number> = Object.fromEntries(ROLES.map((r) => [r, 0]));
        for (const s of src.io.of('/').sockets.values()) n[s.data.role] = (n[s.data.role] ?? 0) + 1;
        for (const [role, v] of Object.entries(n)) this.set({ role }, v);
      },
    });

    const cluster = () => this.clusterFigures();
    new Gauge({
      name: 'helpdesk_waiting',
      help: 'Residents in the line (cluster-wide), by her association choice and current urgency class.',
      labelNames: ['association', 'urgency'],
      registers: register,
      async collect() {
        for (const [k, v] of (await cluster()).waiting) {
          const [association, urgency] = k.split('|') as [string, string];
          this.set({ association, urgency }, v);
        }
      },
    });
    new Gauge({
      name: 'helpdesk_oldest_wait_seconds',
      help: 'Longest current wait in the line (cluster-wide), by association choice; 0 when nobody waits.',
      labelNames: ['association'],
      registers: register,
      async collect() {
        for (const [association, v] of (await cluster()).oldestSeconds) this.set({ association }, v);
      },
    });
    new Gauge({
      name: 'helpdesk_active_chats',
      help: "Chats claimed or active (cluster-wide), by the counsellor's association.",
      labelNames: ['association'],
      registers: register,
      async collect() {
        for (const [association, v] of (await cluster()).activeChats) this.set({ association }, v);
      },
    });
    new Gauge({
      name: 'helpdesk_counsellors',
      help: 'Counsellors (cluster-wide) by association and state: available, busy (at capacity), away, offline (left within 12 h).',
      labelNames: ['association', 'state'],
      registers: register,
      async collect() {
        for (const [k, v] of (await cluster()).counsellors) {
          const [association, state] = k.split('|') as [string, string];
          this.set({ association, state }, v);
        }
      },
    });
    new Gauge({
      name: 'helpdesk_jobs',
      help: "BullMQ jobs of this node's queues (shared by the cluster), by queue and state.",
      labelNames: ['queue', 'state'],
      registers: register,
      async collect() {
        await Promise.all(
          Object.entries(src.queues).map(async ([queue, q]) => {
            const counts = await q.getJobCounts(...JOB_STATES);
            for (const state of JOB_STATES) this.set({ queue, state }, counts[state] ?? 0);
          }),
        );
      },
    });

    const ping = new Histogram({
      name: 'helpdesk_redis_ping_seconds',
      help: 'Round trip of a PING from this node, every 5 s, to the ephemeral and the durable Redis.',
      labelNames: ['redis'],
      buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: register,
    });
    const pingFailures = new Counter({
      name: 'helpdesk_redis_ping_failures_total',
      help: 'PINGs from this node that failed.',
      labelNames: ['redis'],
      registers: register,
    });
    const pingAll = () => {
      for (const [name, client] of [
        ['ephemeral', src.redis],
        ['durable', src.store],
      ] as const) {
        const end = ping.startTimer({ redis: name });
        client.ping().then(
          () => end(),
          () => pingFailures.inc({ redis: name }),
        );
      }
    };
    pingAll();
    this.pingTimer = setInterval(pingAll, PING_EVERY_MS);
    this.pingTimer.unref();
  }

  /** The board publisher reports each snapshot it computed. */
  boardComputed(association: Association, ms: number): void {
    this.boardSeconds.observe({ association }, ms / 1000);
  }

  /** The exposition text (Prometheus text format 0.0.4). */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    clearInterval(this.pingTimer);
    observeEdge(this.src.io, null);
    tapAggregates(this.src.redis, null);
    this.registry.clear();
  }

  private clusterFigures(): Promise<ClusterFigures> {
    const now = Date.now();
    if (this.figures && now - this.figures.at < FIGURES_FRESH_MS) return this.figures.value;
    const value = this.readCluster();
    this.figures = { at: now, value };
    value.catch(() => (this.figures = null));
    return value;
  }

  private async readCluster(): Promise<ClusterFigures> {
    const now = this.src.clock.now();
    const [line, onShift, ...off] = await Promise.all([
      this.src.tickets.waiting(),
      this.src.shift.onShift(now),
      ...ASSOCIATIONS.map((a) => this.src.shift.offShift(a, now)),
    ]);
    const waiting = new Map<string, number>();
    const oldest = new Map<AssociationChoice, number>();
    for (const a of CHOICES) {
      for (const u of URGENCIES) waiting.set(`${a}|${u}`, 0);
      oldest.set(a, 0);
    }
    for (const t of line) {
      const k = `${t.entry.association}|${t.entry.urgency}`;
      waiting.set(k, (waiting.get(k) ?? 0) + 1);
      oldest.set(t.entry.association, Math.max(oldest.get(t.entry.association) ?? 0, (now - t.entry.waitingSince) / 1000));
    }
    const counsellors = new Map<string, number>();
    const activeChats = new Map<Association, number>();
    for (const a of ASSOCIATIONS) {
      for (const s of STATES) counsellors.set(`${a}|${s}`, 0);
      activeChats.set(a, 0);
    }
    const onIds = new Set(onShift.map((c) => c.counsellorId));
    for (const c of onShift) {
      const k = `${c.association}|${stateOf(c)}`;
      counsellors.set(k, (counsellors.get(k) ?? 0) + 1);
      activeChats.set(c.association, (activeChats.get(c.association) ?? 0) + c.load);
    }
    await Promise.all(
      ASSOCIATIONS.map(async (a, i) => {
        for (const o of off[i] ?? []) {
          if (onIds.has(o.counsellorId)) continue;
          counsellors.set(`${a}|offline`, (counsellors.get(`${a}|offline`) ?? 0) + 1);
          activeChats.set(a, (activeChats.get(a) ?? 0) + (await this.src.chats.chatsOf(o.counsellorId)).length);
        }
      }),
    );
    return { waiting, oldestSeconds: oldest, counsellors, activeChats };
  }
}
