// The handoff note opens for the named recipient only, proves who wrote it and for which chat, and its size
// reveals only a bucket. A fixed vector pins the format.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  HANDOFF_NOTE_LENGTHS,
  MAX_HANDOFF_NOTE_BYTES,
  generateSigningKeyPair,
  openHandoffNote,
  sealHandoffNote,
  signingKeyPairFromSeed,
  sodiumReady,
  type Sodium,
  type SigningKeyPair,
} from '../../../crypto/index.ts';
import { expectCode, flipByte } from './fixtures.ts';

let sodium: Sodium;
let sender: SigningKeyPair;
let recipient: SigningKeyPair;
let stranger: SigningKeyPair;
const CHAT = 'chat-0001';

beforeAll(async () => {
  sodium = await sodiumReady();
  sender = generateSigningKeyPair();
  recipient = generateSigningKeyPair();
  stranger = generateSigningKeyPair();
});

const seal = (text: string, to: SigningKeyPair = recipient, chatId = CHAT, from: SigningKeyPair = sender) =>
  sealHandoffNote({ text, chatId, senderIdentitySecretKey: from.secretKey, recipientIdentityPublicKey: to.publicKey });

const open = (sealed: Uint8Array, by: SigningKeyPair = recipient, chatId = CHAT, from: SigningKeyPair = sender) =>
  openHandoffNote({ sealed, chatId, recipientIdentitySecretKey: by.secretKey, senderIdentityPublicKey: from.publicKey });

describe('handoff note', () => {
  it('round trips for the recipient, in Unicode', () => {
    const text = 'Ha due figli; parla arabo: لا بأس. 中文 ok.';
    expect(open(seal(text))).toBe(text);
  });

  it('does not open for anyone else, not even the sender', () => {
    const sealed = seal('solo per te');
    expectCode(() => open(sealed, stranger), 'DECRYPT_FAILED');
    expectCode(() => open(sealed, sender), 'DECRYPT_FAILED');
  });

  it('pads to two buckets, so its length tells only short or long', () => {
    expect(HANDOFF_NOTE_LENGTHS).toEqual([368, 1136]);
    expect(seal('x').length).toBe(368);
    expect(seal('x'.repeat(255)).length).toBe(368);
    expect(seal('x'.repeat(256)).length).toBe(1136);
    expect(seal('x'.repeat(MAX_HANDOFF_NOTE_BYTES)).length).toBe(1136);
    expectCode(() => seal('x'.repeat(MAX_HANDOFF_NOTE_BYTES + 1)), 'TOO_LARGE');
    expectCode(() => seal(''), 'BAD_ENCODING');
  });

  it('refuses a flipped byte anywhere', () => {
    const sealed = seal('integrità');
    for (const i of [0, 31, 32, 47, 48, 200, sealed.length - 1]) expectCode(() => open(flipByte(sealed, i)), 'DECRYPT_FAILED');
    expectCode(() => open(sealed.subarray(1)), 'BAD_LENGTH');
  });

  it('proves its author and its chat: a note sealed by someone else, or replayed into another chat, is refused', () => {
    // Anyone who knows her public key (the server does) can seal to her; only the sender can sign.
    const forged = seal('Forged by the server', recipient, CHAT, stranger);
    expectCode(() => open(forged), 'BAD_SIGNATURE');
    expectCode(() => open(seal('for chat A', recipient, 'chat-A'), recipient, 'chat-B'), 'BAD_SIGNATURE');
  });

  it('cannot be re-sealed by the recipient to pass it off as addressed to a third person', () => {
    // The recipient opens the inner signed note and re-seals it to a stranger: the signature names her key.
    const text = 'nota';
    const sealed = seal(text);
    const xSk = sodium.crypto_sign_ed25519_sk_to_curve25519(recipient.secretKey);
    const xPk = sodium.crypto_sign_ed25519_pk_to_curve25519(recipient.publicKey);
    const inner = sodium.crypto_box_seal_open(sealed, xPk, xSk);
    const resealed = sodium.crypto_box_seal(inner, sodium.crypto_sign_ed25519_pk_to_curve25519(stranger.publicKey));
    expectCode(() => open(resealed, stranger), 'BAD_SIGNATURE');
  });

  it('checks key lengths', () => {
    expectCode(
      () =>
        sealHandoffNote({
          text: 'x',
          chatId: CHAT,
          senderIdentitySecretKey: new Uint8Array(32),
          recipientIdentityPublicKey: recipient.publicKey,
        }),
      'BAD_LENGTH',
    );
    expectCode(
      () =>
        sealHandoffNote({
          text: 'x',
          chatId: CHAT,
          senderIdentitySecretKey: sender.secretKey,
          recipientIdentityPublicKey: new Uint8Array(31),
        }),
      'BAD_LENGTH',
    );
    expectCode(
      () =>
        openHandoffNote({
          sealed: seal('x'),
          chatId: CHAT,
          recipientIdentitySecretKey: recipient.publicKey,
          senderIdentityPublicKey: sender.publicKey,
        }),
      'BAD_LENGTH',
    );
  });

  it('known answer: a note sealed with the v1 format still opens (sealing is randomised, opening is not)', () => {
    const seq = (start: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
    const from = signingKeyPairFromSeed(seq(0x01, 32));
    const to = signingKeyPairFromSeed(seq(0x41, 32));
    const sealed = sodium.from_hex(
      '3d4337e5ffef16538364f596cc5fc622afe321416cda26dec4c35b784d05070356c2527ef3997cfefc78808d77253a4d69a4a3a6370aa73e2a72a0fe55a689250cfad39f81eb8919ddbf14b149473b2908c925084262fb4873db94c263c1807c6dbb642b1fb3f6202c6cc7a90f27bafb4835493b4225c9542691e7da047c189a505f9603a7c240b0b7cae05ffcdca6944765e130e848a5707abf51bfe54de9d6aa8a4b6e81f2096b1833c4727e1fcf38c6d54fd77ac1987f41a9a1cf6802799a2d6ebbcea9cce0665b754aed7d815718e9b80e6dd23c764e22d658a397f8d8bb377bc3f8a6690d648f4f7d7904372ba1be3249aeaaeb4097940be70fcd3b827b39f06db91208d4234b7debcb992dd7aa76505b73e15ab905cffae4d06a04ff9d3d2b722c8629f02b4635308b52bd298deb638d38ef5f1d9a47ddf451755d49481416065901ab892d3e6b64e2864d8e52bc86e3938eae4684dc5c20ce8ade01da54d1ae3278545fc311c498c2c05fc4e6',
    );
    expect(
      openHandoffNote({
        sealed,
        chatId: 'chat-kat-0001',
        recipientIdentitySecretKey: to.secretKey,
        senderIdentityPublicKey: from.publicKey,
      }),
    ).toBe('Ha due figli, parla poco italiano.');
  });
});
