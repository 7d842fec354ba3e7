// HTTP API bodies (counsellor sign-in). Residents never use the HTTP API: they have no account and no cookie.
import { z } from 'zod';
import { USERNAME_PATTERN } from './limits.ts';
import { b64Bytes } from './primitives.ts';

export const usernameSchema = z.string().regex(USERNAME_PATTERN, { error: 'username: 2-32 of a-z 0-9 . _ -' });

export const authParamsRequestSchema = z.strictObject({ username: usernameSchema });

export const kdfParamsSchema = z.strictObject({
  alg: z.literal('argon2id13'),
  opsLimit: z.number().int().min(1).max(16),
  memLimit: z.number().int().min(8 * 1024 * 1024).max(1024 * 1024 * 1024),
  salt: b64Bytes(16),
});
export type KdfParamsData = z.infer<typeof kdfParamsSchema>;

export const loginRequestSchema = z.strictObject({
  username: usernameSchema,
  /** First half of the Argon2id output of her password; the second half (the wrapping key) never leaves her device. */
  authKey: b64Bytes(32),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const wrappedSecretSchema = z.strictObject({ nonce: b64Bytes(24), ciphertext: z.string().max(512) });

/** Sent with navigator.sendBeacon when she leaves while the page unloads (quick exit) or is offline. */
export const residentLeaveBeaconSchema = z.strictObject({
  resumeToken: b64Bytes(32),
  reason: z.enum(['ended', 'exit', 'abandon']),
});
