// Enrolment by invitation: an administrator (today the admin CLI, later a supervisor's browser) creates a
// single-use invitation for a username; the link carries a random token of which only a SHA-256 is stored.
// Opening it starts an enrolment (fresh KDF salt, account id and TOTP secret, kept with the invitation);
// finishing it with a valid code creates the account with the identity key her browser generated and wrapped.
import { createHash, randomBytes } from 'node:crypto';
import {
  ALIAS_MAX,
  DEFAULT_KDF_LIMITS,
  ERROR_CODES,
  languageSchema,
  USERNAME_PATTERN,
  type AccountRole,
  type Association,
  type EnrolFinishRequest,
  type EnrolFinishResponse,
  type EnrolStartResponse,
  type ErrorCode,
  type Language,
} from '../../protocol/index.ts';
import type { AccountStore, CounsellorRecord, EnrolmentDraft, FinishEnrolmentResult, Invitation } from './account-store.ts';
import { authHashOf, TOTP_WINDOW } from './credentials.ts';
import { base32Decode, base32Encode, generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totpUri, verifyTotp } from './totp.ts';

export const INVITATION_TTL_MS = 72 * 60 * 60_000;
export const RECOVERY_CODE_COUNT = 10;
/** Shown by authenticator apps next to her username; says nothing about violence on a phone others may see. */
export const TOTP_ISSUER = 'Helpdesk';

const USERNAME_GONE = 'Someone has taken this username since the invitation was made. Ask for a new invitation.';

/** A refusal with a code from protocol/errors.ts; nothing was changed when it is thrown. */
export class EnrolmentError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string = ERROR_CODES[code]) {
    super(message);
    this.name = 'EnrolmentError';
    this.code = code;
  }
}

export function hashInviteToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('base64url');
}

/** The fragment keeps the token out of request lines, server logs and Referer headers. */
export function invitationLink(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/console#invite=${token}`;
}

export interface NewInvitation {
  username: string;
  alias: string;
  association: Association;
  role: AccountRole;
  capacity: number;
  languages: Language[];
  /** Who invites, for the audit log ('admin-cli', or a supervisor's username later). */
  createdBy: string;
  now: number;
  ttlMs?: number;
}

export async function createInvitation(
  accounts: AccountStore,
  n: NewInvitation,
): Promise<{ token: string; expiresAt: number; replaced: boolean }> {
  if (!USERNAME_PATTERN.test(n.username))
    throw new EnrolmentError('BAD_REQUEST', 'username must be 2-32 of a-z 0-9 . _ - (starting with a letter or digit)');
  const alias = n.alias.trim();
  if (!alias || alias.length > ALIAS_MAX) throw new EnrolmentError('BAD_REQUEST', `alias must have 1-${ALIAS_MAX} characters`);
  if (!Number.isInteger(n.capacity) || n.capacity < 1 || n.capacity > 10) throw new EnrolmentError('BAD_REQUEST', 'capacity must be 1-10');
  if (n.languages.length === 0 || !n.languages.every((l) => languageSchema.safeParse(l).success))
    throw new EnrolmentError('BAD_REQUEST', 'languages must be a non-empty list of known languages');
  const ttlMs = n.ttlMs ?? INVITATION_TTL_MS;
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1_000) throw new EnrolmentError('BAD_REQUEST', 'invalid invitation lifetime');
  if (await accounts.usernameTaken(n.username)) throw new EnrolmentError('USERNAME_TAKEN', `username ${n.username} already has an account`);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = n.now + ttlMs;
  const inv: Invitation = {
    username: n.username,
    alias,
    association: n.association,
    role: n.role,
    capacity: n.capacity,
    languages: [...new Set(n.languages)],
    createdAt: n.now,
    expiresAt,
    createdBy: n.createdBy,
    status: 'pending',
    usedAt: null,
    enrolment: null,
  };
  const { replaced } = await accounts.putInvitation(hashInviteToken(token), inv, n.now);
  await accounts.audit(
    { actor: n.createdBy, action: replaced ? 'invitation-replaced' : 'invitation-created', target: n.username, association: n.association },
    n.now,
  );
  return { token, expiresAt, replaced };
}

/** The invitation behind `token` if it can still be used; otherwise the reason, as an EnrolmentError. */
async function usableInvitation(accounts: AccountStore, tokenHash: string, now: number): Promise<Invitation> {
  const inv = await accounts.invitation(tokenHash);
  if (!inv) throw new EnrolmentError('INVITATION_UNKNOWN');
  if (inv.status === 'used') throw new EnrolmentError('INVITATION_USED');
  if (inv.expiresAt <= now) throw new EnrolmentError('INVITATION_EXPIRED');
  return inv;
}

/**
 * Opening the link: the same answer every time until she finishes, so reloading the page or opening the link
 * again does not invalidate the entry her authenticator app already has.
 */
export async function startEnrolment(accounts: AccountStore, token: string, now: number): Promise<EnrolStartResponse> {
  const tokenHash = hashInviteToken(token);
  const inv = await usableInvitation(accounts, tokenHash, now);
  if (await accounts.usernameTaken(inv.username)) throw new EnrolmentError('USERNAME_TAKEN', USERNAME_GONE);
  const fresh: EnrolmentDraft = {
    accountId: randomBytes(16).toString('base64url'),
    kdf: { alg: 'argon2id13', ...DEFAULT_KDF_LIMITS, salt: randomBytes(16).toString('base64url') },
    totpSecret: base32Encode(generateTotpSecret()),
  };
  const draft = inv.enrolment ?? (await accounts.beginEnrolment(tokenHash, fresh));
  if (!draft) throw new EnrolmentError('INVITATION_UNKNOWN'); // deleted between the two reads (replaced by a new invitation)
  if (draft.accountId === fresh.accountId)
    await accounts.audit({ actor: inv.username, action: 'enrolment-started', association: inv.association }, now);
  return {
    accountId: draft.accountId,
    username: inv.username,
    alias: inv.alias,
    association: inv.association,
    role: inv.role,
    kdf: draft.kdf,
    totp: {
      secret: draft.totpSecret,
      uri: totpUri({ secret: base32Decode(draft.totpSecret), account: inv.username, issuer: TOTP_ISSUER }),
    },
    expiresAt: inv.expiresAt,
  };
}

const FINISH_REFUSALS: Record<Exclude<FinishEnrolmentResult, 'OK'>, [ErrorCode, string?]> = {
  UNKNOWN: ['INVITATION_UNKNOWN'],
  USED: ['INVITATION_USED'],
  EXPIRED: ['INVITATION_EXPIRED'],
  NOT_STARTED: ['WRONG_STATE', 'This enrolment was not started; open the invitation link again.'],
  USERNAME_TAKEN: ['USERNAME_TAKEN', USERNAME_GONE],
};

function refusal(result: Exclude<FinishEnrolmentResult, 'OK'>): EnrolmentError {
  const [code, message] = FINISH_REFUSALS[result];
  return new EnrolmentError(code, message);
}

/**
 * Creates her account from what her browser made: the authentication key (hashed here), the identity public
 * key and its secret wrapped under her password-derived key. The identity key is uncertified until her
 * association certifies it. Returns her recovery codes, which exist nowhere else after this answer.
 */
export async function finishEnrolment(accounts: AccountStore, req: EnrolFinishRequest, now: number): Promise<EnrolFinishResponse> {
  const tokenHash = hashInviteToken(req.invite);
  const inv = await usableInvitation(accounts, tokenHash, now);
  const draft = inv.enrolment;
  if (!draft) throw refusal('NOT_STARTED');
  const checked = verifyTotp(base32Decode(draft.totpSecret), req.totpCode, now, { window: TOTP_WINDOW });
  if (!checked.ok) {
    await accounts.audit({ actor: inv.username, action: 'enrolment-failed', outcome: 'bad-code', association: inv.association }, now);
    throw new EnrolmentError('WRONG_CODE');
  }
  const recoveryCodes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  const rec: CounsellorRecord = {
    id: draft.accountId,
    username: inv.username,
    alias: inv.alias,
    association: inv.association,
    role: inv.role,
    status: 'active',
    capacity: inv.capacity,
    languages: inv.languages,
    kdf: draft.kdf,
    authHash: authHashOf(req.authKey),
    wrappedIdentityKey: req.wrappedIdentityKey,
    identityPublicKey: req.identityPublicKey,
    certificate: null,
    createdAt: now,
  };
  // The enrolment code's step counts as used: a code read over her shoulder cannot sign in afterwards.
  const result = await accounts.finishEnrolment(
    tokenHash,
    draft,
    rec,
    { lastStep: checked.step, recoveryHashes: recoveryCodes.map(hashRecoveryCode) },
    now,
  );
  if (result !== 'OK') throw refusal(result);
  await accounts.audit(
    {
      actor: inv.username,
      action: 'counsellor-enrolled',
      target: inv.username,
      outcome: 'certificate-pending',
      association: inv.association,
    },
    now,
  );
  return { username: inv.username, recoveryCodes };
}

/**
 * A supervisor replaces a counsellor's second factor (lost phone, or suspicion): a fresh TOTP secret and fresh
 * recovery codes, returned once for the supervisor to hand over in person; only hashes of the codes are kept.
 */
export async function resetSecondFactor(
  accounts: AccountStore,
  account: Pick<CounsellorRecord, 'id' | 'username'>,
): Promise<{ totp: { secret: string; uri: string }; recoveryCodes: string[] }> {
  const secret = generateTotpSecret();
  const recoveryCodes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await accounts.resetSecondFactor(account.id, { secret: base32Encode(secret), recoveryHashes: recoveryCodes.map(hashRecoveryCode) });
  return {
    totp: { secret: base32Encode(secret), uri: totpUri({ secret, account: account.username, issuer: TOTP_ISSUER }) },
    recoveryCodes,
  };
}
