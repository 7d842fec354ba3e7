import sodium from 'libsodium-wrappers';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Certificate, ResidentHandshake, SigningKeyPair } from '../../../crypto/index.ts';
import {
  ChatSession,
  counsellorRespond,
  createResidentHandshake,
  generateSigningKeyPair,
  residentComplete,
  sodiumReady,
  wipeResidentHandshake,
} from '../../../crypto/index.ts';
import type { Org } from './fixtures.ts';
import { ASSOCIATION, NOW, certify, expectCode, flipByte, makeOrg } from './fixtures.ts';

const CHAT = 'chat-0001';
let org: Org;
let identity: SigningKeyPair;
let cert: Certificate;

beforeAll(async () => {
  await sodiumReady();
  org = makeOrg();
  identity = generateSigningKeyPair();
  cert = certify(org.root.secretKey, identity.publicKey);
});

afterEach(() => {
  vi.restoreAllMocks();
});

function respond(hs: ResidentHandshake, chatId = CHAT, identitySecretKey = identity.secretKey) {
  return counsellorRespond({ chatId, residentKxPublicKey: hs.kxPublicKey, residentNonce: hs.nonce, identitySecretKey });
}

function complete(
  hs: ResidentHandshake,
  reply: { kxPublicKey: Uint8Array; signature: Uint8Array },
  certificate: Certificate = cert,
  chatId = CHAT,
) {
  return residentComplete(hs, {
    chatId,
    counsellorKxPublicKey: reply.kxPublicKey,
    signature: reply.signature,
    certificate,
    pinned: org.pinned,
    acceptedAssociations: [ASSOCIATION],
    now: NOW,
  });
}

describe('handshake', () => {
  it('both sides derive matching, direction-separated keys, and the kx secrets are wiped', () => {
    const hs = createResidentHandshake();
    expect(hs.nonce.length).toBe(32);
    const reply = respond(hs);
    const resident = complete(hs, reply);
    expect(sodium.memcmp(resident.tx, reply.keys.rx)).toBe(true);
    expect(sodium.memcmp(resident.rx, reply.keys.tx)).toBe(true);
    expect(sodium.memcmp(resident.rx, resident.tx)).toBe(false);
    expect(resident.rx.length).toBe(32);
    expect(sodium.is_zero(hs.kxSecretKey)).toBe(true);
    // A completed handshake cannot be completed again (its secret is gone).
    expectCode(() => complete(hs, reply), 'CLOSED');
  });

  it('keys from a real handshake drive a ChatSession on each side', () => {
    const hs = createResidentHandshake();
    const reply = respond(hs);
    const resident = new ChatSession(CHAT, 'resident', complete(hs, reply));
    const counsellor = new ChatSession(CHAT, 'counsellor', reply.keys);
    expect(counsellor.openText(resident.seal('buongiorno'))).toBe('buongiorno');
    expect(resident.openText(counsellor.seal('salve, sono qui'))).toBe('salve, sono qui');
  });

  it('fresh key pairs per chat: two handshakes never share session keys', () => {
    const a = createResidentHandshake();
    const b = createResidentHandshake();
    const ka = complete(a, respond(a));
    const kb = complete(b, respond(b));
    expect(sodium.memcmp(ka.tx, kb.tx)).toBe(false);
  });

  it('counsellorRespond wipes its kx secret key before returning', () => {
    const spy = vi.spyOn(sodium, 'crypto_kx_keypair');
    const hs = createResidentHandshake();
    respond(hs);
    const generated = spy.mock.results.at(-1)?.value as { privateKey: Uint8Array };
    expect(sodium.is_zero(generated.privateKey)).toBe(true);
  });

  describe('residentComplete refuses, derives nothing, and leaves the handshake usable for the genuine reply', () => {
    const cases: Array<[string, 'BAD_CERTIFICATE' | 'BAD_SIGNATURE', (hs: ResidentHandshake) => () => unknown]> = [
      [
        'a forged certificate: an attacker key certifying itself under the association name',
        'BAD_CERTIFICATE',
        (hs) => {
          const attackerRoot = generateSigningKeyPair();
          const attackerIdentity = generateSigningKeyPair();
          const forged = certify(attackerRoot.secretKey, attackerIdentity.publicKey);
          return () => complete(hs, respond(hs, CHAT, attackerIdentity.secretKey), forged);
        },
      ],
      ['a signature over a different chat id', 'BAD_SIGNATURE', (hs) => () => complete(hs, respond(hs, 'chat-other'))],
      [
        'a swapped counsellor kx public key',
        'BAD_SIGNATURE',
        (hs) => {
          const reply = respond(hs);
          const mitm = sodium.crypto_kx_keypair();
          return () => complete(hs, { kxPublicKey: mitm.publicKey, signature: reply.signature });
        },
      ],
      [
        'a signature by an identity key the certificate does not name',
        'BAD_SIGNATURE',
        (hs) => () => complete(hs, respond(hs, CHAT, generateSigningKeyPair().secretKey)),
      ],
      [
        'a signature over another resident offer (different nonce)',
        'BAD_SIGNATURE',
        (hs) => {
          const reply = counsellorRespond({
            chatId: CHAT,
            residentKxPublicKey: hs.kxPublicKey,
            residentNonce: flipByte(hs.nonce),
            identitySecretKey: identity.secretKey,
          });
          return () => complete(hs, reply);
        },
      ],
      [
        'a flipped byte in the signature',
        'BAD_SIGNATURE',
        (hs) => {
          const reply = respond(hs);
          return () => complete(hs, { kxPublicKey: reply.kxPublicKey, signature: flipByte(reply.signature, 40) });
        },
      ],
    ];

    for (const [name, code, attack] of cases) {
      it(name, () => {
        const hs = createResidentHandshake();
        const secretBefore = hs.kxSecretKey.slice();
        const run = attack(hs);
        const derive = vi.spyOn(sodium, 'crypto_kx_client_session_keys');
        expectCode(run, code);
        expect(derive).not.toHaveBeenCalled();
        expect(sodium.memcmp(hs.kxSecretKey, secretBefore)).toBe(true);
        derive.mockRestore();
        // The genuine counsellor's reply still completes afterwards.
        const reply = respond(hs);
        expect(sodium.memcmp(complete(hs, reply).tx, reply.keys.rx)).toBe(true);
      });
    }
  });

  it('refuses a certificate from an association the resident did not choose, before deriving', () => {
    const hs = createResidentHandshake();
    const reply = respond(hs);
    const derive = vi.spyOn(sodium, 'crypto_kx_client_session_keys');
    expectCode(
      () =>
        residentComplete(hs, {
          chatId: CHAT,
          counsellorKxPublicKey: reply.kxPublicKey,
          signature: reply.signature,
          certificate: cert,
          pinned: org.pinned,
          acceptedAssociations: 'ebano',
          now: NOW,
        }),
      'WRONG_ASSOCIATION',
    );
    expect(derive).not.toHaveBeenCalled();
  });

  it('rejects malformed lengths and a low-order resident key', () => {
    const hs = createResidentHandshake();
    expectCode(
      () =>
        counsellorRespond({
          chatId: CHAT,
          residentKxPublicKey: hs.kxPublicKey.subarray(1),
          residentNonce: hs.nonce,
          identitySecretKey: identity.secretKey,
        }),
      'BAD_LENGTH',
    );
    expectCode(
      () =>
        counsellorRespond({
          chatId: CHAT,
          residentKxPublicKey: hs.kxPublicKey,
          residentNonce: hs.nonce.subarray(1),
          identitySecretKey: identity.secretKey,
        }),
      'BAD_LENGTH',
    );
    expectCode(
      () =>
        counsellorRespond({
          chatId: CHAT,
          residentKxPublicKey: new Uint8Array(32),
          residentNonce: hs.nonce,
          identitySecretKey: identity.secretKey,
        }),
      'BAD_ENCODING',
    );
    const reply = respond(hs);
    expectCode(() => complete(hs, { kxPublicKey: reply.kxPublicKey, signature: reply.signature.subarray(1) }), 'BAD_LENGTH');
  });

  it('wipeResidentHandshake zeroes the secret and the handshake can no longer complete', () => {
    const hs = createResidentHandshake();
    const reply = respond(hs);
    wipeResidentHandshake(hs);
    expect(sodium.is_zero(hs.kxSecretKey)).toBe(true);
    expectCode(() => complete(hs, reply), 'CLOSED');
  });
});
