// Reusable zod building blocks for ids, base64url byte strings and the ciphertext envelope fields.
import { z } from 'zod';
import { b64Length, CIPHERTEXT_LENGTHS } from './limits.ts';

const B64URL = /^[A-Za-z0-9_-]*$/;

/** A base64url (no padding) string that decodes to exactly `bytes` bytes. */
export function b64Bytes(bytes: number) {
  return z
    .string()
    .length(b64Length(bytes), { error: `must encode exactly ${bytes} bytes` })
    .regex(B64URL, { error: 'must be base64url' });
}

/** Random 16-byte identifiers (tickets, chats, counsellors), base64url encoded: 22 characters. */
export const idSchema = b64Bytes(16);

const CIPHERTEXT_B64_LENGTHS = new Set(CIPHERTEXT_LENGTHS.map(b64Length));

/** Opaque ciphertext: only the padded bucket sizes are accepted, so sizes leak nothing finer. */
export const ciphertextSchema = z
  .string()
  .regex(B64URL, { error: 'must be base64url' })
  .refine((s) => CIPHERTEXT_B64_LENGTHS.has(s.length), { error: 'ciphertext length is not a padded bucket size' });

export const resumeTokenSchema = b64Bytes(32);
export const sessionTokenSchema = b64Bytes(32);
