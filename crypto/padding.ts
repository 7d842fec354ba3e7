// Length hiding: plaintexts are padded to a few fixed sizes so the relay learns only which bucket a message
// falls in, never its exact length.
import { CryptoError } from './errors.ts';
import { requireSodium } from './sodium.ts';

export const PAD_BUCKETS = [256, 1024, 4096] as const;
/** One byte of the largest bucket is always taken by the ISO/IEC 7816-4 marker. */
export const MAX_PLAINTEXT_BYTES = 4095;

export function padToBucket(plaintext: Uint8Array): Uint8Array {
  const sodium = requireSodium('padToBucket');
  if (!(plaintext instanceof Uint8Array)) throw new CryptoError('BAD_LENGTH', 'padToBucket: plaintext must be a Uint8Array');
  const bucket = PAD_BUCKETS.find((b) => plaintext.length + 1 <= b);
  if (bucket === undefined) {
    throw new CryptoError('TOO_LARGE', `padToBucket: plaintext longer than ${MAX_PLAINTEXT_BYTES} bytes`);
  }
  // With length < bucket, sodium.pad's "next multiple of the block size" is exactly the bucket.
  return sodium.pad(plaintext.slice(), bucket);
}

export function unpadFromBucket(padded: Uint8Array): Uint8Array {
  const sodium = requireSodium('unpadFromBucket');
  if (!(padded instanceof Uint8Array) || !(PAD_BUCKETS as readonly number[]).includes(padded.length)) {
    throw new CryptoError('BAD_LENGTH', 'unpadFromBucket: length is not a padding bucket');
  }
  try {
    return sodium.unpad(padded, padded.length);
  } catch {
    throw new CryptoError('BAD_ENCODING', 'unpadFromBucket: invalid padding');
  }
}
