// What every socket handler needs, assembled once by the composition root.
import type { Queue } from 'bullmq';
import type { ChatStore } from '../store/chats.ts';
import type { Clock } from '../store/clock.ts';
import type { KeySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import type { ShiftStore } from '../store/shift.ts';
import type { TicketStore } from '../store/tickets.ts';
import type { AccountStore } from './accounts/account-store.ts';
import type { Config } from './config.ts';
import type { HelpdeskIo } from './helpdesk-io.ts';
import type { LineBroadcaster } from './line-broadcaster.ts';
import type { BoardPublisher } from './board/board-publisher.ts';
import type { Logger } from './logger.ts';
import type { PolicyService } from './policy.ts';
import type { SupervisionStore } from './accounts/supervision-store.ts';

export type { HelpdeskIo };

export interface ServerContext {
  io: HelpdeskIo;
  config: Config;
  clock: Clock;
  logger: Logger;
  tickets: TicketStore;
  chats: ChatStore;
  accounts: AccountStore;
  line: LineBroadcaster;
  shift: ShiftStore;
  /** Associations' policies (durable, read on every use so changes apply at once). */
  policy: PolicyService;
  /** Supervisors' wrapped signing keys and associations' signed revocation lists (durable). */
  supervision: SupervisionStore;
  /** The durable store (accounts, aggregates, policy): never resident data. */
  durable: Redis;
  /** The supervisors' live board: a supervisor handler joins `rooms.supervisors(a)` and acks with `board.current(a)`. */
  board: BoardPublisher;
  /** The ephemeral Redis and its key space, for the few things outside the stores (anonymous counts). */
  redis: Redis;
  keys: KeySpace;
  queues: { gone: Queue; triage: Queue; noReply: Queue; counsellorGone: Queue };
  /** Runs work that outlives an event (disconnect handling); close() waits for it before closing Redis. */
  background(task: () => Promise<unknown>): void;
}
