// Signed revocation lists: only the association key can name a counsellor as revoked, the resident's
// handshake refuses a named counsellor, and a forged or foreign list changes nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Certificate, SigningKeyPair } from '../../../crypto/index.ts';
import {
  counsellorRespond,
  createResidentHandshake,
  generateSigningKeyPair,
  residentComplete,
  signRevocationList,
  sodiumReady,
  verifyRevocationList,
  type RevocationList,
} from '../../../crypto/index.ts';
import type { Org } from './fixtures.ts';
import { ASSOCIATION, NOW, certify, expectCode, makeOrg } from './fixtures.ts';

let org: Org;
let identity: SigningKeyPair;
let cert: Certificate;

beforeAll(async () => {
  await sodiumReady();
  org = makeOrg();
  identity = generateSigningKeyPair();
  cert = certify(org.root.secretKey, identity.publicKey);
});

function handshakeWith(revocations: RevocationList | null) {
  const hs = createResidentHandshake();
  const reply = counsellorRespond({
    chatId: 'c1',
    residentKxPublicKey: hs.kxPublicKey,
    residentNonce: hs.nonce,
    identitySecretKey: identity.secretKey,
  });
  return () =>
    residentComplete(hs, {
      chatId: 'c1',
      counsellorKxPublicKey: reply.kxPublicKey,
      signature: reply.signature,
      certificate: cert,
      pinned: org.pinned,
      acceptedAssociations: [ASSOCIATION],
      now: NOW,
      revocations,
    });
}

describe('revocation lists', () => {
  it('a list signed by the association verifies; sorted and unique whatever the input order', () => {
    const list = signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: ['b', 'a', 'b'] }, org.root.secretKey);
    expect(list.revoked).toEqual(['a', 'b']);
    expect(() => verifyRevocationList(list, org.pinned)).not.toThrow();
  });

  it('any change to a signed list breaks the signature', () => {
    const list = signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: ['a'] }, org.root.secretKey);
    expectCode(() => verifyRevocationList({ ...list, revoked: [] }, org.pinned), 'BAD_SIGNATURE');
    expectCode(() => verifyRevocationList({ ...list, issuedAt: NOW + 1 }, org.pinned), 'BAD_SIGNATURE');
    const other = generateSigningKeyPair();
    const forged = signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: ['a'] }, other.secretKey);
    expectCode(() => verifyRevocationList(forged, org.pinned), 'BAD_SIGNATURE');
  });

  it('the resident completes the handshake with a counsellor not on the list, and refuses one on it', () => {
    expect(() => handshakeWith(null)()).not.toThrow();
    const others = signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: ['someone-else'] }, org.root.secretKey);
    expect(() => handshakeWith(others)()).not.toThrow();
    const naming = signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: [cert.counsellorId] }, org.root.secretKey);
    expectCode(handshakeWith(naming), 'REVOKED');
  });

  it('a forged list naming her is ignored: a tampered server cannot refuse every counsellor', () => {
    const forged = signRevocationList(
      { association: ASSOCIATION, issuedAt: NOW, revoked: [cert.counsellorId] },
      generateSigningKeyPair().secretKey,
    );
    expect(() => handshakeWith(forged)()).not.toThrow();
  });

  it('refuses to sign more entries than the limit', () => {
    const many = Array.from({ length: 1001 }, (_, i) => `c${i}`);
    expectCode(() => signRevocationList({ association: ASSOCIATION, issuedAt: NOW, revoked: many }, org.root.secretKey), 'TOO_LARGE');
  });
});
