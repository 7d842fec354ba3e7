// Association certificates: an organisation root key vouches for a counsellor's identity key, so a resident
// who pins the root key can tell a real counsellor from a key substituted by a tampered server.
import { CryptoError, assertBytes } from './errors.ts';
import { concatBytes, fromB64, lengthPrefixed, toB64, u64be, utf8Encode, utf8Field } from './encoding.ts';
import { SIGNATURE_BYTES, SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './signing.ts';
import { requireSodium } from './sodium.ts';

export const CERT_DOMAIN = 'helpdesk/cert/v1';
/** Tolerated clock skew of the resident's phone when checking `issuedAt`. */
export const CERT_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** Upper bound on each UTF-8 text field; generous, the protocol layer enforces the product limits. */
export const CERT_FIELD_MAX_BYTES = 256;

export interface CertificateBody {
  version: 1;
  association: string;
  counsellorId: string;
  alias: string;
  identityPublicKey: Uint8Array;
  issuedAt: number;
  expiresAt: number;
}

export interface Certificate extends CertificateBody {
  signature: Uint8Array;
}

export interface WireCertificate {
  v: 1;
  association: string;
  counsellorId: string;
  alias: string;
  identityPublicKey: string;
  issuedAt: number;
  expiresAt: number;
  signature: string;
}

function isTimestamp(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Every malformed body is BAD_CERTIFICATE, whichever field is wrong: callers need one answer. */
function bodyFields(fn: string, body: CertificateBody): [Uint8Array, Uint8Array, Uint8Array] {
  if (body.version !== 1) throw new CryptoError('BAD_CERTIFICATE', `${fn}: unsupported certificate version`);
  if (!(body.identityPublicKey instanceof Uint8Array) || body.identityPublicKey.length !== SIGN_PUBLIC_KEY_BYTES) {
    throw new CryptoError('BAD_CERTIFICATE', `${fn}: identityPublicKey must be ${SIGN_PUBLIC_KEY_BYTES} bytes`);
  }
  if (!isTimestamp(body.issuedAt) || !isTimestamp(body.expiresAt) || body.expiresAt <= body.issuedAt) {
    throw new CryptoError('BAD_CERTIFICATE', `${fn}: issuedAt/expiresAt must be integers with issuedAt < expiresAt`);
  }
  try {
    return [
      utf8Field(fn, 'association', body.association, CERT_FIELD_MAX_BYTES),
      utf8Field(fn, 'counsellorId', body.counsellorId, CERT_FIELD_MAX_BYTES),
      utf8Field(fn, 'alias', body.alias, CERT_FIELD_MAX_BYTES),
    ];
  } catch (err) {
    if (err instanceof CryptoError) throw new CryptoError('BAD_CERTIFICATE', err.message);
    throw err;
  }
}

export function certificateSignedBytes(body: CertificateBody): Uint8Array {
  const [association, counsellorId, alias] = bodyFields('certificateSignedBytes', body);
  return concatBytes(
    utf8Encode(CERT_DOMAIN),
    lengthPrefixed(association),
    lengthPrefixed(counsellorId),
    lengthPrefixed(alias),
    body.identityPublicKey,
    u64be(body.issuedAt),
    u64be(body.expiresAt),
  );
}

export function issueCertificate(body: CertificateBody, associationSecretKey: Uint8Array): Certificate {
  const sodium = requireSodium('issueCertificate');
  assertBytes('issueCertificate', 'associationSecretKey', associationSecretKey, SIGN_SECRET_KEY_BYTES);
  const signature = sodium.crypto_sign_detached(certificateSignedBytes(body), associationSecretKey);
  return {
    version: 1,
    association: body.association,
    counsellorId: body.counsellorId,
    alias: body.alias,
    identityPublicKey: body.identityPublicKey.slice(),
    issuedAt: body.issuedAt,
    expiresAt: body.expiresAt,
    signature,
  };
}

/**
 * Accepts a certificate only if it names an expected association, is signed by that association's pinned
 * key and is within its validity window. Revocation is not checked yet: until a signed revocation list
 * exists, short validity periods bound how long a leaked identity key stays usable.
 */
export function verifyCertificate(
  cert: Certificate,
  pinned: Readonly<Record<string, Uint8Array>>,
  expectedAssociation: string | readonly string[],
  now: number,
): void {
  const fn = 'verifyCertificate';
  const sodium = requireSodium(fn);
  const expected: readonly string[] = typeof expectedAssociation === 'string' ? [expectedAssociation] : expectedAssociation;
  if (typeof cert.association !== 'string' || !expected.includes(cert.association)) {
    throw new CryptoError('WRONG_ASSOCIATION', `${fn}: certificate is not from an expected association`);
  }
  // Own properties only: a plain-object lookup of "constructor" or "__proto__" would find the prototype's.
  if (!Object.hasOwn(pinned, cert.association)) {
    throw new CryptoError('WRONG_ASSOCIATION', `${fn}: no pinned key for the certificate's association`);
  }
  const rootKey = pinned[cert.association];
  if (!(rootKey instanceof Uint8Array) || rootKey.length !== SIGN_PUBLIC_KEY_BYTES) {
    throw new CryptoError('BAD_CERTIFICATE', `${fn}: pinned association key must be ${SIGN_PUBLIC_KEY_BYTES} bytes`);
  }
  if (!(cert.signature instanceof Uint8Array) || cert.signature.length !== SIGNATURE_BYTES) {
    throw new CryptoError('BAD_CERTIFICATE', `${fn}: signature must be ${SIGNATURE_BYTES} bytes`);
  }
  const signed = certificateSignedBytes(cert);
  let valid: boolean;
  try {
    valid = sodium.crypto_sign_verify_detached(cert.signature, signed, rootKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new CryptoError('BAD_CERTIFICATE', `${fn}: signature does not verify`);
  // Checked after the signature so that only authentic certificates are reported as expired.
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw new CryptoError('CERT_EXPIRED', `${fn}: current time is not a number`);
  }
  if (now < cert.issuedAt - CERT_CLOCK_SKEW_MS || now >= cert.expiresAt) {
    throw new CryptoError('CERT_EXPIRED', `${fn}: certificate is not valid at this time`);
  }
}

export function certificateToWire(c: Certificate): WireCertificate {
  return {
    v: 1,
    association: c.association,
    counsellorId: c.counsellorId,
    alias: c.alias,
    identityPublicKey: toB64(c.identityPublicKey),
    issuedAt: c.issuedAt,
    expiresAt: c.expiresAt,
    signature: toB64(c.signature),
  };
}

/** Structural decoding only; the result still has to pass verifyCertificate before it is trusted. */
export function certificateFromWire(w: WireCertificate): Certificate {
  const fn = 'certificateFromWire';
  if (typeof w !== 'object' || w === null || w.v !== 1) {
    throw new CryptoError('BAD_CERTIFICATE', `${fn}: not a version 1 certificate`);
  }
  if (typeof w.identityPublicKey !== 'string' || typeof w.signature !== 'string') {
    throw new CryptoError('BAD_ENCODING', `${fn}: identityPublicKey and signature must be base64url strings`);
  }
  const cert: Certificate = {
    version: 1,
    association: w.association,
    counsellorId: w.counsellorId,
    alias: w.alias,
    identityPublicKey: fromB64(w.identityPublicKey, SIGN_PUBLIC_KEY_BYTES),
    issuedAt: w.issuedAt,
    expiresAt: w.expiresAt,
    signature: fromB64(w.signature, SIGNATURE_BYTES),
  };
  bodyFields(fn, cert);
  return cert;
}
