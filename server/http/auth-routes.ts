// Counsellor sign-in over HTTPS POST. The password never arrives here: her browser derives, with Argon2id,
// an authentication key (sent) and a wrapping key (kept); we compare a SHA-256 of the authentication key in
// constant time, so a stolen store still costs an attacker one Argon2id per password guess.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { authParamsRequestSchema, errorBody, loginRequestSchema, type ErrorCode } from '../../protocol/index.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import type { SignInThrottle } from '../accounts/lockout.ts';
import { hashSessionToken } from '../accounts/account-store.ts';
import type { Clock } from '../../store/clock.ts';
import type { Logger } from '../logger.ts';

export interface AuthRouteDeps {
  accounts: AccountStore;
  clock: Clock;
  logger: Logger;
  sessionIdleSeconds: number;
  /** Secret for decoy KDF parameters of unknown usernames, so the endpoint does not reveal who has an account. */
  decoySecret: Uint8Array;
  /** Closes every open connection of a session that signed out (on every node). */
  endSession?: (sessionHash: string) => void;
  /** Lockout with back-off per account (durable) and per source (memory only, never stored). */
  throttle?: SignInThrottle;
}

export function authHashOf(authKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(authKeyB64, 'base64url')).digest('base64url');
}

function fail(res: Response, status: number, code: ErrorCode, message?: string) {
  res.status(status).json({ error: errorBody(code, message) });
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const r = Router();

  r.post('/params', async (req: Request, res: Response) => {
    const parsed = authParamsRequestSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'BAD_REQUEST', 'Send { username }.');
    const rec = await deps.accounts.counsellorByUsername(parsed.data.username);
    if (rec) return res.json({ kdf: rec.kdf });
    const salt = createHmac('sha256', deps.decoySecret).update(parsed.data.username).digest().subarray(0, 16).toString('base64url');
    return res.json({ kdf: { alg: 'argon2id13', opsLimit: 2, memLimit: 67_108_864, salt } });
  });

  r.post('/login', async (req: Request, res: Response) => {
    const parsed = loginRequestSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'BAD_REQUEST', 'Send { username, authKey }.');
    // The source address is only an in-memory key of this node's throttle; it is never logged or stored.
    const source = req.socket.remoteAddress ?? 'unknown';
    const verdict = deps.throttle ? await deps.throttle.check(parsed.data.username, source) : { allowed: true as const };
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
      return fail(res, 429, 'LOCKED_OUT', `Too many failed attempts; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s.`);
    }
    const rec = await deps.accounts.counsellorByUsername(parsed.data.username);
    const given = Buffer.from(authHashOf(parsed.data.authKey));
    const expected = Buffer.from(rec?.authHash ?? authHashOf('A'.repeat(43)));
    const ok = rec !== null && given.length === expected.length && timingSafeEqual(given, expected);
    if (!ok || !rec) {
      await deps.throttle?.failure(parsed.data.username, source);
      await deps.accounts.audit({ actor: parsed.data.username, action: 'login-failed' }, deps.clock.now());
      return fail(res, 401, 'INVALID_CREDENTIALS');
    }
    await deps.throttle?.success(parsed.data.username, source);
    if (rec.status !== 'active') return fail(res, 403, 'FORBIDDEN', 'This account is disabled.');
    const token = await deps.accounts.createSession(rec.id, deps.sessionIdleSeconds, deps.clock.now());
    await deps.accounts.audit({ actor: rec.username, action: 'login' }, deps.clock.now());
    return res.json({
      token,
      counsellor: { id: rec.id, username: rec.username, alias: rec.alias, association: rec.association, capacity: rec.capacity, languages: rec.languages },
      wrappedIdentityKey: rec.wrappedIdentityKey,
      identityPublicKey: rec.identityPublicKey,
      certificate: rec.certificate,
    });
  });

  r.post('/logout', async (req: Request, res: Response) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header);
    if (!m?.[1]) return fail(res, 401, 'UNAUTHENTICATED');
    const hash = hashSessionToken(m[1]);
    await deps.accounts.deleteSession(hash);
    deps.endSession?.(hash);
    return res.status(204).end();
  });

  return r;
}
