// Composition root: builds one server node from injected dependencies (Redis clients, clock, config,
// logger), so tests start real nodes on port 0 with a private Redis and the app starts the same way.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { createNodeRedisClient, Queue } from 'bullmq';
import { Server } from 'socket.io';
import { errorBody, MAX_HTTP_BUFFER_BYTES, supervisorEventSchemas } from '../protocol/index.ts';
import { ChatStore } from '../store/chats.ts';
import { systemClock, type Clock } from '../store/clock.ts';
import { QUEUE_NAMES, QUEUE_STREAM_OPTIONS } from '../store/jobs.ts';
import { keySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import { ShiftStore, SHIFT_STALE_MS } from '../store/shift.ts';
import { TicketStore } from '../store/tickets.ts';
import { PolicyStore, policyDefaults } from '../store/policy.ts';
import { PolicyService } from './policy.ts';
import { SupervisionStore } from './accounts/supervision-store.ts';
import { AccountStore } from './accounts/account-store.ts';
import { SignInThrottle } from './accounts/lockout.ts';
import type { Config } from './config.ts';
import type { HelpdeskIo, ServerContext } from './context.ts';
import { createHttpApp } from './http/app.ts';
import { endVisit } from './end-visit.ts';
import { LineBroadcaster } from './line-broadcaster.ts';
import { BoardPublisher } from './board/board-publisher.ts';
import { computeBoardSnapshot, type BoardSources } from './board/board-snapshot.ts';
import { resetSecondFactor } from './accounts/enrolment.ts';
import { LevelSampler } from './supervisor/level-sampler.ts';
import { auditForbidden, registerSupervisorHandlers, type SupervisorDeps } from './supervisor/supervisor-handlers.ts';
import { observeReply, onForbiddenAttempt } from './socket/edge.ts';
import { ProfileCache } from './board/profile-cache.ts';
import { boardThresholds } from './board/thresholds.ts';
import { HelpdeskMetrics } from './metrics/helpdesk-metrics.ts';
import { createMetricsServer, type MetricsServer } from './metrics/metrics-server.ts';
import { autoAssign } from './auto-assigner.ts';
import { onCounsellorConnected, putOnShift } from './socket/counsellor-presence.ts';
import { rooms } from './socket/rooms.ts';
import type { Logger } from './logger.ts';
import { authenticate, originAllowed } from './socket/authenticate.ts';
import { registerChatHandlers } from './socket/chat-handlers.ts';
import { registerCounsellorHandlers } from './socket/counsellor-handlers.ts';
import { TokenBucket } from './socket/rate-limiter.ts';
import { registerResidentHandlers } from './socket/resident-handlers.ts';
import { registerTransferHandlers } from './socket/transfer-handlers.ts';

export interface HelpdeskDeps {
  /** Ephemeral Redis (persistence off): resident data, BullMQ, Socket.IO adapter. */
  redis: Redis;
  /** Durable Redis: accounts, association keys, audit. Never resident data. */
  store: Redis;
  config: Config;
  logger: Logger;
  clock?: Clock;
  clientDir: string;
}

export interface Helpdesk {
  http: HttpServer;
  io: HelpdeskIo;
  ctx: ServerContext;
  /** The supervisors' live board (server/board/). */
  board: BoardPublisher;
  /** The Prometheus endpoint, when METRICS_PORT is set; `listen()` starts it too. */
  metrics: MetricsServer | null;
  /** Listens on config.HOST:config.PORT (0 = any free port) and returns the port. */
  listen(): Promise<number>;
  close(): Promise<void>;
}

export async function createHelpdesk(deps: HelpdeskDeps): Promise<Helpdesk> {
  const { config, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const keys = keySpace(config.KEY_PREFIX);
  const accounts = new AccountStore(deps.store, config.STORE_PREFIX);
  const tickets = new TicketStore(deps.redis, keys, config.RESIDENT_TTL_SECONDS);
  const chats = new ChatStore(deps.redis, keys, config.RESIDENT_TTL_SECONDS);

  const pub = deps.redis.duplicate();
  const sub = deps.redis.duplicate();
  const bullClient = deps.redis.duplicate();
  for (const c of [pub, sub, bullClient]) c.on('error', () => undefined);
  await Promise.all([pub.connect(), sub.connect()]);
  const queueOptions = { connection: createNodeRedisClient(bullClient) as never, prefix: keys.bull(), streams: QUEUE_STREAM_OPTIONS };
  const queues = {
    gone: new Queue(QUEUE_NAMES.residentGone, queueOptions),
    triage: new Queue(QUEUE_NAMES.triage, queueOptions),
    noReply: new Queue(QUEUE_NAMES.noReply, queueOptions),
    counsellorGone: new Queue(QUEUE_NAMES.counsellorGone, queueOptions),
  };
  const shift = new ShiftStore(deps.redis, keys);
  const supervision = new SupervisionStore(deps.store, config.STORE_PREFIX);
  const policy = new PolicyService(
    new PolicyStore(deps.store, config.STORE_PREFIX, policyDefaults(config)),
    accounts,
    deps.store,
    config.STORE_PREFIX,
  );

  const decoySecret = await decoySecretOf(deps.store, config.STORE_PREFIX);
  const app = createHttpApp({
    accounts,
    clock,
    logger,
    sessionIdleSeconds: config.SESSION_IDLE_SECONDS,
    decoySecret,
    publicOrigin: config.PUBLIC_ORIGIN,
    clientDir: deps.clientDir,
    ready: async () => (await deps.redis.ping()) === 'PONG' && (await deps.store.ping()) === 'PONG',
    endSession: (hash) => io.in(rooms.session(hash)).disconnectSockets(true),
    throttle: new SignInThrottle(deps.store, config.STORE_PREFIX, clock),
    residentLeave: async (token, reason) => {
      const ticketId = await tickets.ticketForResumeToken(token);
      if (ticketId) await endVisit(ctx, ticketId, reason === 'exit' ? 'resident-exit' : 'resident-ended');
    },
  });
  const http =
    config.TLS_CERT_FILE && config.TLS_KEY_FILE
      ? (createHttps({ cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) }, app) as unknown as HttpServer)
      : createHttp(app);

  const io: HelpdeskIo = new Server(http, {
    serveClient: false,
    transports: ['websocket'],
    maxHttpBufferSize: MAX_HTTP_BUFFER_BYTES,
    pingInterval: 10_000,
    pingTimeout: 10_000,
    allowRequest: (req, cb) => cb(null, originAllowed(req.headers.origin, req.headers.host, config.PUBLIC_ORIGIN)),
    adapter: createAdapter(pub, sub, { key: keys.adapter() }),
  });

  // Automatic assignment runs after each line flush; `ctx` exists by the time the first flush happens.
  const line = new LineBroadcaster(io, tickets, shift, clock, config.MAX_LINE_LENGTH, logger, 150, (entries, onShift) =>
    autoAssign(ctx, entries, onShift),
  );
  const pending = new Set<Promise<unknown>>();
  let closing = false;
  const background = (task: () => Promise<unknown>) => {
    if (closing) return;
    const p: Promise<unknown> = task()
      .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'background task failed'))
      .finally(() => pending.delete(p));
    pending.add(p);
  };
  // The supervisors' board runs only while a supervisors room has a socket on this node (see BoardPublisher).
  const profiles = new ProfileCache(accounts);
  const boardSources: BoardSources = {
    redis: deps.redis,
    keys,
    tickets,
    shift,
    chats,
    profileOf: (id) => profiles.get(id),
    thresholds: () => boardThresholds(config),
    intervalMs: config.BOARD_INTERVAL_MS,
  };
  const board: BoardPublisher = new BoardPublisher({
    io,
    clock,
    logger,
    sources: boardSources,
    onComputed: (a, ms) => metrics?.boardComputed(a, ms),
  });
  const metrics =
    config.METRICS_PORT === undefined
      ? null
      : new HelpdeskMetrics({
          io,
          redis: deps.redis,
          store: deps.store,
          clock,
          tickets,
          shift,
          chats,
          queues: Object.fromEntries(Object.values(queues).map((q) => [q.name, q])),
        });
  const metricsServer = metrics
    ? createMetricsServer({
        host: config.METRICS_HOST,
        port: config.METRICS_PORT ?? 0,
        token: config.METRICS_TOKEN,
        text: () => metrics.text(),
        contentType: metrics.contentType,
        logger,
      })
    : null;
  const ctx: ServerContext = {
    io,
    config,
    clock,
    logger,
    tickets,
    chats,
    accounts,
    line,
    queues,
    shift,
    policy,
    supervision,
    durable: deps.store,
    background,
    board,
    redis: deps.redis,
    keys,
  };

  // One sample a minute of waiting and active per association, for the supervisors' chart (one node writes it).
  const levels = new LevelSampler(
    deps.redis,
    keys,
    clock,
    {
      levels: async (a, now) => {
        const s = await computeBoardSnapshot(boardSources, a, now);
        return { waiting: s.waiting.total, active: s.activeChats };
      },
    },
    logger,
  );
  const supervisorDeps: SupervisorDeps = {
    board,
    levels,
    origin: (socket) =>
      config.PUBLIC_ORIGIN ??
      `${socket.handshake.secure ? 'https' : 'http'}://${socket.handshake.headers.host ?? `${config.HOST}:${config.PORT}`}`,
    endSessions: async (accountId) => {
      for (const hash of await accounts.endSessions(accountId, null)) io.in(rooms.session(hash)).disconnectSockets(true);
      io.in(rooms.counsellor(accountId)).disconnectSockets(true);
    },
    resetSecondFactor: (account) => resetSecondFactor(accounts, account),
  };
  // Role checks refused at the edge (a supervisor asking for a chat, a counsellor for the board) are audited.
  onForbiddenAttempt(io, (socket, event) => auditForbidden(ctx, socket, event));

  io.use(authenticate(accounts, config.SESSION_IDLE_SECONDS));
  io.use(putOnShift(ctx));
  io.on('connection', (socket) => {
    // Bursts of up to three seconds' worth of events are allowed; a counsellor juggles several chats.
    const rate = socket.data.role === 'resident' ? config.RESIDENT_EVENTS_PER_SECOND : config.COUNSELLOR_EVENTS_PER_SECOND;
    const bucket = new TokenBucket(rate, rate * 3, () => clock.now());
    if (socket.data.role === 'counsellor') onCounsellorConnected(ctx, socket);
    // Every handler is registered on every socket; the edge answers FORBIDDEN to the wrong role.
    registerResidentHandlers(ctx, socket, bucket);
    registerCounsellorHandlers(ctx, socket, bucket);
    registerChatHandlers(ctx, socket, bucket);
    registerTransferHandlers(ctx, socket, bucket);
    // Only supervisors carry the supervisor handlers (the memory of every idle resident socket counts); anyone
    // else sending a supervisor event is refused and audited below.
    if (socket.data.role === 'supervisor') registerSupervisorHandlers(ctx, socket, bucket, supervisorDeps);
    // Unknown events get a clear answer instead of silence, and change nothing.
    socket.onAny((event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && (socket.listeners as (e: string) => unknown[])(event).length > 0) return;
      const ack = args[args.length - 1];
      if (typeof event === 'string' && Object.hasOwn(supervisorEventSchemas, event)) {
        if (!bucket.take()) {
          if (typeof ack === 'function') ack({ ok: false, error: errorBody('RATE_LIMITED') });
          return;
        }
        auditForbidden(ctx, socket, event);
        const refusal = { ok: false as const, error: errorBody('FORBIDDEN', 'Only supervisors may do this.') };
        observeReply(socket, event, refusal);
        if (typeof ack === 'function') ack(refusal);
        return;
      }
      if (typeof ack === 'function') ack({ ok: false, error: { code: 'BAD_REQUEST', message: 'Unknown event.' } });
    });
  });

  // Keeps this node's counsellors on shift; a node that dies stops beating and its counsellors drop off.
  const heartbeat = setInterval(() => {
    const ids = new Set<string>();
    for (const s of io.of('/').sockets.values()) if (s.data.role === 'counsellor') ids.add(s.data.counsellorId);
    background(() => shift.heartbeat([...ids], clock.now()));
  }, SHIFT_STALE_MS / 3);
  heartbeat.unref();

  return {
    http,
    io,
    ctx,
    board,
    metrics: metricsServer,
    listen: async () => {
      const port = await new Promise<number>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.PORT, config.HOST, () => resolve((http.address() as AddressInfo).port));
      });
      await metricsServer?.listen();
      levels.start();
      return port;
    },
    async close() {
      line.close();
      board.close();
      levels.stop();
      metrics?.close();
      await metricsServer?.close();
      io.local.disconnectSockets(true);
      await Promise.allSettled([...pending]);
      closing = true;
      await new Promise<void>((r) => io.close(() => r()));
      clearInterval(heartbeat);
      await Promise.allSettled(Object.values(queues).map((q) => q.close()));
      await Promise.allSettled([pub.close(), sub.close(), bullClient.isOpen ? bullClient.close() : Promise.resolve()]);
    },
  };
}

async function decoySecretOf(store: Redis, prefix: string): Promise<Uint8Array> {
  const key = `${prefix}decoy-secret`;
  await store.set(key, randomBytes(32).toString('base64url'), { condition: 'NX' });
  return Buffer.from((await store.get(key)) ?? '', 'base64url');
}
