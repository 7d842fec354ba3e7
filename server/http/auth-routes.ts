// Counsellor sign-in over HTTPS POST. The password never arrives here: her browser derives, with Argon2id,
// an authentication key (sent) and a wrapping key (kept); we compare a SHA-256 of the authentication key in
// constant time, so a stolen store still costs an attacker one Argon2id per password guess. The second factor
// (TOTP code or recovery code) is checked in the same step and a failure of either gives the same answer.
import { createHmac } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { authParamsRequestSchema, DEFAULT_KDF_LIMITS, errorBody, loginRequestSchema, type ErrorCode } from '../../protocol/index.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import { checkCredentials } from '../accounts/credentials.ts';
import type { SignInThrottle } from '../accounts/lockout.ts';
import type { Clock } from '../../store/clock.ts';
import type { Logger } from '../logger.ts';
import { bearerHash, sessionOf } from './bearer-session.ts';

export interface AuthRouteDeps {
  accounts: AccountStore;
  clock: Clock;
  logger: Logger;
  sessionIdleSeconds: number;
  /** Secret for decoy KDF parameters of unknown usernames, so the endpoint does not reveal who has an account. */
  decoySecret: Uint8Array;
  /** Closes every open connection of a session that ended (on every node). */
  endSession?: (sessionHash: string) => void;
  /** Lockout with back-off per account (durable) and per source (memory only, never stored). */
  throttle?: SignInThrottle;
}

function fail(res: Response, status: number, code: ErrorCode, message?: string) {
  res.status(status).json({ error: errorBody(code, message) });
}

/** The source address is only an in-memory key of this node's throttle; it is never logged or stored. */
export function sourceOf(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

export function authRoutes(deps: AuthRouteDeps): Router {
  const r = Router();

  r.post('/params', async (req: Request, res: Response) => {
    const parsed = authParamsRequestSchema.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, 'BAD_REQUEST', 'Send { username }.');
    const rec = await deps.accounts.counsellorByUsername(parsed.data.username);
    if (rec) return res.json({ kdf: rec.kdf });
    const salt = createHmac('sha256', deps.decoySecret).update(parsed.data.username).digest().subarray(0, 16).toString('base64url');
    return res.json({ kdf: { alg: 'argon2id13', ...DEFAULT_KDF_LIMITS, salt } });
  });

  r.post('/login', async (req: Request, res: Response) => {
    const parsed = loginRequestSchema.safeParse(req.body);
    if (!parsed.success)
      return fail(res, 400, 'BAD_REQUEST', 'Send { username, authKey, totp }, totp being a 6-digit code or a recovery code.');
    const { username, authKey, totp } = parsed.data;
    const source = sourceOf(req);
    const verdict = deps.throttle ? await deps.throttle.check(username, source) : { allowed: true as const };
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
      return fail(res, 429, 'LOCKED_OUT', `Too many failed attempts; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s.`);
    }
    const rec = await deps.accounts.counsellorByUsername(username);
    const check = await checkCredentials(deps.accounts, rec, authKey, totp, deps.clock.now());
    if (!check.ok || !rec) {
      await deps.throttle?.failure(username, source);
      await deps.accounts.audit(
        {
          actor: username,
          action: 'login-failed',
          outcome: check.ok ? 'bad-password' : check.reason,
          ...(rec ? { association: rec.association } : {}),
        },
        deps.clock.now(),
      );
      return fail(res, 401, 'INVALID_CREDENTIALS');
    }
    await deps.throttle?.success(username, source);
    if (rec.status !== 'active') return fail(res, 403, 'FORBIDDEN', 'This account is disabled.');
    const token = await deps.accounts.createSession(rec.id, deps.sessionIdleSeconds, deps.clock.now());
    await deps.accounts.audit({ actor: rec.username, action: 'login', outcome: check.via, association: rec.association }, deps.clock.now());
    return res.json({
      token,
      counsellor: {
        id: rec.id,
        username: rec.username,
        alias: rec.alias,
        association: rec.association,
        role: rec.role,
        capacity: rec.capacity,
        languages: rec.languages,
      },
      wrappedIdentityKey: rec.wrappedIdentityKey,
      identityPublicKey: rec.identityPublicKey,
      certificate: rec.certificate,
    });
  });

  r.post('/logout', async (req: Request, res: Response) => {
    const hash = bearerHash(req);
    if (!hash) return fail(res, 401, 'UNAUTHENTICATED');
    await deps.accounts.deleteSession(hash);
    deps.endSession?.(hash);
    return res.status(204).end();
  });

  /** Ends every session of hers, this one included: a laptop left signed in elsewhere is signed out too. */
  r.post('/logout-everywhere', async (req: Request, res: Response) => {
    const s = await sessionOf(req, deps.accounts, deps.sessionIdleSeconds);
    if (!s.ok) return fail(res, s.status, s.code, s.message);
    const ended = await deps.accounts.endSessions(s.rec.id, null);
    for (const hash of ended) deps.endSession?.(hash);
    await deps.accounts.audit({ actor: s.rec.username, action: 'logout-everywhere', association: s.rec.association }, deps.clock.now());
    return res.status(204).end();
  });

  return r;
}
