import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate } from '../../../crypto/index.ts';
import {
  CERT_CLOCK_SKEW_MS,
  certificateFromWire,
  certificateToWire,
  generateSigningKeyPair,
  sodiumReady,
  toB64,
  verifyCertificate,
} from '../../../crypto/index.ts';
import type { Org } from './fixtures.ts';
import { ASSOCIATION, DAY, NOW, OTHER_ASSOCIATION, certify, expectCode, flipByte, makeOrg } from './fixtures.ts';

let org: Org;
let cert: Certificate;

beforeAll(async () => {
  await sodiumReady();
  org = makeOrg();
  cert = certify(org.root.secretKey, generateSigningKeyPair().publicKey);
});

describe('verifyCertificate', () => {
  it('accepts a certificate signed by the pinned key of an expected association', () => {
    expect(() => verifyCertificate(cert, org.pinned, ASSOCIATION, NOW)).not.toThrow();
    expect(() => verifyCertificate(cert, org.pinned, [OTHER_ASSOCIATION, ASSOCIATION], NOW)).not.toThrow();
  });

  it('rejects a flipped byte in the signature, the alias or the identity key', () => {
    expectCode(
      () => verifyCertificate({ ...cert, signature: flipByte(cert.signature, 10) }, org.pinned, ASSOCIATION, NOW),
      'BAD_CERTIFICATE',
    );
    expectCode(() => verifyCertificate({ ...cert, alias: 'Giulja' }, org.pinned, ASSOCIATION, NOW), 'BAD_CERTIFICATE');
    expectCode(
      () => verifyCertificate({ ...cert, identityPublicKey: flipByte(cert.identityPublicKey, 31) }, org.pinned, ASSOCIATION, NOW),
      'BAD_CERTIFICATE',
    );
    expectCode(() => verifyCertificate({ ...cert, counsellorId: 'c-0002' }, org.pinned, ASSOCIATION, NOW), 'BAD_CERTIFICATE');
    expectCode(() => verifyCertificate({ ...cert, expiresAt: cert.expiresAt + 1 }, org.pinned, ASSOCIATION, NOW), 'BAD_CERTIFICATE');
  });

  it('rejects a certificate signed by a key that is not pinned for its association', () => {
    const attacker = generateSigningKeyPair();
    const forged = certify(attacker.secretKey, generateSigningKeyPair().publicKey);
    expect(forged.association).toBe(ASSOCIATION);
    expectCode(() => verifyCertificate(forged, org.pinned, ASSOCIATION, NOW), 'BAD_CERTIFICATE');
  });

  it('rejects a certificate from an association other than the expected one, or one without a pinned key', () => {
    expectCode(() => verifyCertificate(cert, org.pinned, OTHER_ASSOCIATION, NOW), 'WRONG_ASSOCIATION');
    expectCode(() => verifyCertificate(cert, org.pinned, [], NOW), 'WRONG_ASSOCIATION');
    // Signed by the other association's own key, but the resident asked for ASSOCIATION only.
    const otherRoot = generateSigningKeyPair();
    const other = certify(otherRoot.secretKey, generateSigningKeyPair().publicKey, { association: OTHER_ASSOCIATION });
    expectCode(() => verifyCertificate(other, { [OTHER_ASSOCIATION]: otherRoot.publicKey }, ASSOCIATION, NOW), 'WRONG_ASSOCIATION');
    expectCode(() => verifyCertificate(cert, { [OTHER_ASSOCIATION]: org.root.publicKey }, ASSOCIATION, NOW), 'WRONG_ASSOCIATION');
    // Prototype names must not resolve to inherited properties of the pinned map.
    const proto = certify(org.root.secretKey, cert.identityPublicKey, { association: 'constructor' });
    expectCode(() => verifyCertificate(proto, org.pinned, 'constructor', NOW), 'WRONG_ASSOCIATION');
  });

  it('rejects an expired certificate, and one issued more than the allowed skew in the future', () => {
    expectCode(() => verifyCertificate(cert, org.pinned, ASSOCIATION, cert.expiresAt), 'CERT_EXPIRED');
    expectCode(() => verifyCertificate(cert, org.pinned, ASSOCIATION, NOW + 365 * DAY), 'CERT_EXPIRED');
    expect(() => verifyCertificate(cert, org.pinned, ASSOCIATION, cert.expiresAt - 1)).not.toThrow();
    expect(() => verifyCertificate(cert, org.pinned, ASSOCIATION, cert.issuedAt - CERT_CLOCK_SKEW_MS)).not.toThrow();
    expectCode(() => verifyCertificate(cert, org.pinned, ASSOCIATION, cert.issuedAt - CERT_CLOCK_SKEW_MS - 1), 'CERT_EXPIRED');
  });

  it('rejects wrong lengths as BAD_CERTIFICATE', () => {
    expectCode(
      () => verifyCertificate({ ...cert, signature: cert.signature.subarray(0, 63) }, org.pinned, ASSOCIATION, NOW),
      'BAD_CERTIFICATE',
    );
    expectCode(
      () => verifyCertificate({ ...cert, identityPublicKey: new Uint8Array(33) }, org.pinned, ASSOCIATION, NOW),
      'BAD_CERTIFICATE',
    );
    expectCode(() => verifyCertificate(cert, { [ASSOCIATION]: new Uint8Array(31) }, ASSOCIATION, NOW), 'BAD_CERTIFICATE');
  });
});

describe('issueCertificate', () => {
  it('refuses malformed bodies and keys', () => {
    const pk = generateSigningKeyPair().publicKey;
    expectCode(() => certify(org.root.secretKey, pk, { alias: '' }), 'BAD_CERTIFICATE');
    expectCode(() => certify(org.root.secretKey, pk, { alias: 'bad\uD800' }), 'BAD_CERTIFICATE');
    expectCode(() => certify(org.root.secretKey, pk, { issuedAt: NOW, expiresAt: NOW }), 'BAD_CERTIFICATE');
    expectCode(() => certify(org.root.secretKey, new Uint8Array(31)), 'BAD_CERTIFICATE');
    expectCode(() => certify(org.root.secretKey.subarray(0, 32), pk), 'BAD_LENGTH');
  });
});

describe('wire form', () => {
  it('round trips through JSON and still verifies', () => {
    const wire = certificateToWire(cert);
    expect(wire.v).toBe(1);
    expect(wire.identityPublicKey).toBe(toB64(cert.identityPublicKey));
    const back = certificateFromWire(JSON.parse(JSON.stringify(wire)));
    expect(back).toEqual(cert);
    expect(() => verifyCertificate(back, org.pinned, ASSOCIATION, NOW)).not.toThrow();
  });

  it('rejects bad encodings, wrong lengths and unknown versions', () => {
    const wire = certificateToWire(cert);
    expectCode(() => certificateFromWire({ ...wire, signature: wire.signature.slice(0, -2) }), 'BAD_ENCODING');
    expectCode(() => certificateFromWire({ ...wire, identityPublicKey: `${wire.identityPublicKey}AA` }), 'BAD_ENCODING');
    expectCode(() => certificateFromWire({ ...wire, signature: `${wire.signature.slice(0, -1)}=` }), 'BAD_ENCODING');
    expectCode(() => certificateFromWire({ ...wire, v: 2 } as unknown as typeof wire), 'BAD_CERTIFICATE');
    expectCode(() => certificateFromWire({ ...wire, issuedAt: '1' } as unknown as typeof wire), 'BAD_CERTIFICATE');
    expectCode(() => certificateFromWire({ ...wire, alias: 7 } as unknown as typeof wire), 'BAD_CERTIFICATE');
  });
});
