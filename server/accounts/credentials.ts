// Checks the two factors of a counsellor at sign-in and at password change: the authentication key her browser
// derived from her password, and a TOTP code or single-use recovery code. Every failure looks the same to the
// caller's client (INVALID_CREDENTIALS); the reason is only for the audit log.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AccountStore, CounsellorRecord } from './account-store.ts';
import { base32Decode, hashRecoveryCode, verifyTotp } from './totp.ts';

export type CredentialFailure = 'bad-password' | 'bad-code' | 'reused-code';

export type CredentialCheck = { ok: true; via: 'totp' | 'recovery-code' } | { ok: false; reason: CredentialFailure };

/** Steps accepted either side of the current one: typing time and a phone clock a little off. */
export const TOTP_WINDOW = 1;

/** SHA-256 of the base64url authentication key, as stored in `authHash`. */
export function authHashOf(authKeyB64: string): string {
  return createHash('sha256').update(Buffer.from(authKeyB64, 'base64url')).digest('base64url');
}

// Compared against when there is no account, so an unknown username costs the same hashing as a known one.
const NO_ACCOUNT_HASH = authHashOf('A'.repeat(43));
const NO_SECRET = new Uint8Array(20);

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Verifies both factors and, only when both are right, consumes the second one (records the TOTP step, or
 * removes the recovery code). The work done before that point does not depend on which factor is wrong, so
 * neither the answer nor its timing tells a guesser that she got the password right.
 */
export async function checkCredentials(
  accounts: AccountStore,
  rec: CounsellorRecord | null,
  authKey: string,
  code: string,
  now: number,
): Promise<CredentialCheck> {
  const passwordOk = sameHash(authHashOf(authKey), rec?.authHash ?? NO_ACCOUNT_HASH) && rec !== null;
  const factor = rec ? await accounts.secondFactor(rec.id) : null;
  let verdict: { kind: 'totp'; step: number } | { kind: 'recovery'; hash: string } | { kind: 'bad' | 'reused' };
  if (/^[0-9]{6}$/.test(code)) {
    let secret: Uint8Array = NO_SECRET;
    try {
      if (factor) secret = base32Decode(factor.secret);
    } catch {
      secret = NO_SECRET; // a corrupted stored secret can never match a real code
    }
    const fresh = verifyTotp(secret, code, now, { window: TOTP_WINDOW, lastUsedStep: factor?.lastStep ?? null });
    if (fresh.ok && factor) verdict = { kind: 'totp', step: fresh.step };
    else verdict = { kind: factor && verifyTotp(secret, code, now, { window: TOTP_WINDOW }).ok ? 'reused' : 'bad' };
  } else {
    const hash = hashRecoveryCode(code);
    verdict = rec && (await accounts.hasRecoveryCode(rec.id, hash)) ? { kind: 'recovery', hash } : { kind: 'bad' };
  }

  if (!passwordOk || !rec) return { ok: false, reason: 'bad-password' };
  switch (verdict.kind) {
    case 'bad':
      return { ok: false, reason: 'bad-code' };
    case 'reused':
      return { ok: false, reason: 'reused-code' };
    case 'totp':
      // A sign-in racing this one with the same code may have taken the step a moment ago.
      return (await accounts.acceptTotpStep(rec.id, verdict.step)) ? { ok: true, via: 'totp' } : { ok: false, reason: 'reused-code' };
    case 'recovery':
      return (await accounts.consumeRecoveryCode(rec.id, verdict.hash))
        ? { ok: true, via: 'recovery-code' }
        : { ok: false, reason: 'reused-code' };
    default: {
      const never: never = verdict;
      throw new Error(`checkCredentials: unexpected verdict ${JSON.stringify(never)}`);
    }
  }
}
