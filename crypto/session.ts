// Chat messages: XChaCha20-Poly1305 with one key per direction, the chat id, direction and sequence number
// bound in the additional data, and strict in-order delivery so replays and reorderings are refused.
import { concatBytes, lengthPrefixed, randomBytes, u64be, utf8Decode, utf8Encode, utf8Field } from './encoding.ts';
import { CryptoError, assertBytes, assertUint } from './errors.ts';
import type { SessionKeys } from './handshake.ts';
import { CHAT_ID_MAX_BYTES } from './handshake.ts';
import { PAD_BUCKETS, padToBucket, unpadFromBucket } from './padding.ts';
import { requireSodium } from './sodium.ts';

export type Direction = 'r2c' | 'c2r';
export type Role = 'resident' | 'counsellor';

export interface Envelope {
  seq: number;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
}

export const MESSAGE_DOMAIN = 'helpdesk/msg/v1';
export const SESSION_KEY_BYTES = 32;
export const MESSAGE_NONCE_BYTES = 24;
export const AEAD_TAG_BYTES = 16;
export const CIPHERTEXT_LENGTHS: readonly number[] = PAD_BUCKETS.map((b) => b + AEAD_TAG_BYTES);

const DIRECTION_BYTE: Readonly<Record<Direction, number>> = { r2c: 1, c2r: 2 };

function directionByte(fn: string, direction: Direction): number {
  if (direction !== 'r2c' && direction !== 'c2r') {
    throw new CryptoError('BAD_ENCODING', `${fn}: direction must be 'r2c' or 'c2r'`);
  }
  return DIRECTION_BYTE[direction];
}

export function messageAdditionalData(chatId: string, direction: Direction, seq: number): Uint8Array {
  const fn = 'messageAdditionalData';
  assertUint(fn, 'seq', seq);
  return concatBytes(
    utf8Encode(MESSAGE_DOMAIN),
    lengthPrefixed(utf8Field(fn, 'chatId', chatId, CHAT_ID_MAX_BYTES)),
    Uint8Array.of(directionByte(fn, direction)),
    u64be(seq),
  );
}

/** Deterministic given the nonce; production code lets ChatSession draw a random one. */
export function sealWithNonce(
  key: Uint8Array,
  chatId: string,
  direction: Direction,
  seq: number,
  nonce: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  const fn = 'sealWithNonce';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'key', key, SESSION_KEY_BYTES);
  assertBytes(fn, 'nonce', nonce, MESSAGE_NONCE_BYTES);
  const ad = messageAdditionalData(chatId, direction, seq);
  const padded = padToBucket(plaintext);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(padded, ad, null, nonce, key);
  } finally {
    sodium.memzero(padded);
  }
}

export function openEnvelope(key: Uint8Array, chatId: string, direction: Direction, env: Envelope): Uint8Array {
  const fn = 'openEnvelope';
  const sodium = requireSodium(fn);
  assertBytes(fn, 'key', key, SESSION_KEY_BYTES);
  assertBytes(fn, 'nonce', env.nonce, MESSAGE_NONCE_BYTES);
  if (!(env.ciphertext instanceof Uint8Array) || !CIPHERTEXT_LENGTHS.includes(env.ciphertext.length)) {
    throw new CryptoError('BAD_LENGTH', `${fn}: ciphertext length is not a padded bucket size`);
  }
  const ad = messageAdditionalData(chatId, direction, env.seq);
  let padded: Uint8Array;
  try {
    padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, env.ciphertext, ad, env.nonce, key);
  } catch {
    throw new CryptoError('DECRYPT_FAILED', `${fn}: message failed authentication`);
  }
  try {
    return unpadFromBucket(padded);
  } finally {
    sodium.memzero(padded);
  }
}

/**
 * One end of an established chat. Keys are used in place (not copied) so that close() wipes the very arrays
 * the handshake produced. Resends reuse the stored Envelope, so no sequence number is ever sealed twice.
 */
export class ChatSession {
  readonly chatId: string;
  readonly role: Role;
  readonly #rx: Uint8Array;
  readonly #tx: Uint8Array;
  readonly #sendDirection: Direction;
  readonly #recvDirection: Direction;
  #nextSendSeq = 0;
  #nextRecvSeq = 0;
  #closed = false;

  constructor(chatId: string, role: Role, keys: SessionKeys) {
    const fn = 'ChatSession';
    requireSodium(fn);
    utf8Field(fn, 'chatId', chatId, CHAT_ID_MAX_BYTES);
    if (role !== 'resident' && role !== 'counsellor') {
      throw new CryptoError('BAD_ENCODING', `${fn}: role must be 'resident' or 'counsellor'`);
    }
    assertBytes(fn, 'keys.rx', keys.rx, SESSION_KEY_BYTES);
    assertBytes(fn, 'keys.tx', keys.tx, SESSION_KEY_BYTES);
    this.chatId = chatId;
    this.role = role;
    this.#rx = keys.rx;
    this.#tx = keys.tx;
    this.#sendDirection = role === 'resident' ? 'r2c' : 'c2r';
    this.#recvDirection = role === 'resident' ? 'c2r' : 'r2c';
  }

  get nextSendSeq(): number {
    return this.#nextSendSeq;
  }

  get nextRecvSeq(): number {
    return this.#nextRecvSeq;
  }

  get closed(): boolean {
    return this.#closed;
  }

  seal(plaintext: Uint8Array | string): Envelope {
    this.#assertOpen('ChatSession.seal');
    const bytes = typeof plaintext === 'string' ? utf8Encode(plaintext) : plaintext;
    const seq = this.#nextSendSeq;
    const nonce = randomBytes(MESSAGE_NONCE_BYTES);
    const ciphertext = sealWithNonce(this.#tx, this.chatId, this.#sendDirection, seq, nonce, bytes);
    this.#nextSendSeq = seq + 1;
    return { seq, nonce, ciphertext };
  }

  /** Accepts only the next expected message; the counter moves only when authentication succeeded. */
  open(env: Envelope): Uint8Array {
    const fn = 'ChatSession.open';
    this.#assertOpen(fn);
    assertUint(fn, 'seq', env.seq);
    if (env.seq < this.#nextRecvSeq) {
      throw new CryptoError('REPLAY', `${fn}: seq ${env.seq} was already received`);
    }
    if (env.seq > this.#nextRecvSeq) {
      throw new CryptoError('OUT_OF_ORDER', `${fn}: expected seq ${this.#nextRecvSeq}, got ${env.seq}`);
    }
    const plaintext = openEnvelope(this.#rx, this.chatId, this.#recvDirection, env);
    this.#nextRecvSeq += 1;
    return plaintext;
  }

  openText(env: Envelope): string {
    return utf8Decode(this.open(env));
  }

  /** Wipes both keys; idempotent, and every later call throws CLOSED. */
  close(): void {
    if (this.#closed) return;
    const sodium = requireSodium('ChatSession.close');
    sodium.memzero(this.#rx);
    sodium.memzero(this.#tx);
    this.#closed = true;
  }

  #assertOpen(fn: string): void {
    if (this.#closed) throw new CryptoError('CLOSED', `${fn}: session is closed`);
  }
}
