// Pushes the waiting line to counsellors and position + estimated wait to waiting residents, debounced. A
// change on any node (or in a worker) nudges every node; each node then reads the line once and emits only
// to its own sockets, so nobody gets a message twice however many nodes run.
import type { AssociationChoice, QueueEntry, QueuePosition } from '../protocol/index.ts';
import { ASSOCIATIONS } from '../protocol/index.ts';
import type { Clock } from '../store/clock.ts';
import type { OnShift, ShiftStore } from '../store/shift.ts';
import type { TicketStore } from '../store/tickets.ts';
import type { HelpdeskIo } from './helpdesk-io.ts';
import type { Logger } from './logger.ts';
import { rooms } from './socket/rooms.ts';
import { takersOf } from './matching.ts';
import { estimateWait } from './wait-estimate.ts';

export const LINE_CHANGED = 'line:changed' as const;

/** Residents ahead of `e` compete with her if some counsellor could take either of them. */
function competes(ahead: QueueEntry, e: QueueEntry): boolean {
  return e.association === 'either' || ahead.association === 'either' || ahead.association === e.association;
}

export function positionsOf(entries: readonly QueueEntry[]): number[] {
  return entries.map((e, i) => 1 + entries.slice(0, i).filter((f) => competes(f, e)).length);
}

export class LineBroadcaster {
  private timer: NodeJS.Timeout | null = null;
  private lastFlush = 0;
  private closed = false;
  /** Last figures sent per ticket: unchanged ones are not re-sent, and estimates only shrink while nobody joins ahead. */
  private readonly sent = new Map<string, QueuePosition>();

  constructor(
    private readonly io: HelpdeskIo,
    private readonly tickets: TicketStore,
    private readonly shift: ShiftStore,
    private readonly clock: Clock,
    private readonly maxLine: number,
    private readonly logger: Logger,
    private readonly debounceMs = 150,
    /** Runs after each flush with what it read (automatic assignment). */
    private readonly afterFlush?: (entries: QueueEntry[], shift: OnShift[]) => Promise<unknown>,
  ) {
    io.on(LINE_CHANGED, () => this.schedule());
  }

  /** Call after anything that changes the line or the shift; tells the other nodes too. */
  changed(): void {
    this.io.serverSideEmit(LINE_CHANGED);
    this.schedule();
  }

  /** Entries a counsellor of `association` may take, in line order. */
  static visibleTo(entries: QueueEntry[], association: string): QueueEntry[] {
    return entries.filter((e) => e.association === association || e.association === 'either');
  }

  async positionOf(ticketId: string): Promise<QueuePosition | null> {
    const entries = (await this.tickets.waiting()).map((t) => t.entry);
    const i = entries.findIndex((e) => e.ticketId === ticketId);
    if (i < 0) return null;
    const shift = await this.shift.onShift(this.clock.now());
    return this.clamp(this.figure(entries[i]!, positionsOf(entries)[i]!, shift, await this.handleTimes()));
  }

  /** Nobody joined ahead of her: never tell her she will now wait longer than this node said before. */
  private clamp(next: QueuePosition): QueuePosition {
    const prev = this.sent.get(next.ticketId);
    if (prev && next.position <= prev.position && next.eta && prev.eta) {
      next.eta = {
        lowMinutes: Math.min(next.eta.lowMinutes, prev.eta.lowMinutes),
        highMinutes: Math.min(next.eta.highMinutes, prev.eta.highMinutes),
      };
    }
    return next;
  }

  /**
   * Leading and trailing edge: a change after a quiet spell is pushed at once (her first position should not
   * wait for the debounce), a burst of changes is coalesced into at most one push per debounce period.
   */
  private schedule(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.lastFlush + this.debounceMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastFlush = Date.now();
      this.flush().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'line broadcast failed'));
    }, wait);
  }

  private async handleTimes(): Promise<Record<AssociationChoice, number | null>> {
    const [td, eb, both] = await Promise.all([
      this.shift.meanHandleTime(['telefono-donna']),
      this.shift.meanHandleTime(['ebano']),
      this.shift.meanHandleTime(ASSOCIATIONS),
    ]);
    return { 'telefono-donna': td, ebano: eb, either: both };
  }

  private figure(e: QueueEntry, position: number, shift: OnShift[], handle: Record<AssociationChoice, number | null>): QueuePosition {
    const takers = takersOf(e.association);
    const able = shift.filter((c) => c.availability === 'available' && takers.includes(c.association));
    const slots = able.reduce((n, c) => n + c.capacity, 0);
    const freeSlots = able.reduce((n, c) => n + Math.max(0, c.capacity - c.load), 0);
    return { ticketId: e.ticketId, position, eta: estimateWait({ position, slots, freeSlots, meanHandleMs: handle[e.association] }) };
  }

  async flush(): Promise<void> {
    const entries = (await this.tickets.waiting()).map((t) => t.entry);
    const [shift, handle] = await Promise.all([this.shift.onShift(this.clock.now()), this.handleTimes()]);
    for (const a of ASSOCIATIONS) {
      this.io.local.to(rooms.line(a)).emit('queue:changed', { entries: LineBroadcaster.visibleTo(entries, a) });
    }
    const positions = positionsOf(entries);
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      seen.add(e.ticketId);
      const next = this.clamp(this.figure(e, positions[i]!, shift, handle));
      const prev = this.sent.get(e.ticketId);
      if (
        prev &&
        prev.position === next.position &&
        prev.eta?.lowMinutes === next.eta?.lowMinutes &&
        prev.eta?.highMinutes === next.eta?.highMinutes
      )
        return;
      this.sent.set(e.ticketId, next);
      this.io.local.to(rooms.ticket(e.ticketId)).emit('queue:position', next);
    });
    for (const id of this.sent.keys()) if (!seen.has(id)) this.sent.delete(id);
    if (this.afterFlush && entries.length > 0) await this.afterFlush(entries, shift);
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
