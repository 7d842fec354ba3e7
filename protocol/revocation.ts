// An association's signed list of revoked counsellors (crypto/revocation.ts signs and verifies it).
import { z } from 'zod';
import { SIGNATURE_BYTES } from './limits.ts';
import { b64Bytes, idSchema } from './primitives.ts';
import { associationSchema } from './triage.ts';

/** Counsellors one signed revocation list may name. */
export const MAX_REVOKED = 1_000;

/**
 * The association's list of revoked counsellors, signed in a supervisor's browser with the association key.
 * The server hands the newest list to residents with every handshake; a resident refuses a counsellor named
 * in it. `issuedAt` only grows, so an older list cannot replace a newer one.
 */
export const revocationListSchema = z.strictObject({
  v: z.literal(1),
  association: associationSchema,
  issuedAt: z.number().int().nonnegative(),
  revoked: z.array(idSchema).max(MAX_REVOKED),
  signature: b64Bytes(SIGNATURE_BYTES),
});
export type RevocationListData = z.infer<typeof revocationListSchema>;
