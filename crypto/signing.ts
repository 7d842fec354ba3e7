// Ed25519 signing key pairs: the association (organisation) root keys and the counsellors' identity keys.
import { assertBytes } from './errors.ts';
import { requireSodium } from './sodium.ts';

// Fixed by Ed25519 (crypto_sign_*BYTES); literal so callers can check lengths before libsodium loads.
export const SIGN_PUBLIC_KEY_BYTES = 32;
export const SIGN_SECRET_KEY_BYTES = 64;
export const SIGN_SEED_BYTES = 32;
export const SIGNATURE_BYTES = 64;

export interface SigningKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export function generateSigningKeyPair(): SigningKeyPair {
  const kp = requireSodium('generateSigningKeyPair').crypto_sign_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

/** Deterministic key pair from a 32-byte seed: known-answer tests and fixtures, never production keys. */
export function signingKeyPairFromSeed(seed: Uint8Array): SigningKeyPair {
  const sodium = requireSodium('signingKeyPairFromSeed');
  assertBytes('signingKeyPairFromSeed', 'seed', seed, SIGN_SEED_BYTES);
  const kp = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}
