// Automatic assignment for associations that use it: each waiting resident, in line order, goes to the
// least-loaded available counsellor who may take her (association, language or language fallback), through
// the same atomic claim as a manual pick, so nodes running this at the same time can never double-assign.
import { randomBytes } from 'node:crypto';
import type { QueueEntry } from '../protocol/index.ts';
import type { OnShift } from '../store/shift.ts';
import { ScriptError } from '../store/scripts.ts';
import type { ServerContext } from './context.ts';
import { takersOf } from './matching.ts';
import { afterClaim } from './socket/claim-flow.ts';

export async function autoAssign(ctx: ServerContext, entries: readonly QueueEntry[], shift: OnShift[]): Promise<number> {
  const now = ctx.clock.now();
  const fallbackMs = ctx.config.LANGUAGE_FALLBACK_SECONDS * 1000;
  if (!shift.some((c) => c.availability === 'available')) return 0;
  const policy = await ctx.policy.both();
  const pool = shift.filter((c) => c.availability === 'available' && policy[c.association].assignment === 'auto');
  if (pool.length === 0) return 0;
  let assigned = 0;
  for (const e of entries) {
    const takers = takersOf(e.association);
    const speaks = (c: OnShift) => c.languages.includes(e.language) || now - e.waitingSince >= fallbackMs;
    const candidates = pool
      .filter((c) => takers.includes(c.association) && c.load < c.capacity && speaks(c))
      .sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.load - b.load);
    for (const c of candidates) {
      const account = await ctx.accounts.counsellor(c.counsellorId);
      if (!account || account.status !== 'active' || !account.certificate) continue;
      c.capacity = account.capacity;
      const chatId = randomBytes(16).toString('base64url');
      try {
        await ctx.chats.claim({
          counsellorId: c.counsellorId,
          association: c.association,
          capacity: c.capacity,
          ticketId: e.ticketId,
          chatId,
          languages: '*',
          languageFallbackMs: fallbackMs,
          now,
        });
      } catch (err) {
        if (err instanceof ScriptError && err.code === 'AT_CAPACITY') {
          c.load = c.capacity;
          continue;
        }
        if (err instanceof ScriptError) break; // taken by someone else, or gone: next resident
        throw err;
      }
      c.load++;
      const result = await afterClaim(ctx, c.counsellorId, e.ticketId, chatId, now);
      if (result) {
        ctx.io.to(`counsellor:${c.counsellorId}`).emit('queue:assigned', result);
        assigned++;
      }
      break;
    }
  }
  return assigned;
}
