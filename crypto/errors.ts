// The one error type of the crypto module: a stable `code` callers switch on, and a message that names the
// function that refused, so a log line points at the failing check without carrying any secret.

export type CryptoErrorCode =
  | 'NOT_READY'
  | 'BAD_LENGTH'
  | 'BAD_CERTIFICATE'
  | 'CERT_EXPIRED'
  | 'WRONG_ASSOCIATION'
  | 'BAD_SIGNATURE'
  | 'DECRYPT_FAILED'
  | 'REPLAY'
  | 'OUT_OF_ORDER'
  | 'TOO_LARGE'
  | 'CLOSED'
  | 'BAD_ENCODING'
  | 'UNWRAP_FAILED'
  | 'REVOKED';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

/** Throws BAD_LENGTH unless `value` is a Uint8Array of exactly `length` bytes. */
export function assertBytes(fn: string, what: string, value: unknown, length: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('BAD_LENGTH', `${fn}: ${what} must be a Uint8Array`);
  }
  if (value.length !== length) {
    throw new CryptoError('BAD_LENGTH', `${fn}: ${what} must be ${length} bytes, got ${value.length}`);
  }
}

/** Throws BAD_LENGTH unless `n` is a safe, non-negative integer (sequence numbers, timestamps). */
export function assertUint(fn: string, what: string, n: unknown): asserts n is number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new CryptoError('BAD_LENGTH', `${fn}: ${what} must be a non-negative safe integer`);
  }
}
