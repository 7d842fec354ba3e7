// Processor: the backstop behind TTLs and purge-on-end. Drops line members whose ticket has expired and ends
// visits whose resident has been disconnected well past the grace period (a lost resident-gone job).
import type { Emitter } from '@socket.io/redis-emitter';
import type { KeySpace } from '../store/keys.ts';
import type { Redis } from '../store/redis.ts';
import type { TicketStore } from '../store/tickets.ts';
import { endVisitRemotely } from './end-visit-remotely.ts';

export interface SweepResult {
  danglingLineMembers: number;
  abandonedVisits: number;
}

export function sweeperProcessor(redis: Redis, keys: KeySpace, tickets: TicketStore, emitter: Emitter, graceMs: number, now: () => number) {
  return async (): Promise<SweepResult> => {
    let danglingLineMembers = 0;
    for (const id of await redis.zRange(keys.line(), 0, -1)) {
      if (!(await redis.exists(keys.ticket(id)))) {
        await redis.zRem(keys.line(), id);
        danglingLineMembers++;
      }
    }
    let abandonedVisits = 0;
    for await (const batch of redis.scanIterator({ MATCH: keys.ticket('*'), COUNT: 500 })) {
      for (const key of batch as unknown as string[]) {
        const ticketId = key.slice(keys.ticket('').length);
        const t = await tickets.get(ticketId);
        if (t && t.sock === '' && t.goneAt !== null && now() - t.goneAt > 2 * graceMs) {
          if (await endVisitRemotely(tickets, emitter, ticketId, 'resident-gone')) abandonedVisits++;
        }
      }
    }
    return { danglingLineMembers, abandonedVisits };
  };
}
