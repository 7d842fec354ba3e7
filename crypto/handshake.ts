// The per-chat key agreement: fresh crypto_kx key pairs on both sides, the counsellor's half signed with her
// certified identity key, so the resident derives session keys only with a counsellor her association vouches for.
import type { Certificate } from './certificate.ts';
import { verifyCertificate } from './certificate.ts';
import { assertNotRevoked, type RevocationList } from './revocation.ts';
import { concatBytes, lengthPrefixed, randomBytes, utf8Encode, utf8Field } from './encoding.ts';
import { CryptoError, assertBytes } from './errors.ts';
import { SIGNATURE_BYTES, SIGN_SECRET_KEY_BYTES } from './signing.ts';
import { requireSodium } from './sodium.ts';

export const HANDSHAKE_DOMAIN = 'helpdesk/handshake/v1';
export const KX_PUBLIC_KEY_BYTES = 32;
export const KX_SECRET_KEY_BYTES = 32;
export const HANDSHAKE_NONCE_BYTES = 32;
export const CHAT_ID_MAX_BYTES = 256;

export interface ResidentHandshake {
  kxPublicKey: Uint8Array;
  kxSecretKey: Uint8Array;
  nonce: Uint8Array;
}

export interface SessionKeys {
  rx: Uint8Array;
  tx: Uint8Array;
}

export function createResidentHandshake(): ResidentHandshake {
  const kp = requireSodium('createResidentHandshake').crypto_kx_keypair();
  return { kxPublicKey: kp.publicKey, kxSecretKey: kp.privateKey, nonce: randomBytes(HANDSHAKE_NONCE_BYTES) };
}

/** The bytes the counsellor signs: binds her fresh kx key to this chat and this resident's offer. */
export function handshakeTranscript(
  chatId: string,
  residentKxPublicKey: Uint8Array,
  counsellorKxPublicKey: Uint8Array,
  residentNonce: Uint8Array,
): Uint8Array {
  const fn = 'handshakeTranscript';
  assertBytes(fn, 'residentKxPublicKey', residentKxPublicKey, KX_PUBLIC_KEY_BYTES);
  assertBytes(fn, 'counsellorKxPublicKey', counsellorKxPublicKey, KX_PUBLIC_KEY_BYTES);
  assertBytes(fn, 'residentNonce', residentNonce, HANDSHAKE_NONCE_BYTES);
  return concatBytes(
    utf8Encode(HANDSHAKE_DOMAIN),
    lengthPrefixed(utf8Field(fn, 'chatId', chatId, CHAT_ID_MAX_BYTES)),
    residentKxPublicKey,
    counsellorKxPublicKey,
    residentNonce,
  );
}

export function counsellorRespond(args: {
  chatId: string;
  residentKxPublicKey: Uint8Array;
  residentNonce: Uint8Array;
  identitySecretKey: Uint8Array;
}): { kxPublicKey: Uint8Array; signature: Uint8Array; keys: SessionKeys } {
  const fn = 'counsellorRespond';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'identitySecretKey', args.identitySecretKey, SIGN_SECRET_KEY_BYTES);
  const kp = sodium.crypto_kx_keypair();
  try {
    const transcript = handshakeTranscript(args.chatId, args.residentKxPublicKey, kp.publicKey, args.residentNonce);
    const signature = sodium.crypto_sign_detached(transcript, args.identitySecretKey);
    let keys: { sharedRx: Uint8Array; sharedTx: Uint8Array };
    try {
      keys = sodium.crypto_kx_server_session_keys(kp.publicKey, kp.privateKey, args.residentKxPublicKey);
    } catch {
      // libsodium refuses low-order points, whose shared secret would be all zeros.
      throw new CryptoError('BAD_ENCODING', `${fn}: resident kx public key is not a usable curve point`);
    }
    return { kxPublicKey: kp.publicKey, signature, keys: { rx: keys.sharedRx, tx: keys.sharedTx } };
  } finally {
    sodium.memzero(kp.privateKey);
  }
}

/**
 * Checks the certificate, then the counsellor's signature, and only then derives keys. A refused response
 * leaves the handshake intact: an attacker who injects a forged answer first cannot spoil the genuine one.
 * On success the kx secret key is wiped, so a handshake completes at most once.
 */
export function residentComplete(
  hs: ResidentHandshake,
  args: {
    chatId: string;
    counsellorKxPublicKey: Uint8Array;
    signature: Uint8Array;
    certificate: Certificate;
    pinned: Readonly<Record<string, Uint8Array>>;
    acceptedAssociations: string | readonly string[];
    now: number;
    /** The association's newest signed revocation list, as the server relayed it with the offer. */
    revocations?: RevocationList | null;
  },
): SessionKeys {
  const fn = 'residentComplete';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'kxSecretKey', hs.kxSecretKey, KX_SECRET_KEY_BYTES);
  if (sodium.is_zero(hs.kxSecretKey)) {
    throw new CryptoError('CLOSED', `${fn}: handshake already completed or wiped`);
  }
  assertBytes(fn, 'signature', args.signature, SIGNATURE_BYTES);
  verifyCertificate(args.certificate, args.pinned, args.acceptedAssociations, args.now);
  assertNotRevoked(args.certificate.counsellorId, args.certificate.association, args.revocations, args.pinned);
  const transcript = handshakeTranscript(args.chatId, hs.kxPublicKey, args.counsellorKxPublicKey, hs.nonce);
  let valid: boolean;
  try {
    valid = sodium.crypto_sign_verify_detached(args.signature, transcript, args.certificate.identityPublicKey);
  } catch {
    valid = false;
  }
  if (!valid) throw new CryptoError('BAD_SIGNATURE', `${fn}: handshake signature does not verify`);
  let keys: { sharedRx: Uint8Array; sharedTx: Uint8Array };
  try {
    keys = sodium.crypto_kx_client_session_keys(hs.kxPublicKey, hs.kxSecretKey, args.counsellorKxPublicKey);
  } catch {
    throw new CryptoError('BAD_ENCODING', `${fn}: counsellor kx public key is not a usable curve point`);
  } finally {
    // Reached only after both checks passed, so wiping here never spoils a retry after a refused forgery.
    sodium.memzero(hs.kxSecretKey);
  }
  return { rx: keys.sharedRx, tx: keys.sharedTx };
}

export function wipeResidentHandshake(hs: ResidentHandshake): void {
  requireSodium('wipeResidentHandshake').memzero(hs.kxSecretKey);
}
