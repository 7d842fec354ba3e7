import { beforeAll, describe, expect, it } from 'vitest';
import {
  concatBytes,
  fromB64,
  lengthPrefixed,
  randomBytes,
  randomId,
  sodiumReady,
  toB64,
  u64be,
  utf8Decode,
  utf8Encode,
} from '../../../crypto/index.ts';
import { expectCode } from './fixtures.ts';

beforeAll(async () => {
  await sodiumReady();
});

describe('base64url', () => {
  it('round trips every length 0..64 without padding, using the URL-safe alphabet', () => {
    for (let n = 0; n <= 64; n++) {
      const bytes = randomBytes(n);
      const s = toB64(bytes);
      expect(s).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(s.length).toBe(Math.ceil((n * 4) / 3));
      expect(fromB64(s, n)).toEqual(bytes);
    }
    expect(toB64(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });

  it('rejects padding, the standard alphabet, whitespace, non-canonical bits and wrong lengths', () => {
    for (const bad of ['AA==', 'AAA=', '+/8', 'AA AA', 'AAAA\n', 'A', 'AB', '!!', 'é']) {
      expectCode(() => fromB64(bad), 'BAD_ENCODING');
    }
    expectCode(() => fromB64(toB64(new Uint8Array(31)), 32), 'BAD_ENCODING');
    expectCode(() => fromB64(toB64(new Uint8Array(33)), 32), 'BAD_ENCODING');
    expectCode(() => fromB64(42 as unknown as string), 'BAD_ENCODING');
  });
});

describe('utf8', () => {
  it('round trips multi-byte text, including a leading BOM', () => {
    for (const s of ['', 'ciao', 'è già così', 'مرحبا', '你好', 'হ্যালো', '👩🏽‍⚕️', '\uFEFFbom']) {
      expect(utf8Decode(utf8Encode(s))).toBe(s);
    }
    expect(utf8Encode('è')).toEqual(new Uint8Array([0xc3, 0xa8]));
  });

  it('rejects invalid UTF-8 instead of substituting U+FFFD', () => {
    for (const bad of [[0xc3], [0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf]]) {
      expectCode(() => utf8Decode(new Uint8Array(bad)), 'BAD_ENCODING');
    }
  });
});

describe('randomness', () => {
  it('randomBytes returns the requested length, beyond the 64 KiB getRandomValues limit too', () => {
    expect(randomBytes(0).length).toBe(0);
    const big = randomBytes(65_536 * 2 + 10);
    expect(big.length).toBe(65_536 * 2 + 10);
    // Every chunk was filled: a zero tail would mean a chunk was skipped.
    expect(big.subarray(65_536 * 2).some((b) => b !== 0)).toBe(true);
    expect(big.subarray(65_536, 65_536 * 2).some((b) => b !== 0)).toBe(true);
    expectCode(() => randomBytes(-1), 'BAD_LENGTH');
    expectCode(() => randomBytes(1.5), 'BAD_LENGTH');
  });

  it('randomId is 22 base64url characters encoding 16 bytes, and does not repeat', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const id = randomId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(fromB64(id, 16).length).toBe(16);
      ids.add(id);
    }
    expect(ids.size).toBe(200);
  });
});

describe('byte layouts', () => {
  it('concatBytes joins in order', () => {
    expect(concatBytes(new Uint8Array([1, 2]), new Uint8Array(0), new Uint8Array([3]))).toEqual(new Uint8Array([1, 2, 3]));
    expect(concatBytes()).toEqual(new Uint8Array(0));
  });

  it('lengthPrefixed writes a big-endian u32 length', () => {
    expect(lengthPrefixed(new Uint8Array([9, 8, 7]))).toEqual(new Uint8Array([0, 0, 0, 3, 9, 8, 7]));
    expect(lengthPrefixed(new Uint8Array(0x0102)).subarray(0, 4)).toEqual(new Uint8Array([0, 0, 1, 2]));
  });

  it('u64be encodes big-endian up to 2^53-1 and refuses what a number cannot hold exactly', () => {
    expect(u64be(0)).toEqual(new Uint8Array(8));
    expect(u64be(7)).toEqual(new Uint8Array([0, 0, 0, 0, 0, 0, 0, 7]));
    expect(u64be(2 ** 32)).toEqual(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 0]));
    expect(u64be(Number.MAX_SAFE_INTEGER)).toEqual(new Uint8Array([0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    for (const bad of [-1, 0.5, 2 ** 53, Number.NaN, Infinity]) expectCode(() => u64be(bad), 'BAD_LENGTH');
  });
});
