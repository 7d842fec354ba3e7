// Pushes each association's live board to its supervisors room, computed once per period for the whole
// cluster. A node takes part only while its own share of the room is non-empty (Socket.IO's adapter tells it
// when the room appears and disappears), so a supervisor handler only has to join `rooms.supervisors(a)`.
// Periods are wall-clock slots of BOARD_INTERVAL_MS; in each slot the first node to take the slot's Redis lock
// (SET NX) computes and emits through the adapter to every node's supervisors, the others do nothing.
import { randomBytes } from 'node:crypto';
import { ASSOCIATIONS, boardSnapshotSchema, type Association, type BoardSnapshot } from '../../protocol/index.ts';
import type { Clock } from '../../store/clock.ts';
import type { HelpdeskIo } from '../helpdesk-io.ts';
import type { Logger } from '../logger.ts';
import { rooms } from '../socket/rooms.ts';
import { computeBoardSnapshot, type BoardSources } from './board-snapshot.ts';

export interface BoardPublisherDeps {
  io: HelpdeskIo;
  clock: Clock;
  logger: Logger;
  sources: BoardSources;
  /** Called after each snapshot this node computed for its supervisors (metrics). */
  onComputed?: (association: Association, ms: number) => void;
}

const ROOM_PREFIX = rooms.supervisors('');

export class BoardPublisher {
  private readonly watched = new Set<Association>();
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private closed = false;
  private readonly token = randomBytes(9).toString('base64url');
  /** Snapshots this node computed for the room (not counting `current()`); the tests count them per node. */
  computations = 0;
  private readonly onCreate = (room: string) => this.roomChanged(room, true);
  private readonly onDelete = (room: string) => this.roomChanged(room, false);

  constructor(private readonly deps: BoardPublisherDeps) {
    const adapter = deps.io.of('/').adapter;
    adapter.on('create-room', this.onCreate);
    adapter.on('delete-room', this.onDelete);
  }

  get intervalMs(): number {
    return this.deps.sources.intervalMs;
  }

  /** Associations whose supervisors room has a socket on this node. */
  watching(): Association[] {
    return [...this.watched];
  }

  /**
   * The board now, for a supervisor who just joined (her join acknowledgement): the last snapshot pushed if
   * it is fresh, else computed on the spot (not pushed, so the other watchers' period is not disturbed).
   */
  async current(association: Association): Promise<BoardSnapshot> {
    const { redis, keys } = this.deps.sources;
    const raw = await redis.get(keys.board(association));
    if (raw) {
      const parsed = boardSnapshotSchema.safeParse(JSON.parse(raw));
      if (parsed.success && this.deps.clock.now() - parsed.data.at <= 2 * this.intervalMs) return parsed.data;
    }
    return computeBoardSnapshot(this.deps.sources, association, this.deps.clock.now());
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const adapter = this.deps.io.of('/').adapter;
    adapter.off('create-room', this.onCreate);
    adapter.off('delete-room', this.onDelete);
  }

  private roomChanged(room: string, present: boolean): void {
    if (!room.startsWith(ROOM_PREFIX)) return;
    const association = ASSOCIATIONS.find((a) => rooms.supervisors(a) === room);
    if (!association) return;
    if (present) this.watched.add(association);
    else this.watched.delete(association);
    if (this.watched.size > 0) this.schedule();
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Wakes at the next slot boundary; slots are shared by every node through the wall clock. */
  private schedule(): void {
    if (this.timer || this.closed || this.watched.size === 0) return;
    const interval = this.intervalMs;
    // A timer that fired a hair early must not wake again for the same slot.
    let delay = interval - (Date.now() % interval);
    if (delay < interval / 4) delay += interval;
    this.timer = setTimeout(() => {
      this.timer = null;
      const slot = Math.round(Date.now() / interval);
      if (!this.busy) {
        this.busy = true;
        this.tick(slot)
          .catch((err: unknown) => this.deps.logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'board update failed'))
          .finally(() => {
            this.busy = false;
          });
      }
      this.schedule();
    }, delay);
    this.timer.unref();
  }

  private async tick(slot: number): Promise<void> {
    const { redis, keys } = this.deps.sources;
    const interval = this.intervalMs;
    for (const association of [...this.watched]) {
      const won = await redis.set(keys.boardLock(association, slot), this.token, {
        condition: 'NX',
        expiration: { type: 'PX', value: 2 * interval },
      });
      if (won === null || this.closed) continue;
      const t0 = performance.now();
      const snapshot = await computeBoardSnapshot(this.deps.sources, association, this.deps.clock.now());
      this.computations++;
      await redis.set(keys.board(association), JSON.stringify(snapshot), { expiration: { type: 'PX', value: 5 * interval } });
      // Through the adapter: every node's supervisors of this association get this one snapshot.
      this.deps.io.to(rooms.supervisors(association)).emit('board:snapshot', snapshot);
      this.deps.onComputed?.(association, performance.now() - t0);
    }
  }
}
