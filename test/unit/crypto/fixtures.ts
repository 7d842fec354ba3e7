// Shared test fixtures: an association with a pinned root key, a certified counsellor, and a helper that
// asserts a CryptoError code (vitest's toThrow matches messages, not our codes).
import { expect } from 'vitest';
import type { Certificate, CryptoErrorCode, SigningKeyPair } from '../../../crypto/index.ts';
import { CryptoError, generateSigningKeyPair, issueCertificate } from '../../../crypto/index.ts';

export const ASSOCIATION = 'telefono-donna';
export const OTHER_ASSOCIATION = 'ebano';
export const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
export const DAY = 24 * 60 * 60 * 1000;

export function expectCode(fn: () => unknown, code: CryptoErrorCode): CryptoError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected CryptoError ${code}`).toBeInstanceOf(CryptoError);
  const err = caught as CryptoError;
  expect(err.code).toBe(code);
  expect(err.name).toBe('CryptoError');
  return err;
}

export interface Org {
  root: SigningKeyPair;
  pinned: Record<string, Uint8Array>;
}

export function makeOrg(): Org {
  const root = generateSigningKeyPair();
  const other = generateSigningKeyPair();
  return { root, pinned: { [ASSOCIATION]: root.publicKey, [OTHER_ASSOCIATION]: other.publicKey } };
}

export function certify(
  rootSecretKey: Uint8Array,
  identityPublicKey: Uint8Array,
  overrides: Partial<Pick<Certificate, 'association' | 'alias' | 'counsellorId' | 'issuedAt' | 'expiresAt'>> = {},
): Certificate {
  return issueCertificate(
    {
      version: 1,
      association: ASSOCIATION,
      counsellorId: 'c-0001',
      alias: 'Giulia',
      identityPublicKey,
      issuedAt: NOW - DAY,
      expiresAt: NOW + 30 * DAY,
      ...overrides,
    },
    rootSecretKey,
  );
}

export function flipByte(bytes: Uint8Array, index = 0): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
