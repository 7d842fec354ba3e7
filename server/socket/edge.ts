// The edge of every socket event: role check, rate limit, zod parse, and a typed `{ ok, data | error }`
// acknowledgement. Handlers never see unparsed input and never crash the process on bad input.
import type { Socket } from 'socket.io';
import type { z } from 'zod';
import {
  clientEventSchemas,
  errorBody,
  eventRoles,
  isErrorCode,
  ProtocolError,
  type AckResult,
  type ClientEventName,
  type ClientToServerEvents,
  type InterServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '../../protocol/index.ts';
import { ScriptError } from '../../store/scripts.ts';
import type { Logger } from '../logger.ts';
import type { TokenBucket } from './rate-limiter.ts';

export type HelpdeskSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

type Payload<E extends ClientEventName> = z.infer<(typeof clientEventSchemas)[E]>;
type AckData<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends (r: AckResult<infer T>) => void ? T : never;

export type Handler<E extends ClientEventName> = (payload: Payload<E>, socket: HelpdeskSocket) => Promise<AckData<E>>;

/** Turns anything thrown by a handler into an error body; unknown errors are logged without any payload. */
export function toErrorBody(err: unknown, logger: Logger, event: string) {
  if (err instanceof ProtocolError) return errorBody(err.code, err.message);
  if (err instanceof ScriptError && isErrorCode(err.code)) return errorBody(err.code);
  logger.error({ event, err: err instanceof Error ? { name: err.name, message: err.message } : 'non-error thrown' }, 'handler failed');
  return errorBody('INTERNAL');
}

/** Sees every acknowledgement a node's edge sends: its metrics count errors by code and relayed messages. */
export type EdgeObserver = (event: string, socket: HelpdeskSocket, result: AckResult<unknown>) => void;
// Keyed by the node's Socket.IO server, so two nodes in one process (the tests) each see only their own sockets.
const observers = new WeakMap<object, EdgeObserver>();

export function observeEdge(io: object, observer: EdgeObserver | null): void {
  if (observer) observers.set(io, observer);
  else observers.delete(io);
}

/** For edges outside this file (the supervisor's events): report an acknowledgement to the node's observer. */
export function observeReply(socket: HelpdeskSocket, event: string, result: AckResult<unknown>): void {
  observers.get(socket.nsp.server)?.(event, socket, result);
}

/** Per Socket.IO server (tests run two nodes in one process): who hears about refused role checks (the audit log). */
const forbiddenHooks = new WeakMap<object, (socket: HelpdeskSocket, event: string) => void>();

export function onForbiddenAttempt(io: object, hook: (socket: HelpdeskSocket, event: string) => void): void {
  forbiddenHooks.set(io, hook);
}

export function on<E extends ClientEventName>(
  socket: HelpdeskSocket,
  event: E,
  bucket: TokenBucket,
  logger: Logger,
  handler: Handler<E>,
): void {
  const allowed = eventRoles[event];
  listen(
    socket,
    event,
    clientEventSchemas[event],
    bucket,
    logger,
    (role) => {
      const permitted = allowed === 'both' ? role === 'resident' || role === 'counsellor' : role === allowed;
      if (permitted) return null;
      return role === 'supervisor' ? 'Supervisors see no chats, residents or messages.' : undefined;
    },
    (payload) => handler(payload as Payload<E>, socket),
  );
}

/**
 * The one edge of every event, typed or not: rate limit, role check (`refuse` answers null to let the role
 * through, else the FORBIDDEN message, or undefined for the default; refusals reach the forbidden hook, which
 * audits them), zod parse with a message naming the fields, then the handler, every outcome acknowledged once
 * and reported to the node's observer (metrics).
 */
export function listen(
  socket: HelpdeskSocket,
  event: string,
  schema: z.ZodType,
  bucket: TokenBucket,
  logger: Logger,
  refuse: (role: HelpdeskSocket['data']['role']) => string | undefined | null,
  handler: (payload: unknown) => Promise<unknown>,
): void {
  (socket.on as (ev: string, fn: (...args: unknown[]) => void) => void)(event, (...args: unknown[]) => {
    const last = args[args.length - 1];
    const ack = typeof last === 'function' ? (last as (r: AckResult<unknown>) => void) : () => undefined;
    const reply = (r: AckResult<unknown>) => {
      observers.get(socket.nsp.server)?.(event, socket, r);
      try {
        ack(r);
      } catch {
        // a client-side ack cannot throw into us; guard anyway
      }
    };
    if (!bucket.take()) return reply({ ok: false, error: errorBody('RATE_LIMITED') });
    const refusal = refuse(socket.data.role);
    if (refusal !== null) {
      forbiddenHooks.get(socket.nsp.server)?.(socket, event);
      return reply({ ok: false, error: errorBody('FORBIDDEN', refusal) });
    }
    const parsed = schema.safeParse(args[0]);
    if (args.length > 2 || !parsed.success) {
      const detail = parsed.success
        ? 'unexpected extra arguments'
        : parsed.error.issues
            .slice(0, 3)
            .map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`)
            .join('; ');
      return reply({ ok: false, error: errorBody('BAD_REQUEST', `Invalid ${event}: ${detail}`) });
    }
    handler(parsed.data).then(
      (data) => reply({ ok: true, data }),
      (err: unknown) => reply({ ok: false, error: toErrorBody(err, logger, event) }),
    );
  });
}
