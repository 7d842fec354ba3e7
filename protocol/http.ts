// HTTP API bodies (counsellor sign-in, enrolment by invitation, password change). Residents never use the HTTP
// API beyond the quick-exit beacon: they have no account and no cookie.
import { z } from 'zod';
import { USERNAME_PATTERN } from './limits.ts';
import { b64Bytes } from './primitives.ts';
import type { Association } from './triage.ts';

export const usernameSchema = z.string().regex(USERNAME_PATTERN, { error: 'username: 2-32 of a-z 0-9 . _ -' });

export const authParamsRequestSchema = z.strictObject({ username: usernameSchema });

/** Argon2id work a stored parameter set must demand: libsodium's INTERACTIVE level up to its MODERATE memory. */
export const KDF_LIMITS = { minOps: 2, maxOps: 10, minMem: 64 * 1024 * 1024, maxMem: 256 * 1024 * 1024 } as const;
/** What the server hands out for new accounts (libsodium's OPSLIMIT/MEMLIMIT_INTERACTIVE). */
export const DEFAULT_KDF_LIMITS = { opsLimit: 2, memLimit: 64 * 1024 * 1024 } as const;

export const kdfParamsSchema = z.strictObject({
  alg: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1).max(16),
  memLimit: z
    .number()
    .int()
    .min(8 * 1024 * 1024)
    .max(1024 * 1024 * 1024),
  salt: b64Bytes(16),
});
export type KdfParamsData = z.infer<typeof kdfParamsSchema>;

/** Parameters a client may store: too weak and a stolen store is cheap to attack, too strong and the console cannot sign in. */
export const newKdfParamsSchema = kdfParamsSchema.extend({
  opsLimit: z.number().int().min(KDF_LIMITS.minOps).max(KDF_LIMITS.maxOps),
  memLimit: z.number().int().min(KDF_LIMITS.minMem).max(KDF_LIMITS.maxMem),
});

/** A 6-digit TOTP code. */
export const totpCodeSchema = z.string().regex(/^[0-9]{6}$/, { error: 'code: 6 digits' });
/**
 * The second factor at sign-in: a 6-digit TOTP code, or one of her single-use recovery codes (10 letters and
 * digits, shown as xxxxx-xxxxx; the dash and case are optional because people retype them from paper).
 */
export const secondFactorSchema = z
  .string()
  .regex(/^(?:[0-9]{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, { error: 'totp: a 6-digit code or a recovery code (xxxxx-xxxxx)' });

export const loginRequestSchema = z.strictObject({
  username: usernameSchema,
  /** First half of the Argon2id output of her password; the second half (the wrapping key) never leaves her device. */
  authKey: b64Bytes(32),
  totp: secondFactorSchema,
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const wrappedSecretSchema = z.strictObject({ nonce: b64Bytes(24), ciphertext: z.string().max(512) });
/** An Ed25519 secret key (64 bytes) sealed with XChaCha20-Poly1305 (16-byte tag) under her wrapping key. */
export const wrappedIdentityKeySchema = z.strictObject({ nonce: b64Bytes(24), ciphertext: b64Bytes(64 + 16) });

/** Invitation tokens: 32 random bytes, carried in the link's fragment (never sent in a URL, never logged). */
export const inviteTokenSchema = b64Bytes(32);

export const enrolStartRequestSchema = z.strictObject({ invite: inviteTokenSchema });

export const enrolFinishRequestSchema = z.strictObject({
  invite: inviteTokenSchema,
  authKey: b64Bytes(32),
  identityPublicKey: b64Bytes(32),
  /** Wrapped with the context `identity:<accountId>` (accountId from `start`). */
  wrappedIdentityKey: wrappedIdentityKeySchema,
  totpCode: totpCodeSchema,
});
export type EnrolFinishRequest = z.infer<typeof enrolFinishRequestSchema>;

export const accountRoleSchema = z.enum(['counsellor', 'supervisor']);
export type AccountRole = z.infer<typeof accountRoleSchema>;

/** What `POST /api/enrol/start` answers; the same on every call for one invitation until it is used. */
export interface EnrolStartResponse {
  accountId: string;
  username: string;
  alias: string;
  association: Association;
  role: AccountRole;
  kdf: KdfParamsData;
  totp: { secret: string; uri: string };
  expiresAt: number;
}

export interface EnrolFinishResponse {
  username: string;
  /** Shown once; only their hashes are stored. */
  recoveryCodes: string[];
}

export const passwordChangeRequestSchema = z.strictObject({
  currentAuthKey: b64Bytes(32),
  totp: secondFactorSchema,
  newAuthKey: b64Bytes(32),
  newKdf: newKdfParamsSchema,
  /** Her unchanged identity secret key, re-wrapped in her browser under the new wrapping key. */
  newWrappedIdentityKey: wrappedIdentityKeySchema,
});
export type PasswordChangeRequest = z.infer<typeof passwordChangeRequestSchema>;

/** Sent with navigator.sendBeacon when she leaves while the page unloads (quick exit) or is offline. */
export const residentLeaveBeaconSchema = z.strictObject({
  resumeToken: b64Bytes(32),
  reason: z.enum(['ended', 'exit', 'abandon']),
});
