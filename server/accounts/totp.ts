// Second factor for counsellor sign-in: RFC 6238 TOTP (the SHA-1 / 6 digits / 30 s profile every authenticator
// app supports), base32 secrets and otpauth:// URIs for enrolment, and single-use recovery codes stored only hashed.
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

const DIGITS = 6;
const PERIOD_SECONDS = 30;
const SECRET_BYTES = 20; // RFC 4226 recommends 160 bits, the HMAC-SHA1 output size.
// Beyond a few steps the replay window grows faster than clock drift justifies; refuse it as a configuration bug.
const MAX_WINDOW = 10;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// No 0/o, 1/l/i: codes are read off paper and typed by hand, often under stress.
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

export function generateTotpSecret(): Uint8Array {
  return new Uint8Array(randomBytes(SECRET_BYTES));
}

/** RFC 4648 base32 without padding: authenticator apps neither need nor always accept the '=' characters. */
export function base32Encode(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff; // only the low <13 bits are ever pending, so 16 suffice
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

/** Case-insensitive and ignores whitespace, because people retype secrets shown in groups of four. */
export function base32Decode(s: string): Uint8Array {
  const clean = s.replace(/\s+/g, '').toUpperCase();
  // 1, 3 and 6 trailing characters cannot come from whole bytes: the input was truncated or mistyped.
  if ([1, 3, 6].includes(clean.length % 8)) throw new Error(`base32Decode: invalid length ${clean.length}`);
  const out = new Uint8Array(Math.floor((clean.length * 5) / 8));
  let buffer = 0;
  let bits = 0;
  let i = 0;
  for (let pos = 0; pos < clean.length; pos++) {
    const ch = clean.charAt(pos);
    const value = BASE32_ALPHABET.indexOf(ch);
    if (value === -1) throw new Error(`base32Decode: invalid character ${JSON.stringify(ch)} at position ${pos}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[i++] = (buffer >>> bits) & 0xff;
    }
  }
  return out;
}

/** Key URI (Google Authenticator format) shown as a QR code at enrolment. */
export function totpUri({ secret, account, issuer }: { secret: Uint8Array; account: string; issuer: string }): string {
  // The label is split on the first colon by apps, and some decode before splitting, so a colon would misattribute.
  if (issuer.includes(':') || account.includes(':')) throw new Error('totpUri: issuer and account must not contain ":"');
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = [
    `secret=${base32Encode(secret)}`,
    `issuer=${encodeURIComponent(issuer)}`,
    'algorithm=SHA1',
    `digits=${DIGITS}`,
    `period=${PERIOD_SECONDS}`,
  ];
  return `otpauth://totp/${label}?${params.join('&')}`;
}

/** RFC 4226 HOTP with dynamic truncation, zero-padded to 6 digits. */
export function hotp(secret: Uint8Array, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new Error(`hotp: invalid counter ${counter}`);
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(msg).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

function stepAt(timeMs: number): number {
  if (!Number.isFinite(timeMs) || timeMs < 0) throw new Error(`totp: invalid time ${timeMs}`);
  return Math.floor(timeMs / 1000 / PERIOD_SECONDS);
}

export function totpAt(secret: Uint8Array, timeMs: number): string {
  return hotp(secret, stepAt(timeMs));
}

export interface VerifyTotpOptions {
  /** Steps accepted on each side of the current one, for clock drift and typing time. Default 1. */
  window?: number;
  /** Step of the last code this account signed in with; it and earlier steps are refused as replays. */
  lastUsedStep?: number | null;
}

/**
 * Checks `code` against the steps around `timeMs`. On success the caller must persist `step` as the new
 * lastUsedStep, otherwise a code seen over a shoulder stays usable for the rest of its window.
 */
export function verifyTotp(
  secret: Uint8Array,
  code: string,
  timeMs: number,
  opts: VerifyTotpOptions = {},
): { ok: true; step: number } | { ok: false } {
  const window = opts.window ?? 1;
  if (!Number.isSafeInteger(window) || window < 0 || window > MAX_WINDOW) throw new Error(`verifyTotp: invalid window ${window}`);
  // Nothing else can be a code (no Unicode digits, no spaces); the fixed length also keeps timingSafeEqual from throwing.
  if (!/^[0-9]{6}$/.test(code)) return { ok: false };
  const current = stepAt(timeMs);
  const lastUsed = opts.lastUsedStep ?? -1;
  const given = Buffer.from(code, 'ascii');
  let matched: number | null = null;
  // Every candidate is computed and compared, so the time taken does not reveal which step (if any) matched.
  for (let step = current - window; step <= current + window; step++) {
    if (step < 0) continue;
    const equal = timingSafeEqual(given, Buffer.from(hotp(secret, step), 'ascii'));
    if (equal && step > lastUsed && matched === null) matched = step;
  }
  return matched === null ? { ok: false } : { ok: true, step: matched };
}

/** Single-use codes for a lost phone; shown once, then only their hashes are stored. */
export function generateRecoveryCodes(n = 10): string[] {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`generateRecoveryCodes: invalid count ${n}`);
  const codes = new Set<string>();
  while (codes.size < n) {
    let raw = '';
    // randomInt is uniform over the 31-character alphabet; a byte modulo 31 would bias some characters.
    for (let i = 0; i < RECOVERY_LENGTH; i++) raw += RECOVERY_ALPHABET.charAt(randomInt(RECOVERY_ALPHABET.length));
    codes.add(`${raw.slice(0, 5)}-${raw.slice(5)}`);
  }
  return [...codes];
}

function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[-\s]/g, '');
}

/** Unsalted SHA-256 is enough here: each code carries ~50 random bits, so there is nothing to dictionary-attack. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256').update(normaliseRecoveryCode(code), 'utf8').digest('hex');
}

/** Index of the stored hash `code` matches, or -1. Compares against every hash so timing reveals no position. */
export function matchRecoveryCode(code: string, hashes: string[]): number {
  const candidate = Buffer.from(hashRecoveryCode(code), 'hex');
  let found = -1;
  hashes.forEach((hash, index) => {
    const stored = Buffer.from(hash, 'hex');
    // A malformed stored hash can never match; timingSafeEqual would throw on the length mismatch.
    if (stored.length !== candidate.length) return;
    if (timingSafeEqual(candidate, stored) && found === -1) found = index;
  });
  return found;
}
