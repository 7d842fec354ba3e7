// Result and error shapes of a request to the server, free of Socket.IO so that code which only inspects
// results (the chat controller) does not pull the socket library into the resident's first download.
import type { ErrorCode } from '../../protocol/errors.ts';

/** Protocol codes plus the two the client makes up itself when no acknowledgement arrives. */
export type TransportErrorCode = ErrorCode | 'TIMEOUT' | 'OFFLINE';

export interface TransportError {
  code: TransportErrorCode;
  message: string;
}

export type RequestResult<T> = { ok: true; data: T } | { ok: false; error: TransportError };

const RETRYABLE: ReadonlySet<TransportErrorCode> = new Set(['TIMEOUT', 'OFFLINE', 'RATE_LIMITED', 'INTERNAL']);

/** Whether sending the same request again later may succeed (the server dedups what must not repeat). */
export function isRetryable(error: TransportError): boolean {
  return RETRYABLE.has(error.code);
}
