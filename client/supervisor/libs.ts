// The crypto the supervisor's page needs, loaded on demand (libsodium and its sumo build for Argon2id) and once:
// sign-in derives her keys with it, the signing-key vault unwraps the association key and signs with it.
import type * as Crypto from '../../crypto/index.ts';
import type * as Keywrap from '../../crypto/keywrap.ts';

export interface Libs {
  crypto: typeof Crypto;
  keywrap: typeof Keywrap;
  memzero: (bytes: Uint8Array) => void;
}

let libs: Promise<Libs> | null = null;

export function loadLibs(): Promise<Libs> {
  libs ??= Promise.all([import('../../crypto/index.ts'), import('../../crypto/keywrap.ts')]).then(
    async ([crypto, keywrap]) => {
      const sodium = await crypto.sodiumReady();
      await keywrap.sumoReady();
      return { crypto, keywrap, memzero: (bytes: Uint8Array) => sodium.memzero(bytes) };
    },
    (err: unknown) => {
      libs = null;
      throw err;
    },
  );
  return libs;
}

/** Lets the "Deriving keys…" text paint before Argon2id holds the main thread for a moment. */
export function paint(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 30));
}
