// Socket.IO handshake: same-origin browsers only, and either an anonymous resident (no credentials at all)
// or a counsellor with a valid session token. Identity goes on typed socket.data for the handlers.
import type { ExtendedError } from 'socket.io';
import { sessionTokenSchema } from '../../protocol/index.ts';
import { hashSessionToken, type AccountStore } from '../accounts/account-store.ts';
import type { HelpdeskSocket } from './edge.ts';

/** Browsers always send Origin on WebSocket upgrades; non-browser clients (bots, tests) send none. */
export function originAllowed(origin: string | undefined, host: string | undefined, publicOrigin: string | undefined): boolean {
  if (!origin) return true;
  if (publicOrigin) return origin === new URL(publicOrigin).origin;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuse(code: string, message: string): ExtendedError {
  const err = new Error(message) as ExtendedError;
  err.data = { code, message };
  return err;
}

export function authenticate(accounts: AccountStore, idleSeconds: number) {
  return (socket: HelpdeskSocket, next: (err?: ExtendedError) => void) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null && 'token' in auth ? (auth as { token: unknown }).token : undefined;
    if (token === undefined) {
      socket.data = { role: 'resident', ticketId: null };
      return next();
    }
    const parsed = sessionTokenSchema.safeParse(token);
    if (!parsed.success) return next(refuse('UNAUTHENTICATED', 'Malformed session token.'));
    void (async () => {
      const session = await accounts.touchSession(hashSessionToken(parsed.data), idleSeconds);
      const rec = session ? await accounts.counsellor(session.counsellorId) : null;
      if (!session || !rec) return next(refuse('UNAUTHENTICATED', 'Your session has expired; sign in again.'));
      if (rec.status !== 'active') return next(refuse('FORBIDDEN', 'This account is disabled.'));
      if (rec.role === 'supervisor') {
        socket.data = {
          role: 'supervisor',
          supervisorId: rec.id,
          username: rec.username,
          association: rec.association,
          alias: rec.alias,
          sessionHash: hashSessionToken(parsed.data),
        };
        return next();
      }
      socket.data = {
        role: 'counsellor',
        username: rec.username,
        counsellorId: rec.id,
        association: rec.association,
        alias: rec.alias,
        sessionHash: hashSessionToken(parsed.data),
        languages: rec.languages,
        capacity: rec.capacity,
      };
      return next();
    })().catch(() => next(refuse('INTERNAL', 'Could not check your session; try again.')));
  };
}
