// What follows a successful claim, manual or automatic: both parties join the chat room on every node, the
// resident learns who is coming, the no-reply timer starts, and every node recomputes the line.
import type { ClaimResult } from '../../protocol/index.ts';
import { noReplyJobId, type NoReplyJob } from '../../store/jobs.ts';
import { enqueue } from '../enqueue.ts';
import { recordAggregate } from '../../store/aggregates.ts';
import type { ServerContext } from '../context.ts';
import { rooms } from './rooms.ts';

export async function afterClaim(
  ctx: ServerContext,
  counsellorId: string,
  ticketId: string,
  chatId: string,
  claimedAt: number,
): Promise<ClaimResult | null> {
  const [ticket, account] = await Promise.all([ctx.tickets.get(ticketId), ctx.accounts.counsellor(counsellorId)]);
  if (!ticket || !account) return null;
  ctx.io.in(rooms.counsellor(counsellorId)).socketsJoin(rooms.chat(chatId));
  ctx.io.in(rooms.ticket(ticketId)).socketsJoin(rooms.chat(chatId));
  ctx.io
    .to(rooms.ticket(ticketId))
    .emit('chat:assigned', { chatId, counsellor: { alias: account.alias, association: account.association } });
  const job: NoReplyJob = { chatId, claimedAt };
  const { noReplySeconds } = await ctx.policy.get(account.association);
  await enqueue(ctx, ctx.queues.noReply, noReplyJobId(job), job, noReplySeconds * 1000, noReplySeconds + 300);
  ctx.line.changed();
  ctx.background(() =>
    recordAggregate(ctx.redis, ctx.keys, {
      kind: 'answered',
      association: account.association,
      urgency: ticket.triageClass,
      waitMs: Math.max(0, claimedAt - ticket.entry.waitingSince),
      at: claimedAt,
    }),
  );
  return { chatId, entry: ticket.entry, residentKxPublicKey: ticket.kx, residentNonce: ticket.nonce };
}
