// Processor: the backstop behind TTLs and purge-on-end. Drops line members whose ticket has expired, ends
// visits whose resident has been disconnected well past the grace period (a lost resident-gone job), and
// returns to the line the chats of counsellors nobody has seen for longer than the stale limit plus their
// grace period: a server node that dies observes no disconnect, so no counsellor-gone job was ever queued.
import { ASSOCIATIONS } from '../protocol/index.ts';
import { SHIFT_STALE_MS } from '../store/shift.ts';
import { endVisitRemotely, type RemoteEnd } from './end-visit-remotely.ts';
import { requeueRemotely, type Requeuer } from './requeue-remotely.ts';

export interface SweepResult {
  danglingLineMembers: number;
  abandonedVisits: number;
  orphanedChats: number;
}

/** Counsellor chats are swept only with `orphans` (the requeuer and her grace period). */
export function sweeperProcessor(d: RemoteEnd, graceMs: number, orphans?: { requeuer: Requeuer; counsellorGraceMs: number }) {
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
    let orphanedChats = 0;
    if (orphans) {
      const loadPrefix = keys.load('');
      for await (const batch of redis.scanIterator({ MATCH: keys.load('*'), COUNT: 500 })) {
        for (const key of batch as unknown as string[]) {
          const counsellorId = key.slice(loadPrefix.length);
          // Last seen: her newest heartbeat, else when she was seen leaving; unknown means long gone.
          const beat = await redis.zScore(keys.shift(), counsellorId);
          const left = await Promise.all(ASSOCIATIONS.map((a) => redis.zScore(keys.shiftLeft(a), counsellorId)));
          const lastSeen = Math.max(beat ?? 0, ...left.map((l) => l ?? 0));
          if (now() - lastSeen <= SHIFT_STALE_MS + orphans.counsellorGraceMs) continue;
          for (const chatId of await redis.sMembers(key)) {
            if (await requeueRemotely(orphans.requeuer, chatId, 'counsellor-gone')) orphanedChats++;
          }
        }
      }
    }
    return { danglingLineMembers, abandonedVisits, orphanedChats };
  };
}
