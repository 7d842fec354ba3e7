// Pushes the waiting line to counsellors and positions to waiting residents, debounced. A change on any node
// (or in a worker) nudges every node; each node then reads the line once and emits only to its own sockets,
// so nobody gets a message twice however many nodes run.
import type { QueueEntry } from '../protocol/index.ts';
import { ASSOCIATIONS } from '../protocol/index.ts';
import type { TicketStore } from '../store/tickets.ts';
import type { HelpdeskIo } from './helpdesk-io.ts';
import type { Logger } from './logger.ts';
import { rooms } from './socket/rooms.ts';

export const LINE_CHANGED = 'line:changed';

export class LineBroadcaster {
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly io: HelpdeskIo,
    private readonly tickets: TicketStore,
    private readonly maxLine: number,
    private readonly logger: Logger,
    private readonly debounceMs = 150,
  ) {
    (io.on as (ev: string, fn: () => void) => void)(LINE_CHANGED, () => this.schedule());
  }

  /** Call after anything that changes the line; tells the other nodes too. */
  changed(): void {
    (this.io.serverSideEmit as (ev: string) => void)(LINE_CHANGED);
    this.schedule();
  }

  /** Entries a counsellor of `association` may take, in line order. */
  static visibleTo(entries: QueueEntry[], association: string): QueueEntry[] {
    return entries.filter((e) => e.association === association || e.association === 'either');
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'line broadcast failed'));
    }, this.debounceMs);
  }

  async flush(): Promise<void> {
    const waiting = await this.tickets.waiting(this.maxLine);
    const entries = waiting.map((t) => t.entry);
    for (const a of ASSOCIATIONS) {
      this.io.local.to(rooms.line(a)).emit('queue:changed', { entries: LineBroadcaster.visibleTo(entries, a) });
    }
    entries.forEach((e, i) => {
      this.io.local.to(rooms.ticket(e.ticketId)).emit('queue:position', { ticketId: e.ticketId, position: i + 1, eta: null });
    });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
