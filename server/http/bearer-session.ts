// The counsellor's session on HTTP requests: `Authorization: Bearer <token>` (never a cookie), looked up by the
// token's hash, its idle timeout slid like any activity, and her account loaded and checked to be active.
import type { Request } from 'express';
import { hashSessionToken, type AccountStore, type CounsellorRecord } from '../accounts/account-store.ts';

const BEARER = /^Bearer ([A-Za-z0-9_-]{43})$/;

/** The hash of the bearer token in the request, or null when there is none or it is malformed. */
export function bearerHash(req: Request): string | null {
  const m = BEARER.exec(req.get('authorization') ?? '');
  return m?.[1] ? hashSessionToken(m[1]) : null;
}

export type SessionLookup =
  | { ok: true; sessionHash: string; rec: CounsellorRecord }
  | { ok: false; status: 401 | 403; code: 'UNAUTHENTICATED' | 'FORBIDDEN'; message: string };

export async function sessionOf(req: Request, accounts: AccountStore, idleSeconds: number): Promise<SessionLookup> {
  const sessionHash = bearerHash(req);
  if (!sessionHash) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Sign in first.' };
  const session = await accounts.touchSession(sessionHash, idleSeconds);
  const rec = session ? await accounts.counsellor(session.counsellorId) : null;
  if (!session || !rec) return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Your session has expired; sign in again.' };
  if (rec.status !== 'active') return { ok: false, status: 403, code: 'FORBIDDEN', message: 'This account is disabled.' };
  return { ok: true, sessionHash, rec };
}
