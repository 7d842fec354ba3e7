import sodium from 'libsodium-wrappers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Envelope, SessionKeys } from '../../../crypto/index.ts';
import {
  CIPHERTEXT_LENGTHS,
  ChatSession,
  MAX_PLAINTEXT_BYTES,
  openEnvelope,
  randomBytes,
  sodiumReady,
  utf8Encode,
} from '../../../crypto/index.ts';
import { expectCode, flipByte } from './fixtures.ts';

const CHAT = 'chat-A';

beforeAll(async () => {
  await sodiumReady();
});

/** Key material as the handshake produces it: resident tx == counsellor rx and vice versa. */
function keyPair(): { resident: SessionKeys; counsellor: SessionKeys } {
  const r2c = randomBytes(32);
  const c2r = randomBytes(32);
  return {
    resident: { tx: r2c, rx: c2r },
    counsellor: { tx: c2r.slice(), rx: r2c.slice() },
  };
}

function pair(chatId = CHAT) {
  const k = keyPair();
  return {
    keys: k,
    resident: new ChatSession(chatId, 'resident', k.resident),
    counsellor: new ChatSession(chatId, 'counsellor', k.counsellor),
  };
}

function withCiphertextByteFlipped(env: Envelope, index: number): Envelope {
  return { ...env, ciphertext: flipByte(env.ciphertext, index) };
}

describe('ChatSession round trips', () => {
  it('carries text both ways, including multi-byte UTF-8 and the empty string', () => {
    const { resident, counsellor } = pair();
    const texts = ['ciao', '', 'è già così 👩🏽‍⚕️', 'مرحبا، أحتاج مساعدة', '我需要帮助', 'আমার সাহায্য দরকার'];
    for (const t of texts) {
      expect(counsellor.openText(resident.seal(t))).toBe(t);
      expect(resident.openText(counsellor.seal(t))).toBe(t);
    }
    expect(resident.nextSendSeq).toBe(texts.length);
    expect(counsellor.nextRecvSeq).toBe(texts.length);
  });

  it('carries bytes both ways, including all byte values and the largest allowed size', () => {
    const { resident, counsellor } = pair();
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(counsellor.open(resident.seal(all))).toEqual(all);
    const max = randomBytes(MAX_PLAINTEXT_BYTES);
    expect(resident.open(counsellor.seal(max))).toEqual(max);
    expect(resident.open(counsellor.seal(new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('uses a fresh random nonce per message, so equal plaintexts give different ciphertexts', () => {
    const { resident } = pair();
    const a = resident.seal('same');
    const b = resident.seal('same');
    expect(sodium.memcmp(a.nonce, b.nonce)).toBe(false);
    expect(sodium.memcmp(a.ciphertext, b.ciphertext)).toBe(false);
  });
});

describe('tampering', () => {
  it('rejects one flipped byte anywhere in the ciphertext (first, middle, tag) with DECRYPT_FAILED', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('hello');
    for (const i of [0, 100, env.ciphertext.length - 1]) {
      expectCode(() => counsellor.open(withCiphertextByteFlipped(env, i)), 'DECRYPT_FAILED');
    }
    expect(counsellor.openText(env)).toBe('hello');
  });

  it('rejects one flipped byte in the nonce', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('hello');
    expectCode(() => counsellor.open({ ...env, nonce: flipByte(env.nonce, 23) }), 'DECRYPT_FAILED');
  });

  it('binds chat id, direction and seq in the additional data', () => {
    const { keys, resident } = pair();
    const env = resident.seal('hello');
    const key = keys.counsellor.rx;
    expect(openEnvelope(key, CHAT, 'r2c', env)).toEqual(utf8Encode('hello'));
    expectCode(() => openEnvelope(key, 'chat-B', 'r2c', env), 'DECRYPT_FAILED');
    expectCode(() => openEnvelope(key, CHAT, 'c2r', env), 'DECRYPT_FAILED');
    expectCode(() => openEnvelope(key, CHAT, 'r2c', { ...env, seq: 1 }), 'DECRYPT_FAILED');
  });

  it('does not accept a message of chat A in a session of chat B with the same keys', () => {
    const k = keyPair();
    const residentA = new ChatSession('chat-A', 'resident', k.resident);
    const counsellorB = new ChatSession('chat-B', 'counsellor', k.counsellor);
    expectCode(() => counsellorB.open(residentA.seal('for A only')), 'DECRYPT_FAILED');
  });

  it('does not accept a message reflected back to its sender', () => {
    const k = keyPair();
    // Same key both ways would be a misuse; the direction byte still keeps the sender from accepting its own message.
    const self = new ChatSession(CHAT, 'resident', { tx: k.resident.tx, rx: k.resident.tx.slice() });
    expectCode(() => self.open(self.seal('echo')), 'DECRYPT_FAILED');
    expect(self.nextRecvSeq).toBe(0);
  });

  it('rejects a wrong key', () => {
    const { resident } = pair();
    const stranger = new ChatSession(CHAT, 'counsellor', keyPair().counsellor);
    expectCode(() => stranger.open(resident.seal('hello')), 'DECRYPT_FAILED');
  });

  it('a failed decryption does not advance the receive counter', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('first');
    expectCode(() => counsellor.open(withCiphertextByteFlipped(env, 5)), 'DECRYPT_FAILED');
    expect(counsellor.nextRecvSeq).toBe(0);
    expect(counsellor.openText(env)).toBe('first');
    expect(counsellor.nextRecvSeq).toBe(1);
  });
});

describe('ordering', () => {
  it('rejects a replayed message with REPLAY', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('once');
    expect(counsellor.openText(env)).toBe('once');
    expectCode(() => counsellor.open(env), 'REPLAY');
    expect(counsellor.nextRecvSeq).toBe(1);
  });

  it('rejects a reordered message with OUT_OF_ORDER, then accepts both in order', () => {
    const { resident, counsellor } = pair();
    const e0 = resident.seal('zero');
    const e1 = resident.seal('one');
    expectCode(() => counsellor.open(e1), 'OUT_OF_ORDER');
    expect(counsellor.nextRecvSeq).toBe(0);
    expect(counsellor.openText(e0)).toBe('zero');
    expect(counsellor.openText(e1)).toBe('one');
  });

  it('a resend of the stored envelope is a REPLAY once the first copy arrived', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('retry me');
    const resent: Envelope = { seq: env.seq, nonce: env.nonce.slice(), ciphertext: env.ciphertext.slice() };
    counsellor.open(env);
    expectCode(() => counsellor.open(resent), 'REPLAY');
  });

  it('rejects malformed envelopes with BAD_LENGTH before decrypting', () => {
    const { resident, counsellor } = pair();
    const env = resident.seal('x');
    for (const seq of [-1, 0.5, Number.NaN]) expectCode(() => counsellor.open({ ...env, seq }), 'BAD_LENGTH');
    expectCode(() => counsellor.open({ ...env, nonce: env.nonce.subarray(0, 12) }), 'BAD_LENGTH');
    expectCode(() => counsellor.open({ ...env, ciphertext: env.ciphertext.subarray(0, 100) }), 'BAD_LENGTH');
    expect(counsellor.openText(env)).toBe('x');
  });
});

describe('close', () => {
  it('zeroes both keys in place and refuses any later use with CLOSED', () => {
    const { keys, resident, counsellor } = pair();
    const env = resident.seal('before close');
    const refs = [keys.resident.rx, keys.resident.tx];
    expect(refs.every((k) => !sodium.is_zero(k))).toBe(true);
    resident.close();
    expect(resident.closed).toBe(true);
    for (const k of refs) {
      expect(k.length).toBe(32);
      expect(k.every((b) => b === 0)).toBe(true);
    }
    expectCode(() => resident.seal('after'), 'CLOSED');
    expectCode(() => resident.open(counsellor.seal('after')), 'CLOSED');
    expectCode(() => resident.openText(env), 'CLOSED');
    expect(() => resident.close()).not.toThrow();
  });
});

describe('padding on the wire', () => {
  it('ciphertext lengths are exactly bucket + 16 for boundary plaintext sizes', () => {
    const { resident } = pair();
    const expected: Array<[number, number]> = [
      [0, 272],
      [255, 272],
      [256, 1040],
      [1023, 1040],
      [1024, 4112],
      [4095, 4112],
    ];
    expect(CIPHERTEXT_LENGTHS).toEqual([272, 1040, 4112]);
    for (const [size, ctLen] of expected) {
      expect(resident.seal(new Uint8Array(size)).ciphertext.length, `plaintext ${size}`).toBe(ctLen);
    }
  });

  it('4096 bytes throws TOO_LARGE and does not consume a sequence number', () => {
    const { resident } = pair();
    expectCode(() => resident.seal(new Uint8Array(4096)), 'TOO_LARGE');
    expectCode(() => resident.seal('é'.repeat(2048)), 'TOO_LARGE');
    expect(resident.nextSendSeq).toBe(0);
  });
});
