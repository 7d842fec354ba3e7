// Byte-level building blocks: base64url, UTF-8, random bytes and the unambiguous concatenations that every
// signed or authenticated byte string in this folder is built from.
import { CryptoError, assertUint } from './errors.ts';
import { requireSodium } from './sodium.ts';

const encoder = new TextEncoder();
// ignoreBOM keeps a leading U+FEFF as content, so decode(encode(s)) === s for every well-formed string.
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// getRandomValues refuses more than 65536 bytes per call (QuotaExceededError).
const RANDOM_CHUNK = 65_536;
const U32_MAX = 0xffff_ffff;

export function toB64(bytes: Uint8Array): string {
  const sodium = requireSodium('toB64');
  if (!(bytes instanceof Uint8Array)) throw new CryptoError('BAD_ENCODING', 'toB64: input must be a Uint8Array');
  return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
}

/** Decodes base64url without padding; libsodium rejects padding, whitespace and non-zero trailing bits. */
export function fromB64(s: string, expectedLength?: number): Uint8Array {
  const sodium = requireSodium('fromB64');
  if (typeof s !== 'string') throw new CryptoError('BAD_ENCODING', 'fromB64: input must be a string');
  let out: Uint8Array;
  try {
    out = sodium.from_base64(s, sodium.base64_variants.URLSAFE_NO_PADDING);
  } catch {
    throw new CryptoError('BAD_ENCODING', 'fromB64: not valid unpadded base64url');
  }
  if (expectedLength !== undefined && out.length !== expectedLength) {
    throw new CryptoError('BAD_ENCODING', `fromB64: expected ${expectedLength} bytes, got ${out.length}`);
  }
  return out;
}

export function utf8Encode(s: string): Uint8Array {
  if (typeof s !== 'string') throw new CryptoError('BAD_ENCODING', 'utf8Encode: input must be a string');
  return encoder.encode(s);
}

export function utf8Decode(b: Uint8Array): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new CryptoError('BAD_ENCODING', 'utf8Decode: not valid UTF-8');
  }
}

/**
 * UTF-8 of a string that goes into signed or authenticated data. Lone surrogates are refused because the
 * encoder would silently turn them into U+FFFD, letting two different strings share one signature.
 */
export function utf8Field(fn: string, what: string, s: string, maxBytes: number): Uint8Array {
  if (typeof s !== 'string' || s.length === 0) {
    throw new CryptoError('BAD_ENCODING', `${fn}: ${what} must be a non-empty string`);
  }
  const bytes = encoder.encode(s);
  if (decoder.decode(bytes) !== s) {
    throw new CryptoError('BAD_ENCODING', `${fn}: ${what} is not well-formed Unicode`);
  }
  if (bytes.length > maxBytes) {
    throw new CryptoError('BAD_LENGTH', `${fn}: ${what} is longer than ${maxBytes} bytes`);
  }
  return bytes;
}

export function randomBytes(n: number): Uint8Array {
  assertUint('randomBytes', 'n', n);
  const out = new Uint8Array(n);
  for (let off = 0; off < n; off += RANDOM_CHUNK) {
    globalThis.crypto.getRandomValues(out.subarray(off, Math.min(off + RANDOM_CHUNK, n)));
  }
  return out;
}

/** 128 random bits as 22 base64url characters: chat and ticket ids. */
export function randomId(): string {
  return toB64(randomBytes(16));
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** u32 big-endian length then the bytes, so adjacent variable-length fields cannot be re-split. */
export function lengthPrefixed(bytes: Uint8Array): Uint8Array {
  if (bytes.length > U32_MAX) throw new CryptoError('BAD_LENGTH', 'lengthPrefixed: input longer than 2^32-1 bytes');
  const out = new Uint8Array(4 + bytes.length);
  new DataView(out.buffer).setUint32(0, bytes.length, false);
  out.set(bytes, 4);
  return out;
}

/** 8-byte big-endian unsigned integer; JS numbers are exact only up to 2^53 - 1, so that is the limit. */
export function u64be(n: number): Uint8Array {
  assertUint('u64be', 'n', n);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 2 ** 32), false);
  view.setUint32(4, n >>> 0, false);
  return out;
}
