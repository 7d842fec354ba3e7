// Processor (repeatable): promotes residents who have waited long enough by one urgency class per interval.
import type { Emitter } from '@socket.io/redis-emitter';
import type { Clock } from '../store/clock.ts';
import type { PolicyStore } from '../store/policy.ts';
import type { TicketStore } from '../store/tickets.ts';
import { LINE_CHANGED } from './end-visit-remotely.ts';

export function agingProcessor(tickets: TicketStore, emitter: Emitter, clock: Clock, policy: Pick<PolicyStore, 'both'>) {
  return async (): Promise<{ promoted: number }> => {
    // Read on every run: a supervisor's change of the aging time applies from the next run.
    const p = await policy.both();
    const promoted = await tickets.age(clock.now(), {
      'telefono-donna': p['telefono-donna'].agingSeconds * 1000,
      ebano: p.ebano.agingSeconds * 1000,
    });
    // Nudge even without promotions: waiting time alone can pass the language fallback (auto-assignment).
    if (promoted > 0 || (await tickets.lineLength()) > 0) emitter.serverSideEmit(LINE_CHANGED);
    return { promoted };
  };
}
