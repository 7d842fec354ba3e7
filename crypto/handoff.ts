// The handoff note of a transfer: a short text from one counsellor to the colleague she hands a chat to, readable
// by that colleague only. Signed with the sender's identity key, then sealed (crypto_box_seal) to the recipient's
// identity key converted to X25519, and padded to fixed sizes so the relay learns nothing but the bucket.
import { concatBytes, lengthPrefixed, utf8Decode, utf8Encode, utf8Field } from './encoding.ts';
import { CryptoError, assertBytes } from './errors.ts';
import { CHAT_ID_MAX_BYTES } from './handshake.ts';
import { SIGNATURE_BYTES, SIGN_PUBLIC_KEY_BYTES, SIGN_SECRET_KEY_BYTES } from './signing.ts';
import { requireSodium } from './sodium.ts';

export const HANDOFF_DOMAIN = 'helpdesk/handoff/v1';
/** A note is padded to one of these sizes: a few lines, or a short paragraph. */
export const HANDOFF_NOTE_BUCKETS = [256, 1024] as const;
/** One byte of the largest bucket is always taken by the ISO/IEC 7816-4 padding marker. */
export const MAX_HANDOFF_NOTE_BYTES = 1023;
/** crypto_box_SEALBYTES: the ephemeral X25519 public key and the Poly1305 tag. */
export const SEAL_OVERHEAD_BYTES = 48;
/** The only sealed-note lengths there are: seal overhead + signature + padded bucket. */
export const HANDOFF_NOTE_LENGTHS: readonly number[] = HANDOFF_NOTE_BUCKETS.map((b) => SEAL_OVERHEAD_BYTES + SIGNATURE_BYTES + b);

/**
 * The bytes the sender signs. Binding the chat id stops the server from replaying an old note into an offer
 * about another chat; binding the recipient's key stops the recipient from passing the note off, re-sealed,
 * as addressed to someone else.
 */
export function handoffSignedBytes(chatId: string, recipientIdentityPublicKey: Uint8Array, padded: Uint8Array): Uint8Array {
  const fn = 'handoffSignedBytes';
  assertBytes(fn, 'recipientIdentityPublicKey', recipientIdentityPublicKey, SIGN_PUBLIC_KEY_BYTES);
  return concatBytes(
    utf8Encode(HANDOFF_DOMAIN),
    lengthPrefixed(utf8Field(fn, 'chatId', chatId, CHAT_ID_MAX_BYTES)),
    recipientIdentityPublicKey,
    padded,
  );
}

/** Ed25519 public key -> X25519; BAD_ENCODING for a key that is not a usable curve point. */
function toCurvePublic(fn: string, edPublicKey: Uint8Array): Uint8Array {
  try {
    return requireSodium(fn).crypto_sign_ed25519_pk_to_curve25519(edPublicKey);
  } catch {
    throw new CryptoError('BAD_ENCODING', `${fn}: identity public key is not a usable curve point`);
  }
}

export function sealHandoffNote(args: {
  text: string;
  chatId: string;
  senderIdentitySecretKey: Uint8Array;
  recipientIdentityPublicKey: Uint8Array;
}): Uint8Array {
  const fn = 'sealHandoffNote';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'senderIdentitySecretKey', args.senderIdentitySecretKey, SIGN_SECRET_KEY_BYTES);
  assertBytes(fn, 'recipientIdentityPublicKey', args.recipientIdentityPublicKey, SIGN_PUBLIC_KEY_BYTES);
  const bytes = utf8Field(fn, 'text', args.text, Number.MAX_SAFE_INTEGER);
  const bucket = HANDOFF_NOTE_BUCKETS.find((b) => bytes.length + 1 <= b);
  if (bucket === undefined) throw new CryptoError('TOO_LARGE', `${fn}: note longer than ${MAX_HANDOFF_NOTE_BYTES} bytes`);
  const recipientCurve = toCurvePublic(fn, args.recipientIdentityPublicKey);
  // With length < bucket, sodium.pad's "next multiple of the block size" is exactly the bucket.
  const padded = sodium.pad(bytes, bucket);
  const signature = sodium.crypto_sign_detached(
    handoffSignedBytes(args.chatId, args.recipientIdentityPublicKey, padded),
    args.senderIdentitySecretKey,
  );
  const inner = concatBytes(signature, padded);
  try {
    return sodium.crypto_box_seal(inner, recipientCurve);
  } finally {
    sodium.memzero(padded);
    sodium.memzero(inner);
    sodium.memzero(bytes);
  }
}

/**
 * Opens a note with the recipient's identity secret key (converted to X25519 for the moment it takes), then
 * checks the sender's signature: the caller passes the sender's key from a certificate it has verified.
 */
export function openHandoffNote(args: {
  sealed: Uint8Array;
  chatId: string;
  recipientIdentitySecretKey: Uint8Array;
  senderIdentityPublicKey: Uint8Array;
}): string {
  const fn = 'openHandoffNote';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'recipientIdentitySecretKey', args.recipientIdentitySecretKey, SIGN_SECRET_KEY_BYTES);
  assertBytes(fn, 'senderIdentityPublicKey', args.senderIdentityPublicKey, SIGN_PUBLIC_KEY_BYTES);
  if (!(args.sealed instanceof Uint8Array) || !HANDOFF_NOTE_LENGTHS.includes(args.sealed.length)) {
    throw new CryptoError('BAD_LENGTH', `${fn}: sealed note length is not a padded bucket size`);
  }
  // An Ed25519 secret key ends with its public key.
  const recipientPublic = args.recipientIdentitySecretKey.slice(32);
  const curvePublic = toCurvePublic(fn, recipientPublic);
  const curveSecret = sodium.crypto_sign_ed25519_sk_to_curve25519(args.recipientIdentitySecretKey);
  let inner: Uint8Array;
  try {
    inner = sodium.crypto_box_seal_open(args.sealed, curvePublic, curveSecret);
  } catch {
    throw new CryptoError('DECRYPT_FAILED', `${fn}: note failed authentication (not sealed to this key, or altered)`);
  } finally {
    sodium.memzero(curveSecret);
  }
  try {
    const signature = inner.subarray(0, SIGNATURE_BYTES);
    const padded = inner.subarray(SIGNATURE_BYTES);
    let valid: boolean;
    try {
      valid = sodium.crypto_sign_verify_detached(
        signature,
        handoffSignedBytes(args.chatId, recipientPublic, padded),
        args.senderIdentityPublicKey,
      );
    } catch {
      valid = false;
    }
    if (!valid) throw new CryptoError('BAD_SIGNATURE', `${fn}: note is not signed by the sender for this chat and recipient`);
    let text: Uint8Array;
    try {
      text = sodium.unpad(padded, padded.length);
    } catch {
      throw new CryptoError('BAD_ENCODING', `${fn}: invalid padding`);
    }
    return utf8Decode(text);
  } finally {
    sodium.memzero(inner);
  }
}
