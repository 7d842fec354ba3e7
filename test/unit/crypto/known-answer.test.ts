// Known-answer vectors: any change to a byte layout, domain string, padding or cipher must fail here.
// The message ciphertext was also checked once against an independent XChaCha20-Poly1305 (HChaCha20 written
// out by hand + node:crypto chacha20-poly1305); the Ed25519 vector is re-checked with node:crypto below.
import { createPublicKey, verify } from 'node:crypto';
import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateBody } from '../../../crypto/index.ts';
import {
  certificateSignedBytes,
  handshakeTranscript,
  issueCertificate,
  messageAdditionalData,
  openEnvelope,
  sealWithNonce,
  signingKeyPairFromSeed,
  sodiumReady,
  utf8Decode,
  utf8Encode,
  verifyCertificate,
} from '../../../crypto/index.ts';

const seq = (start: number, length: number) => Uint8Array.from({ length }, (_, i) => (start + i) & 0xff);

const KEY = seq(0x01, 32);
const NONCE = seq(0xa0, 24);
const CHAT = 'chat-kat-0001';

const AD_HEX =
  '68656c706465736b2f6d73672f7631' + // "helpdesk/msg/v1"
  '0000000d' + // length 13
  '636861742d6b61742d30303031' + // "chat-kat-0001"
  '01' + // r2c
  '0000000000000007'; // seq 7

const CIPHERTEXT_HEX =
  'e75be47023f28721a00c0bf82e6f8234ab0b6a83223b19c2a237c601ef21a3dc5f92b29a662ac6896c0334d7834f745903b91001ce535e488c8c9ff07bf7cc7b' +
  'd7ff097b0ba4079106ffa99473d2d1ec1a1331a75027da061dce6c04929238d0e713bdd39e58155c6a686a4d1e72148f969cd1fa57282fbff45a14255447f715' +
  'fdcbcc841ff9356adf083e90cf9bcb5a2e7e3288b1d222d86573856e230cdcd22330a0853932c5c71826bec367932018987bcebdc4d65a246ea608e1298994ae' +
  '543bb1250e297d75b0ba543c6432282ddf00eca93c9badd5233844375aca87f113f82068bd07eaede525258ca43bed7014ad8a02d6858764e33de6da803bc9717f' +
  '3e60c5444cf9cca3c9f6e3431d2acc';

const ROOT_SEED = seq(0x40, 32);
const IDENTITY_SEED = seq(0x80, 32);
const ROOT_PUBLIC_HEX = '2543b92ff1095511476adc8369db6ddc933665a11978dda1404ee1066ca9559d';
const IDENTITY_PUBLIC_HEX = 'cd14b37f956e953194ff7fb73b3d81dcc561d61a7538094b7c3e1a643ee5f3aa';

const CERT_SIGNED_HEX =
  '68656c706465736b2f636572742f7631' + // "helpdesk/cert/v1"
  '0000000e' +
  '74656c65666f6e6f2d646f6e6e61' + // "telefono-donna"
  '0000000f' +
  '636f756e73656c6c6f722d30303031' + // "counsellor-0001"
  '00000006' +
  '4769756c6961' + // "Giulia"
  IDENTITY_PUBLIC_HEX +
  '0000019b76daa800' + // issuedAt 2026-01-01T00:00:00Z
  '000001a2ce8bd400'; // expiresAt 2027-01-01T00:00:00Z

const CERT_SIGNATURE_HEX =
  '7fe09aa5cff00de069d02c805e31e6c43da1255d2d8d828cabdcbc8915e79e07681576d478d6857670c530d6d2a2fbd7da98f78a5fac44afe1997822e9542809';

beforeAll(async () => {
  await sodiumReady();
});

describe('message vector', () => {
  it('additional data bytes are fixed', () => {
    expect(sodium.to_hex(messageAdditionalData(CHAT, 'r2c', 7))).toBe(AD_HEX);
  });

  it('sealWithNonce produces the recorded ciphertext, and openEnvelope opens it', () => {
    const ct = sealWithNonce(KEY, CHAT, 'r2c', 7, NONCE, utf8Encode('ciao'));
    expect(ct.length).toBe(272);
    expect(sodium.to_hex(ct)).toBe(CIPHERTEXT_HEX);
    const opened = openEnvelope(KEY, CHAT, 'r2c', {
      seq: 7,
      nonce: NONCE,
      ciphertext: sodium.from_hex(CIPHERTEXT_HEX),
    });
    expect(utf8Decode(opened)).toBe('ciao');
  });
});

describe('certificate vector', () => {
  const body = (): CertificateBody => ({
    version: 1,
    association: 'telefono-donna',
    counsellorId: 'counsellor-0001',
    alias: 'Giulia',
    identityPublicKey: signingKeyPairFromSeed(IDENTITY_SEED).publicKey,
    issuedAt: Date.UTC(2026, 0, 1),
    expiresAt: Date.UTC(2027, 0, 1),
  });

  it('seeded keys are fixed', () => {
    expect(sodium.to_hex(signingKeyPairFromSeed(ROOT_SEED).publicKey)).toBe(ROOT_PUBLIC_HEX);
    expect(sodium.to_hex(signingKeyPairFromSeed(IDENTITY_SEED).publicKey)).toBe(IDENTITY_PUBLIC_HEX);
  });

  it('signed bytes are fixed', () => {
    expect(sodium.to_hex(certificateSignedBytes(body()))).toBe(CERT_SIGNED_HEX);
  });

  it('the seeded root key produces the recorded signature, which verifies', () => {
    const root = signingKeyPairFromSeed(ROOT_SEED);
    const cert = issueCertificate(body(), root.secretKey);
    expect(sodium.to_hex(cert.signature)).toBe(CERT_SIGNATURE_HEX);
    expect(() =>
      verifyCertificate(cert, { 'telefono-donna': sodium.from_hex(ROOT_PUBLIC_HEX) }, 'telefono-donna', Date.UTC(2026, 5, 1)),
    ).not.toThrow();
  });

  it('the recorded signature verifies with an independent Ed25519 (node:crypto)', () => {
    const key = createPublicKey({
      key: {
        kty: 'OKP',
        crv: 'Ed25519',
        x: sodium.to_base64(sodium.from_hex(ROOT_PUBLIC_HEX), sodium.base64_variants.URLSAFE_NO_PADDING),
      },
      format: 'jwk',
    });
    expect(verify(null, sodium.from_hex(CERT_SIGNED_HEX), key, sodium.from_hex(CERT_SIGNATURE_HEX))).toBe(true);
  });
});

describe('handshake transcript vector', () => {
  it('transcript layout is fixed', () => {
    const hex = sodium.to_hex(handshakeTranscript('chat-kat-0001', seq(0x10, 32), seq(0x30, 32), seq(0x50, 32)));
    expect(hex).toBe(
      '68656c706465736b2f68616e647368616b652f7631' + // "helpdesk/handshake/v1"
        '0000000d636861742d6b61742d30303031' +
        sodium.to_hex(seq(0x10, 32)) +
        sodium.to_hex(seq(0x30, 32)) +
        sodium.to_hex(seq(0x50, 32)),
    );
  });
});
