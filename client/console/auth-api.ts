// The counsellor's HTTP calls (sign-in parameters, login, logout) on the same origin, with the server's
// `{ error: { code, message } }` bodies turned into typed results. Nothing is stored: no cookies are used.
import type { WireCertificate } from '../../crypto/index.ts';
import type { KdfParams, WrappedSecret } from '../../crypto/keywrap.ts';
import { isErrorCode, type ErrorCode } from '../../protocol/errors.ts';
import type { Association, Language } from '../../protocol/triage.ts';

export interface CounsellorProfile {
  id: string;
  username: string;
  alias: string;
  association: Association;
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
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(path, {
      method: 'POST',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
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

/** `authKey` is the base64url of the first half of the Argon2id output; the wrapping half never leaves. */
export function login(username: string, authKey: string): Promise<HttpResult<LoginResponse>> {
  return call('/api/auth/login', { body: { username, authKey } });
}

export function logout(token: string): Promise<HttpResult<undefined>> {
  return call('/api/auth/logout', { token });
}
