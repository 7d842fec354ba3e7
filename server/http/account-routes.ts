// `POST /api/account/password`: she changes her password. Her browser unwraps her identity key with the old
// wrapping key and re-wraps it with the new one, so the key itself (and its certificate) stays the same; here
// the current password and a second factor are checked, the three stored values are swapped in one step, and
// every other session of hers ends.
import { Router, type Request, type Response } from 'express';
import { errorBody, passwordChangeRequestSchema, type ErrorCode } from '../../protocol/index.ts';
import type { AccountStore } from '../accounts/account-store.ts';
import { authHashOf, checkCredentials } from '../accounts/credentials.ts';
import type { SignInThrottle } from '../accounts/lockout.ts';
import type { Clock } from '../../store/clock.ts';
import { sourceOf } from './auth-routes.ts';
import { sessionOf } from './bearer-session.ts';

export interface AccountRouteDeps {
  accounts: AccountStore;
  clock: Clock;
  sessionIdleSeconds: number;
  endSession?: (sessionHash: string) => void;
  throttle?: SignInThrottle;
}

function fail(res: Response, status: number, code: ErrorCode, message?: string) {
  res.status(status).json({ error: errorBody(code, message) });
}

export function accountRoutes(deps: AccountRouteDeps): Router {
  const r = Router();

  r.post('/password', async (req: Request, res: Response) => {
    const s = await sessionOf(req, deps.accounts, deps.sessionIdleSeconds);
    if (!s.ok) return fail(res, s.status, s.code, s.message);
    const parsed = passwordChangeRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? 'body')))].join(', ');
      return fail(res, 400, 'BAD_REQUEST', `Send { currentAuthKey, totp, newAuthKey, newKdf, newWrappedIdentityKey }; wrong: ${fields}.`);
    }
    const body = parsed.data;
    const { rec, sessionHash } = s;
    // A fresh salt makes the new keys unrelated to the old ones even if she typed the same password.
    if (body.newKdf.salt === rec.kdf.salt) return fail(res, 400, 'BAD_REQUEST', 'newKdf needs a fresh salt.');
    // Someone holding her unlocked laptop must still know the password: throttled like a sign-in.
    const source = sourceOf(req);
    const verdict = deps.throttle ? await deps.throttle.check(rec.username, source) : { allowed: true as const };
    if (!verdict.allowed) {
      res.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
      return fail(res, 429, 'LOCKED_OUT', `Too many failed attempts; try again in ${Math.ceil(verdict.retryAfterMs / 1000)} s.`);
    }
    const now = deps.clock.now();
    const check = await checkCredentials(deps.accounts, rec, body.currentAuthKey, body.totp, now);
    if (!check.ok) {
      await deps.throttle?.failure(rec.username, source);
      await deps.accounts.audit(
        { actor: rec.username, action: 'password-change-failed', outcome: check.reason, association: rec.association },
        now,
      );
      return fail(res, 401, 'INVALID_CREDENTIALS', 'Wrong current password or code.');
    }
    await deps.throttle?.success(rec.username, source);
    const swapped = await deps.accounts.changePassword(rec.id, rec.authHash, {
      authHash: authHashOf(body.newAuthKey),
      kdf: body.newKdf,
      wrappedIdentityKey: body.newWrappedIdentityKey,
    });
    if (!swapped) return fail(res, 409, 'WRONG_STATE', 'Your password was changed meanwhile from another session. Sign in again.');
    const ended = await deps.accounts.endSessions(rec.id, sessionHash);
    for (const hash of ended) deps.endSession?.(hash);
    await deps.accounts.audit(
      { actor: rec.username, action: 'password-changed', outcome: `${ended.length} other sessions ended`, association: rec.association },
      now,
    );
    return res.json({ otherSessionsEnded: ended.length });
  });

  return r;
}
