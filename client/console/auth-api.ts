// The counsellor's HTTP calls (sign-in parameters, login, logout, enrolment by invitation, password change) on
// the same origin, with the server's `{ error: { code, message } }` bodies turned into typed results. Every call
// is a JSON POST (the server refuses anything else as a possible cross-site forgery). Nothing is stored: no
// cookies are used; the session token lives in the controller's memory.
import type { WireCertificate } from '../../crypto/index.ts';
import type { KdfParams, WrappedSecret } from '../../crypto/keywrap.ts';
import { isErrorCode, type ErrorCode } from '../../protocol/errors.ts';
import type { AccountRole, EnrolFinishResponse, EnrolStartResponse } from '../../protocol/http.ts';
import type { Association, Language } from '../../protocol/triage.ts';

export interface CounsellorProfile {
  id: string;
  username: string;
  alias: string;
  association: Association;
  role: AccountRole;
  capacity: number;
  languages: Language[];
}

export interface LoginResponse {
  token: string;
  counsellor: CounsellorProfile;
  wrappedIdentityKey: WrappedSecret;
  identityPublicKey: string;
  certificate: WireCertificate | null;
}

export type HttpErrorCode = ErrorCode | 'NETWORK';
export type HttpResult<T> = { ok: true; data: T } | { ok: false; code: HttpErrorCode; message: string };

async function call<T>(path: string, init: { body?: unknown; token?: string }): Promise<HttpResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers,
      body: JSON.stringify(init.body ?? {}),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    return { ok: false, code: 'NETWORK', message: 'Cannot reach the server. Check the connection and try again.' };
  }
  if (res.status === 204) return { ok: true, data: undefined as T };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null; // an error page or empty body: reported by status below
  }
  if (res.ok) return { ok: true, data: body as T };
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object' && body.error !== null) {
    const { code, message } = body.error as { code?: unknown; message?: unknown };
    if (isErrorCode(code)) return { ok: false, code, message: typeof message === 'string' ? message : code };
  }
  return { ok: false, code: 'INTERNAL', message: `The server answered ${res.status}.` };
}

export function fetchKdfParams(username: string): Promise<HttpResult<{ kdf: KdfParams }>> {
  return call('/api/auth/params', { body: { username } });
}

/**
 * `authKey` is the base64url of the first half of the Argon2id output; the wrapping half never leaves.
 * `totp` is the 6-digit code of her authenticator app or one of her recovery codes.
 */
export function login(username: string, authKey: string, totp: string): Promise<HttpResult<LoginResponse>> {
  return call('/api/auth/login', { body: { username, authKey, totp } });
}

export function logout(token: string): Promise<HttpResult<undefined>> {
  return call('/api/auth/logout', { token });
}

/** Ends every session of hers, this one included. */
export function logoutEverywhere(token: string): Promise<HttpResult<undefined>> {
  return call('/api/auth/logout-everywhere', { token });
}

export function startEnrolment(invite: string): Promise<HttpResult<EnrolStartResponse>> {
  return call('/api/enrol/start', { body: { invite } });
}

export function finishEnrolment(body: {
  invite: string;
  authKey: string;
  identityPublicKey: string;
  wrappedIdentityKey: WrappedSecret;
  totpCode: string;
}): Promise<HttpResult<EnrolFinishResponse>> {
  return call('/api/enrol/finish', { body });
}

export function changePassword(
  token: string,
  body: { currentAuthKey: string; totp: string; newAuthKey: string; newKdf: KdfParams; newWrappedIdentityKey: WrappedSecret },
): Promise<HttpResult<{ otherSessionsEnded: number }>> {
  return call('/api/account/password', { token, body });
}
