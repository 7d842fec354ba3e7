// Loads libsodium once and hands the ready module to the synchronous functions of this folder, which refuse
// to run (NOT_READY) rather than fail obscurely inside an uninitialised wasm instance.
import sodium from 'libsodium-wrappers';
import { CryptoError } from './errors.ts';

// Only the default export is populated at runtime: the ESM build's named exports are limited to helpers
// such as `ready` and `memzero`, although the type declarations list every crypto_* function as well.
export type Sodium = typeof sodium;

let isReady = false;
let loading: Promise<Sodium> | undefined;

export async function sodiumReady(): Promise<Sodium> {
  loading ??= sodium.ready.then(
    () => {
      isReady = true;
      return sodium;
    },
    (err: unknown) => {
      // Let a later call retry (e.g. after a transient wasm fetch failure in the browser).
      loading = undefined;
      throw err;
    },
  );
  return loading;
}

/** The ready module, or NOT_READY naming the caller. */
export function requireSodium(fn: string): Sodium {
  if (!isReady) {
    throw new CryptoError('NOT_READY', `${fn}: libsodium is not initialised; await sodiumReady() first`);
  }
  return sodium;
}
