// Argon2id at interactive limits costs a few hundred milliseconds in wasm, so derivations are done once in
// beforeAll and shared.
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromB64, randomBytes, toB64 } from '../../../crypto/index.ts';
import type { KdfParams } from '../../../crypto/keywrap.ts';
import {
  defaultKdfParams,
  derivePasswordKeys,
  hashAuthKey,
  sumoReady,
  unwrapSecret,
  verifyAuthKey,
  wrapSecret,
} from '../../../crypto/keywrap.ts';
import { expectCode } from './fixtures.ts';

type Keys = { authKey: Uint8Array; wrapKey: Uint8Array };
let params: KdfParams;
let k1: Keys;
let k1again: Keys;
let kOtherPassword: Keys;
let kOtherSalt: Keys;
let kDecomposed: Keys;

beforeAll(async () => {
  const sumo = await sumoReady();
  // The pitfall this module exists for: the standard build has no Argon2 at runtime.
  expect(typeof (sodium as { crypto_pwhash?: unknown }).crypto_pwhash).toBe('undefined');
  expect(typeof sumo.crypto_pwhash).toBe('function');
  params = defaultKdfParams(randomBytes(16));
  k1 = derivePasswordKeys('città-sicura 2026', params);
  k1again = derivePasswordKeys('città-sicura 2026', params);
  kOtherPassword = derivePasswordKeys('città-sicura 2027', params);
  kOtherSalt = derivePasswordKeys('città-sicura 2026', { ...params, salt: toB64(randomBytes(16)) });
  kDecomposed = derivePasswordKeys('citta\u0300-sicura 2026', params);
});

describe('derivePasswordKeys', () => {
  it('default parameters are Argon2id at the interactive limits with a 16-byte salt', () => {
    const p = defaultKdfParams();
    expect(p.alg).toBe('argon2id13');
    expect(p.opsLimit).toBe(2);
    expect(p.memLimit).toBe(64 * 1024 * 1024);
    expect(fromB64(p.salt, 16).length).toBe(16);
    expect(defaultKdfParams().salt).not.toBe(p.salt);
  });

  it('is deterministic for the same password and parameters', () => {
    expect(k1again.authKey).toEqual(k1.authKey);
    expect(k1again.wrapKey).toEqual(k1.wrapKey);
    expect(k1.authKey.length).toBe(32);
    expect(k1.wrapKey.length).toBe(32);
  });

  it('authKey and wrapKey differ', () => {
    expect(sodium.memcmp(k1.authKey, k1.wrapKey)).toBe(false);
  });

  it('differs for another password or another salt', () => {
    for (const other of [kOtherPassword, kOtherSalt]) {
      expect(sodium.memcmp(other.authKey, k1.authKey)).toBe(false);
      expect(sodium.memcmp(other.wrapKey, k1.wrapKey)).toBe(false);
    }
  });

  it('normalises the password to NFC, so composed and decomposed accents give the same keys', () => {
    expect(kDecomposed.authKey).toEqual(k1.authKey);
  });

  it('refuses parameters weaker than interactive, absurdly large ones, and bad salts, without deriving', () => {
    expectCode(() => derivePasswordKeys('x', { ...params, opsLimit: 1 }), 'BAD_ENCODING');
    expectCode(() => derivePasswordKeys('x', { ...params, memLimit: 8 * 1024 * 1024 }), 'BAD_ENCODING');
    expectCode(() => derivePasswordKeys('x', { ...params, memLimit: 4 * 1024 * 1024 * 1024 }), 'BAD_ENCODING');
    expectCode(() => derivePasswordKeys('x', { ...params, alg: 'argon2i13' as 'argon2id13' }), 'BAD_ENCODING');
    expectCode(() => derivePasswordKeys('x', { ...params, salt: toB64(randomBytes(8)) }), 'BAD_ENCODING');
  });
});

describe('wrapSecret / unwrapSecret', () => {
  const CONTEXT = 'identity/counsellor-0001';

  it('round trips an identity secret key', () => {
    const secret = randomBytes(64);
    const w = wrapSecret(secret, k1.wrapKey, CONTEXT);
    expect(fromB64(w.nonce).length).toBe(24);
    expect(fromB64(w.ciphertext).length).toBe(64 + 16);
    expect(unwrapSecret(w, k1.wrapKey, CONTEXT)).toEqual(secret);
    expect(unwrapSecret(JSON.parse(JSON.stringify(w)), k1again.wrapKey, CONTEXT)).toEqual(secret);
  });

  it('fails with UNWRAP_FAILED for a wrong wrap key, a wrong context or an altered blob', () => {
    const w = wrapSecret(randomBytes(64), k1.wrapKey, CONTEXT);
    expectCode(() => unwrapSecret(w, kOtherPassword.wrapKey, CONTEXT), 'UNWRAP_FAILED');
    expectCode(() => unwrapSecret(w, k1.authKey, CONTEXT), 'UNWRAP_FAILED');
    expectCode(() => unwrapSecret(w, k1.wrapKey, 'identity/counsellor-0002'), 'UNWRAP_FAILED');
    const ct = fromB64(w.ciphertext);
    ct[0] = (ct[0] ?? 0) ^ 1;
    expectCode(() => unwrapSecret({ ...w, ciphertext: toB64(ct) }, k1.wrapKey, CONTEXT), 'UNWRAP_FAILED');
  });
});

describe('hashAuthKey / verifyAuthKey', () => {
  it('accepts the right key and rejects another one or a malformed hash', () => {
    const hash = hashAuthKey(k1.authKey);
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(hash).not.toContain(toB64(k1.authKey));
    expect(verifyAuthKey(hash, k1.authKey)).toBe(true);
    expect(verifyAuthKey(hash, kOtherPassword.authKey)).toBe(false);
    expect(verifyAuthKey('not a hash', k1.authKey)).toBe(false);
    expectCode(() => verifyAuthKey(hash, k1.authKey.subarray(1)), 'BAD_LENGTH');
  });
});
