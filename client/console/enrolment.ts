// The browser's half of enrolment: the invitation token taken out of the address bar, then the password turned
// into an authentication key and a wrapping key (Argon2id), and her identity key pair generated here and sealed
// with the wrapping key. Only the public key, the sealed secret and the authentication key go to the server.
import { finishEnrolment, type HttpResult } from './auth-api.ts';
import type { EnrolFinishResponse, EnrolStartResponse } from '../../protocol/http.ts';

const INVITE_FRAGMENT = /^#invite=([A-Za-z0-9_-]{43})$/;

let taken: string | null | undefined;

/**
 * The token of an invitation link (`/console#invite=...`), removed from the address bar at once so it does not
 * stay in the history or get copied along with the address. Later calls return the same value.
 */
export function takeInviteFromUrl(): string | null {
  if (taken !== undefined) return taken;
  const hash = window.location.hash;
  if (!hash.startsWith('#invite=')) {
    taken = null;
    return taken;
  }
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  taken = INVITE_FRAGMENT.exec(hash)?.[1] ?? '';
  return taken;
}

export const MIN_PASSWORD_LENGTH = 12;

export type EnrolStep = 'Deriving keys from your password…' | 'Creating your identity key…' | 'Saving your account…';

export async function completeEnrolment(args: {
  invite: string;
  start: EnrolStartResponse;
  password: string;
  code: string;
  onStep: (step: EnrolStep) => void;
}): Promise<HttpResult<EnrolFinishResponse>> {
  const [crypto, keywrap] = await Promise.all([import('../../crypto/index.ts'), import('../../crypto/keywrap.ts')]);
  const sodium = await crypto.sodiumReady();
  await keywrap.sumoReady();
  args.onStep('Deriving keys from your password…');
  await new Promise((resolve) => setTimeout(resolve, 30)); // let the step paint before Argon2id blocks
  const keys = keywrap.derivePasswordKeys(args.password, args.start.kdf);
  args.onStep('Creating your identity key…');
  const identity = crypto.generateSigningKeyPair();
  let body: Parameters<typeof finishEnrolment>[0];
  try {
    body = {
      invite: args.invite,
      authKey: crypto.toB64(keys.authKey),
      identityPublicKey: crypto.toB64(identity.publicKey),
      // Same context as the console unwraps with after sign-in.
      wrappedIdentityKey: keywrap.wrapSecret(identity.secretKey, keys.wrapKey, `identity:${args.start.accountId}`),
      totpCode: args.code,
    };
  } finally {
    // The secret key exists from now on only sealed; she unwraps it again when she signs in.
    sodium.memzero(identity.secretKey);
    sodium.memzero(keys.wrapKey);
    sodium.memzero(keys.authKey);
  }
  args.onStep('Saving your account…');
  return finishEnrolment(body);
}
