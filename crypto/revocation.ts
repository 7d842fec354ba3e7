// An association's signed list of revoked counsellors. A supervisor's browser signs it with the association
// key; the server hands the newest list to the resident with every handshake, and the resident refuses a
// counsellor it names even though her certificate is still within its validity. The server cannot forge a
// list; it could withhold the newest one, which the short certificate lifetime bounds (docs/threat-model.md).
import { CryptoError, assertBytes, assertUint } from './errors.ts';
import { concatBytes, fromB64, lengthPrefixed, toB64, u64be, utf8Encode, utf8Field } from './encoding.ts';
import { SIGNATURE_BYTES, SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './signing.ts';
import { requireSodium } from './sodium.ts';

export const REVOCATION_DOMAIN = 'helpdesk/revocations/v1';
const FIELD_MAX_BYTES = 256;
/** Enough for years of staff turnover; a longer list is refused rather than signed or trusted. */
export const REVOCATION_MAX_ENTRIES = 1_000;

export interface RevocationList {
  v: 1;
  association: string;
  issuedAt: number;
  /** Counsellor ids, sorted and unique in the signed form. */
  revoked: string[];
  /** base64url Ed25519 signature by the association key. */
  signature: string;
}

function canonical(ids: readonly string[]): string[] {
  return [...new Set(ids)].sort();
}

export function revocationSignedBytes(fn: string, body: Omit<RevocationList, 'signature'>): Uint8Array {
  if (body.v !== 1) throw new CryptoError('BAD_CERTIFICATE', `${fn}: unsupported revocation list version`);
  assertUint(fn, 'issuedAt', body.issuedAt);
  if (!Array.isArray(body.revoked) || body.revoked.length > REVOCATION_MAX_ENTRIES) {
    throw new CryptoError('TOO_LARGE', `${fn}: at most ${REVOCATION_MAX_ENTRIES} revoked counsellors`);
  }
  const ids = canonical(body.revoked).map((id) => lengthPrefixed(utf8Field(fn, 'counsellorId', id, FIELD_MAX_BYTES)));
  return concatBytes(
    utf8Encode(REVOCATION_DOMAIN),
    lengthPrefixed(utf8Field(fn, 'association', body.association, FIELD_MAX_BYTES)),
    u64be(body.issuedAt),
    u64be(ids.length),
    ...ids,
  );
}

export function signRevocationList(
  body: { association: string; issuedAt: number; revoked: readonly string[] },
  associationSecretKey: Uint8Array,
): RevocationList {
  const fn = 'signRevocationList';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'associationSecretKey', associationSecretKey, SIGN_SECRET_KEY_BYTES);
  const unsigned = { v: 1 as const, association: body.association, issuedAt: body.issuedAt, revoked: canonical(body.revoked) };
  const signature = sodium.crypto_sign_detached(revocationSignedBytes(fn, unsigned), associationSecretKey);
  return { ...unsigned, signature: toB64(signature) };
}

/** Throws BAD_SIGNATURE unless the list is signed by the pinned key of the association it names. */
export function verifyRevocationList(list: RevocationList, pinned: Readonly<Record<string, Uint8Array>>): void {
  const fn = 'verifyRevocationList';
  const sodium = requireSodium(fn);
  if (typeof list.association !== 'string' || !Object.hasOwn(pinned, list.association)) {
    throw new CryptoError('WRONG_ASSOCIATION', `${fn}: no pinned key for the list's association`);
  }
  const key = pinned[list.association];
  assertBytes(fn, 'pinned key', key, SIGN_PUBLIC_KEY_BYTES);
  let signature: Uint8Array;
  try {
    signature = fromB64(list.signature, SIGNATURE_BYTES);
  } catch {
    throw new CryptoError('BAD_SIGNATURE', `${fn}: signature is not ${SIGNATURE_BYTES} bytes of base64url`);
  }
  let valid: boolean;
  try {
    valid = sodium.crypto_sign_verify_detached(signature, revocationSignedBytes(fn, list), key);
  } catch {
    valid = false;
  }
  if (!valid) throw new CryptoError('BAD_SIGNATURE', `${fn}: signature does not verify`);
}

/**
 * The resident's check: throws REVOKED when an authentic list of the counsellor's association names her.
 * A list that does not verify is ignored (a forged list must not let the server refuse every counsellor),
 * and so is a list of another association.
 */
export function assertNotRevoked(
  counsellorId: string,
  association: string,
  list: RevocationList | null | undefined,
  pinned: Readonly<Record<string, Uint8Array>>,
): void {
  if (!list || list.association !== association) return;
  try {
    verifyRevocationList(list, pinned);
  } catch {
    return;
  }
  if (list.revoked.includes(counsellorId))
    throw new CryptoError('REVOKED', `assertNotRevoked: the association has revoked this counsellor`);
}
