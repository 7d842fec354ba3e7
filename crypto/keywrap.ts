// Password-derived keys for the counsellor console: one Argon2id run yields a login key (sent to the server)
// and a wrapping key (never leaves the device) that seals her identity secret key for storage on the server.
// Uses the sumo build because the standard libsodium-wrappers build ships no crypto_pwhash at runtime.
import sumo from 'libsodium-wrappers-sumo';
import { fromB64, randomBytes, toB64, utf8Encode, utf8Field } from './encoding.ts';
import { CryptoError, assertBytes } from './errors.ts';
import { sodiumReady } from './sodium.ts';

export type SodiumSumo = typeof sumo;

export interface KdfParams {
  alg: 'argon2id13';
  opsLimit: number;
  memLimit: number;
  salt: string;
}

export interface WrappedSecret {
  nonce: string;
  ciphertext: string;
}

export const KDF_SALT_BYTES = 16;
export const AUTH_KEY_BYTES = 32;
export const WRAP_KEY_BYTES = 32;
export const WRAP_NONCE_BYTES = 24;
export const WRAP_DOMAIN = 'helpdesk/wrap/v1/';
const WRAP_CONTEXT_MAX_BYTES = 256;
// Ceiling on the work a stored parameter set may demand, so a corrupted or hostile record cannot make the
// browser allocate gigabytes; 256 MiB is libsodium's MODERATE level.
const MAX_OPS_LIMIT = 10;
const MAX_MEM_LIMIT = 256 * 1024 * 1024;

let isReady = false;
let loading: Promise<SodiumSumo> | undefined;

/** Readies the sumo build and the standard one (base64 helpers in encoding.ts run on the latter). */
export async function sumoReady(): Promise<SodiumSumo> {
  loading ??= Promise.all([sumo.ready, sodiumReady()]).then(
    () => {
      isReady = true;
      return sumo;
    },
    (err: unknown) => {
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

function requireSumo(fn: string): SodiumSumo {
  if (!isReady) throw new CryptoError('NOT_READY', `${fn}: libsodium-sumo is not initialised; await sumoReady() first`);
  return sumo;
}

export function defaultKdfParams(salt?: Uint8Array): KdfParams {
  const fn = 'defaultKdfParams';
  const s = requireSumo(fn);
  const saltBytes = salt ?? randomBytes(KDF_SALT_BYTES);
  assertBytes(fn, 'salt', saltBytes, KDF_SALT_BYTES);
  return {
    alg: 'argon2id13',
    opsLimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
    memLimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    salt: toB64(saltBytes),
  };
}

/**
 * Parameters come back from the server at login. A hostile server could send weak ones to obtain a cheaply
 * brute-forced authKey, so anything below the interactive level is refused, not just malformed values.
 */
function checkKdfParams(fn: string, s: SodiumSumo, params: KdfParams): Uint8Array {
  if (params.alg !== 'argon2id13') throw new CryptoError('BAD_ENCODING', `${fn}: unsupported KDF algorithm`);
  const { opsLimit, memLimit } = params;
  if (
    !Number.isSafeInteger(opsLimit) ||
    !Number.isSafeInteger(memLimit) ||
    opsLimit < s.crypto_pwhash_OPSLIMIT_INTERACTIVE ||
    memLimit < s.crypto_pwhash_MEMLIMIT_INTERACTIVE ||
    opsLimit > MAX_OPS_LIMIT ||
    memLimit > MAX_MEM_LIMIT
  ) {
    throw new CryptoError('BAD_ENCODING', `${fn}: KDF limits outside the accepted range`);
  }
  return fromB64(params.salt, KDF_SALT_BYTES);
}

export function derivePasswordKeys(password: string, params: KdfParams): { authKey: Uint8Array; wrapKey: Uint8Array } {
  const fn = 'derivePasswordKeys';
  const s = requireSumo(fn);
  if (typeof password !== 'string') throw new CryptoError('BAD_ENCODING', `${fn}: password must be a string`);
  const salt = checkKdfParams(fn, s, params);
  // NFC so the same password typed on macOS (often decomposed accents) and elsewhere derives the same keys.
  const pw = utf8Encode(password.normalize('NFC'));
  let master: Uint8Array | undefined;
  try {
    master = s.crypto_pwhash(AUTH_KEY_BYTES + WRAP_KEY_BYTES, pw, salt, params.opsLimit, params.memLimit, s.crypto_pwhash_ALG_ARGON2ID13);
    return { authKey: master.slice(0, AUTH_KEY_BYTES), wrapKey: master.slice(AUTH_KEY_BYTES) };
  } finally {
    s.memzero(pw);
    if (master) s.memzero(master);
  }
}

function wrapAd(fn: string, context: string): Uint8Array {
  utf8Field(fn, 'context', context, WRAP_CONTEXT_MAX_BYTES);
  return utf8Encode(WRAP_DOMAIN + context);
}

/** `context` names what is wrapped (e.g. "identity/<counsellorId>"), so one blob cannot pose as another. */
export function wrapSecret(secret: Uint8Array, wrapKey: Uint8Array, context: string): WrappedSecret {
  const fn = 'wrapSecret';
  const s = requireSumo(fn);
  assertBytes(fn, 'wrapKey', wrapKey, WRAP_KEY_BYTES);
  if (!(secret instanceof Uint8Array)) throw new CryptoError('BAD_LENGTH', `${fn}: secret must be a Uint8Array`);
  const nonce = randomBytes(WRAP_NONCE_BYTES);
  const ciphertext = s.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, wrapAd(fn, context), null, nonce, wrapKey);
  return { nonce: toB64(nonce), ciphertext: toB64(ciphertext) };
}

export function unwrapSecret(w: WrappedSecret, wrapKey: Uint8Array, context: string): Uint8Array {
  const fn = 'unwrapSecret';
  const s = requireSumo(fn);
  assertBytes(fn, 'wrapKey', wrapKey, WRAP_KEY_BYTES);
  const ad = wrapAd(fn, context);
  const nonce = fromB64(w.nonce, WRAP_NONCE_BYTES);
  const ciphertext = fromB64(w.ciphertext);
  try {
    return s.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, ad, nonce, wrapKey);
  } catch {
    throw new CryptoError('UNWRAP_FAILED', `${fn}: wrong key or context, or the wrapped secret was altered`);
  }
}

/** Server side: stores only an Argon2id hash of the authKey, so a database leak does not yield a login key. */
export function hashAuthKey(authKey: Uint8Array): string {
  const fn = 'hashAuthKey';
  const s = requireSumo(fn);
  assertBytes(fn, 'authKey', authKey, AUTH_KEY_BYTES);
  return s.crypto_pwhash_str(authKey, s.crypto_pwhash_OPSLIMIT_INTERACTIVE, s.crypto_pwhash_MEMLIMIT_INTERACTIVE);
}

/** False for a wrong key and for a malformed stored hash alike. */
export function verifyAuthKey(hash: string, authKey: Uint8Array): boolean {
  const fn = 'verifyAuthKey';
  const s = requireSumo(fn);
  assertBytes(fn, 'authKey', authKey, AUTH_KEY_BYTES);
  if (typeof hash !== 'string') return false;
  try {
    return s.crypto_pwhash_str_verify(hash, authKey);
  } catch {
    return false;
  }
}
