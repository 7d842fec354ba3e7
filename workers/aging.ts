// Processor (repeatable): promotes residents who have waited long enough by one urgency class per interval.
import type { Emitter } from '@socket.io/redis-emitter';
import type { Clock } from '../store/clock.ts';
import type { TicketStore } from '../store/tickets.ts';
import { LINE_CHANGED } from './end-visit-remotely.ts';

export function agingProcessor(tickets: TicketStore, emitter: Emitter, clock: Clock, agingMs: number) {
  return async (): Promise<{ promoted: number }> => {
    const promoted = await tickets.age(clock.now(), agingMs);
    // Nudge even without promotions: waiting time alone can pass the language fallback (auto-assignment).
    if (promoted > 0 || (await tickets.lineLength()) > 0) emitter.serverSideEmit(LINE_CHANGED);
    return { promoted };
  };
}
