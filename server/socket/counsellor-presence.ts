// A counsellor's connections put her on shift; when her last one closes she leaves it, her residents see
// her as away, and after the grace period her chats go back to the line (counsellor-gone job).
import { counsellorGoneJobId, type CounsellorGoneJob } from '../../store/jobs.ts';
import { enqueue } from '../enqueue.ts';
import type { ServerContext } from '../context.ts';
import type { HelpdeskSocket } from './edge.ts';
import { rooms } from './rooms.ts';

/**
 * Middleware after authentication: she is on shift before her client sees `connect`, so a resident who
 * joins the moment the console is up is not refused for "nobody on shift".
 */
export function putOnShift(ctx: Pick<ServerContext, 'shift' | 'clock'>) {
  return (socket: HelpdeskSocket, next: (err?: Error) => void) => {
    if (socket.data.role !== 'counsellor') return next();
    const { counsellorId, association, languages, capacity } = socket.data;
    ctx.shift.join({ counsellorId, association, languages, capacity }, ctx.clock.now()).then(
      () => next(),
      () => next(new Error('Could not start your shift; try again.')),
    );
  };
}

export function onCounsellorConnected(ctx: ServerContext, socket: HelpdeskSocket): void {
  if (socket.data.role !== 'counsellor') return;
  const { counsellorId, association, sessionHash } = socket.data;
  void socket.join([rooms.counsellor(counsellorId), rooms.line(association), rooms.session(sessionHash)]);
  // Working in the console keeps her session alive (the idle timeout slides at most once a minute).
  let lastTouch = ctx.clock.now();
  socket.onAny(() => {
    const now = ctx.clock.now();
    if (now - lastTouch < 60_000) return;
    lastTouch = now;
    ctx.background(async () => {
      if (!(await ctx.accounts.touchSession(sessionHash, ctx.config.SESSION_IDLE_SECONDS))) socket.disconnect(true);
    });
  });
  ctx.background(async () => {
    for (const chatId of await ctx.chats.chatsOf(counsellorId))
      ctx.io.to(rooms.chat(chatId)).except(rooms.counsellor(counsellorId)).emit('chat:peer', { chatId, state: 'back' });
    ctx.line.changed();
  });
  socket.on('disconnect', () => {
    ctx.background(async () => {
      if (!(await ctx.shift.disconnect(counsellorId))) return;
      const job: CounsellorGoneJob = { counsellorId, goneAt: ctx.clock.now() };
      await enqueue(
        ctx,
        ctx.queues.counsellorGone,
        counsellorGoneJobId(job),
        job,
        ctx.config.COUNSELLOR_GRACE_SECONDS * 1000,
        ctx.config.COUNSELLOR_GRACE_SECONDS + 300,
      );
      for (const chatId of await ctx.chats.chatsOf(counsellorId))
        ctx.io.to(rooms.chat(chatId)).except(rooms.counsellor(counsellorId)).emit('chat:peer', { chatId, state: 'away' });
      ctx.line.changed();
    });
  });
}
