// Processor: the backstop behind TTLs and purge-on-end. Drops line members whose ticket has expired and ends
// visits whose resident has been disconnected well past the grace period (a lost resident-gone job).
import { endVisitRemotely, type RemoteEnd } from './end-visit-remotely.ts';

export interface SweepResult {
  danglingLineMembers: number;
  abandonedVisits: number;
}

export function sweeperProcessor(d: RemoteEnd, graceMs: number) {
  const { redis, keys, tickets, now } = d;
  return async (): Promise<SweepResult> => {
    let danglingLineMembers = 0;
    for (const set of [keys.line(), keys.triage()]) {
      for (const id of await redis.zRange(set, 0, -1)) {
        if (!(await redis.exists(keys.ticket(id)))) {
          await redis.zRem(set, id);
          danglingLineMembers++;
        }
      }
    }
    let abandonedVisits = 0;
    for await (const batch of redis.scanIterator({ MATCH: keys.ticket('*'), COUNT: 500 })) {
      for (const key of batch as unknown as string[]) {
        const ticketId = key.slice(keys.ticket('').length);
        const t = await tickets.get(ticketId);
        if (t && t.sock === '' && t.goneAt !== null && now() - t.goneAt > 2 * graceMs) {
          if (await endVisitRemotely(d, ticketId, 'resident-gone')) abandonedVisits++;
        }
      }
    }
    return { danglingLineMembers, abandonedVisits };
  };
}
