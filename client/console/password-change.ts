// The browser's half of a password change: derive the old keys (the old authentication key proves she knows
// the password), unwrap her identity key with the old wrapping key, and wrap the same key under a wrapping key
// derived from the new password with a fresh salt. Secrets are wiped before returning.
import type * as Keywrap from '../../crypto/keywrap.ts';
import { fetchKdfParams } from './auth-api.ts';

export interface RewrapLibs {
  keywrap: typeof Keywrap;
  toB64: (bytes: Uint8Array) => string;
  memzero: (bytes: Uint8Array) => void;
}

export interface RewrappedBody {
  currentAuthKey: string;
  newAuthKey: string;
  newKdf: Keywrap.KdfParams;
  newWrappedIdentityKey: Keywrap.WrappedSecret;
}

export async function rewrapIdentityKey(
  libs: RewrapLibs,
  args: { username: string; counsellorId: string; wrapped: Keywrap.WrappedSecret; current: string; next: string },
): Promise<{ ok: true; body: RewrappedBody } | { ok: false; message: string }> {
  const { keywrap, toB64, memzero } = libs;
  const params = await fetchKdfParams(args.username);
  if (!params.ok) return { ok: false, message: params.message };
  const context = `identity:${args.counsellorId}`;
  // Argon2id blocks the main thread for a moment; let the "working" state paint first.
  await new Promise((resolve) => setTimeout(resolve, 30));
  let old: { authKey: Uint8Array; wrapKey: Uint8Array };
  try {
    old = keywrap.derivePasswordKeys(args.current, params.data.kdf);
  } catch {
    return { ok: false, message: 'The server sent parameters this page refuses.' };
  }
  let identity: Uint8Array;
  try {
    identity = keywrap.unwrapSecret(args.wrapped, old.wrapKey, context);
  } catch {
    // Checked here, on her own device: the wrapped key is already in this page's memory.
    memzero(old.authKey);
    return { ok: false, message: 'Your current password is wrong.' };
  } finally {
    memzero(old.wrapKey);
  }
  const newKdf = keywrap.defaultKdfParams();
  const fresh = keywrap.derivePasswordKeys(args.next, newKdf);
  try {
    return {
      ok: true,
      body: {
        currentAuthKey: toB64(old.authKey),
        newAuthKey: toB64(fresh.authKey),
        newKdf,
        newWrappedIdentityKey: keywrap.wrapSecret(identity, fresh.wrapKey, context),
      },
    };
  } finally {
    memzero(identity);
    memzero(old.authKey);
    memzero(fresh.authKey);
    memzero(fresh.wrapKey);
  }
}
