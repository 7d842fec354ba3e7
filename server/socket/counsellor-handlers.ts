// Counsellor events: see the line, claim a resident atomically, answer the handshake, list her chats.
import { randomBytes } from 'node:crypto';
import {
  ProtocolError,
  type Association,
  type ClaimResult,
  type CounsellorChat,
  type CounsellorShiftProfile,
} from '../../protocol/index.ts';
import type { ServerContext } from '../context.ts';
import { LineBroadcaster } from '../line-broadcaster.ts';
import { on, type HelpdeskSocket } from './edge.ts';
import type { TokenBucket } from './rate-limiter.ts';
import { afterClaim } from './claim-flow.ts';
import { rooms } from './rooms.ts';

/**
 * The highest capacity a counsellor of `association` may set for herself: her association's policy, which its
 * supervisors edit (MAX_CAPACITY_PER_COUNSELLOR is the default until they do). Read on every change, never cached.
 */
async function capacityCap(ctx: ServerContext, association: Association): Promise<number> {
  return (await ctx.policy.get(association)).maxCapacity;
}

export function registerCounsellorHandlers(ctx: ServerContext, socket: HelpdeskSocket, bucket: TokenBucket): void {
  const { logger, clock } = ctx;
  const me = () => {
    if (socket.data.role !== 'counsellor') throw new ProtocolError('FORBIDDEN');
    return socket.data;
  };

  on(socket, 'queue:list', bucket, logger, async () => {
    const waiting = await ctx.tickets.waiting();
    return {
      entries: LineBroadcaster.visibleTo(
        waiting.map((t) => t.entry),
        me().association,
      ),
    };
  });

  on(socket, 'queue:claim', bucket, logger, async ({ ticketId }) => {
    const self = me();
    const account = await ctx.accounts.counsellor(self.counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    if (!account.certificate) throw new ProtocolError('NOT_CERTIFIED');
    const chatId = randomBytes(16).toString('base64url');
    const now = clock.now();
    // Take-next honours her languages (with the fallback for residents nobody could serve); picking a
    // specific resident is her informed choice.
    const claimed = await ctx.chats.claim({
      counsellorId: self.counsellorId,
      association: self.association,
      capacity: account.capacity,
      ticketId: ticketId ?? null,
      chatId,
      languages: ticketId ? '*' : account.languages,
      languageFallbackMs: ctx.config.LANGUAGE_FALLBACK_SECONDS * 1000,
      now,
    });
    const result: ClaimResult | null = await afterClaim(ctx, self.counsellorId, claimed, chatId, now);
    if (!result) throw new ProtocolError('ALREADY_TAKEN', 'The resident left before you could take the chat.');
    return result;
  });

  on(socket, 'counsellor:status', bucket, logger, async ({ availability }) => {
    const self = me();
    await ctx.shift.setAvailability(self.counsellorId, availability);
    ctx.line.changed();
    return {};
  });

  // Her languages and capacity: saved on her account (durable) and on her live shift entry, so the next claim,
  // automatic assignment and wait estimate use them. A capacity below her current number of chats is allowed:
  // she keeps them, and cannot take anyone new until she is below it again (the claim checks it atomically).
  on(socket, 'counsellor:profile', bucket, logger, async (change) => {
    const self = me();
    const account = await ctx.accounts.counsellor(self.counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    const maxCapacity = await capacityCap(ctx, self.association);
    if (change.capacity !== undefined && change.capacity > maxCapacity) {
      throw new ProtocolError(
        'BAD_REQUEST',
        `Your association allows at most ${maxCapacity} chats at once; choose ${maxCapacity} or fewer.`,
      );
    }
    const profile: CounsellorShiftProfile = {
      languages: change.languages ?? account.languages,
      capacity: change.capacity ?? account.capacity,
      maxCapacity,
    };
    if (change.languages === undefined && change.capacity === undefined) return profile;
    await ctx.accounts.updateCounsellor(self.counsellorId, { languages: profile.languages, capacity: profile.capacity });
    await ctx.shift.setProfile(self.counsellorId, { languages: profile.languages, capacity: profile.capacity });
    self.languages = profile.languages;
    self.capacity = profile.capacity;
    // Field names only: the values are hers to change and say nothing the account record does not.
    const fields = Object.keys(change).sort().join(',');
    await ctx.accounts.audit(
      { actor: account.username, action: 'profile-changed', target: account.username, outcome: fields },
      ctx.clock.now(),
    );
    ctx.line.changed();
    return profile;
  });

  // Her association's own canned replies (the console falls back to its built-in set per language).
  on(socket, 'counsellor:canned', bucket, logger, async () => ({ replies: await ctx.policy.store.cannedReplies(me().association) }));

  on(socket, 'chat:handshake', bucket, logger, async ({ chatId, kxPublicKey, signature }) => {
    const self = me();
    const chat = await ctx.chats.get(chatId);
    if (!chat) throw new ProtocolError('NOT_FOUND');
    if (chat.counsellorId !== self.counsellorId) throw new ProtocolError('FORBIDDEN', 'This chat is not yours.');
    const account = await ctx.accounts.counsellor(self.counsellorId);
    if (!account || account.status !== 'active') throw new ProtocolError('FORBIDDEN', 'Your account is disabled.');
    if (!account.certificate) throw new ProtocolError('NOT_CERTIFIED');
    await ctx.chats.handshake(chatId, chat.ticketId, self.counsellorId, kxPublicKey, signature);
    ctx.io.to(rooms.ticket(chat.ticketId)).emit('chat:handshake', {
      chatId,
      counsellor: { alias: account.alias, association: account.association },
      kxPublicKey,
      signature,
      certificate: account.certificate,
      revocations: await ctx.supervision.revocations(account.association),
    });
    return {};
  });

  on(socket, 'counsellor:chats', bucket, logger, async () => {
    const self = me();
    const ids = await ctx.chats.chatsOf(self.counsellorId);
    const chats: CounsellorChat[] = [];
    for (const chatId of ids) {
      const chat = await ctx.chats.get(chatId);
      const ticket = chat ? await ctx.tickets.get(chat.ticketId) : null;
      if (!chat || !ticket) continue;
      await socket.join(rooms.chat(chatId));
      chats.push({
        chatId,
        entry: ticket.entry,
        residentKxPublicKey: ticket.kx,
        residentNonce: ticket.nonce,
        peerRead: chat.readByResident,
        handshakeDone: chat.state === 'active',
      });
    }
    return { chats };
  });
}
