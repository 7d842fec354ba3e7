// Runs in its own worker (vitest isolates files), so libsodium has not been initialised yet here.
import { describe, expect, it } from 'vitest';
import { generateSigningKeyPair, padToBucket, sodiumReady, toB64 } from '../../../crypto/index.ts';
import { expectCode } from './fixtures.ts';

describe('sodiumReady', () => {
  it('sync functions throw NOT_READY before sodiumReady() resolves, and work after', async () => {
    const err = expectCode(() => toB64(new Uint8Array(1)), 'NOT_READY');
    expect(err.message.startsWith('toB64:')).toBe(true);
    expectCode(() => generateSigningKeyPair(), 'NOT_READY');
    expectCode(() => padToBucket(new Uint8Array(1)), 'NOT_READY');
    const a = await sodiumReady();
    const b = await sodiumReady();
    expect(a).toBe(b);
    expect(typeof a.crypto_sign_detached).toBe('function');
    expect(toB64(new Uint8Array([0xff]))).toBe('_w');
  });
});
