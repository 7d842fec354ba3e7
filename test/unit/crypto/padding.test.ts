import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PLAINTEXT_BYTES, PAD_BUCKETS, padToBucket, randomBytes, sodiumReady, unpadFromBucket } from '../../../crypto/index.ts';
import { expectCode } from './fixtures.ts';

beforeAll(async () => {
  await sodiumReady();
});

describe('padding', () => {
  it('pads to the smallest bucket with room for the marker and round trips', () => {
    expect(PAD_BUCKETS).toEqual([256, 1024, 4096]);
    for (const [len, bucket] of [
      [0, 256],
      [255, 256],
      [256, 1024],
      [1023, 1024],
      [1024, 4096],
      [4095, 4096],
    ] as const) {
      const pt = randomBytes(len);
      const padded = padToBucket(pt);
      expect(padded.length).toBe(bucket);
      expect(padded[len]).toBe(0x80);
      expect(padded.subarray(len + 1).every((b) => b === 0)).toBe(true);
      expect(unpadFromBucket(padded)).toEqual(pt);
    }
  });

  it('does not modify the caller’s plaintext', () => {
    const pt = new Uint8Array([1, 2, 3]);
    padToBucket(pt);
    expect(pt).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('refuses more than MAX_PLAINTEXT_BYTES, non-bucket lengths and malformed padding', () => {
    expectCode(() => padToBucket(new Uint8Array(MAX_PLAINTEXT_BYTES + 1)), 'TOO_LARGE');
    expectCode(() => unpadFromBucket(new Uint8Array(300)), 'BAD_LENGTH');
    expectCode(() => unpadFromBucket(new Uint8Array(256)), 'BAD_ENCODING');
  });
});
