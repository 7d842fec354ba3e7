// The contract refuses malformed and oversized payloads for every client event, so the server's edge can
// rely on it. Each case names the event and a payload that must fail.
import { describe, expect, it } from 'vitest';
import {
  b64Length,
  CIPHERTEXT_LENGTHS,
  clientEventSchemas,
  ERROR_CODES,
  eventRoles,
  MAX_SEQ,
  triageSchema,
  urgencyOf,
  type ClientEventName,
} from '../../protocol/index.ts';

const id = 'A'.repeat(22);
const b64 = (bytes: number) => 'A'.repeat(b64Length(bytes));
const ct = 'B'.repeat(b64Length(CIPHERTEXT_LENGTHS[0]!));
const triage = { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'either' };

const valid: Record<ClientEventName, unknown> = {
  'resident:join': { triage, kxPublicKey: b64(32), nonce: b64(32) },
  'resident:resume': { resumeToken: b64(32) },
  'resident:leave': { reason: 'exit' },
  'resident:rekey': { kxPublicKey: b64(32), nonce: b64(32) },
  'counsellor:status': { availability: 'away' },
  'counsellor:profile': { languages: ['it', 'ar'], capacity: 2 },
  'counsellor:canned': {},
  'counsellor:chats': {},
  'queue:list': {},
  'queue:claim': { ticketId: id },
  'chat:handshake': { chatId: id, kxPublicKey: b64(32), signature: b64(64) },
  'chat:send': { chatId: id, seq: 0, nonce: b64(24), ciphertext: ct },
  'chat:read': { chatId: id, seq: 3 },
  'chat:typing': { chatId: id },
  'chat:sync': { chatId: id, from: 0 },
  'chat:end': { chatId: id, outcome: 'referred' },
  'counsellor:colleagues': {},
  'chat:transfer': { chatId: id, to: { counsellorId: id }, note: { ciphertext: b64(368) } },
  'chat:transfer-cancel': { chatId: id },
  'transfer:answer': { offerId: id, accept: true },
};

const generic: unknown[] = [undefined, null, 42, 'text', [], { extra: 1 }, { __proto__: { x: 1 } }];

const specific: Partial<Record<ClientEventName, unknown[]>> = {
  'resident:join': [
    { ...(valid['resident:join'] as object), kxPublicKey: b64(31) },
    { ...(valid['resident:join'] as object), triage: { ...triage, danger: 'maybe' } },
    { ...(valid['resident:join'] as object), triage: { ...triage, freeText: 'he hit me' } },
    { ...(valid['resident:join'] as object), triage: { ...triage, language: 'xx' } },
    { ...(valid['resident:join'] as object), nonce: '!'.repeat(43) },
  ],
  'resident:leave': [{ reason: 'bye' }],
  'resident:rekey': [{ kxPublicKey: b64(32) }, { kxPublicKey: b64(32), nonce: b64(16) }],
  'counsellor:status': [{ availability: 'busy-forever' }],
  'counsellor:profile': [
    { languages: [] },
    { languages: ['it', 'it'] },
    { languages: ['xx'] },
    { capacity: 0 },
    { capacity: 11 },
    { capacity: 2.5 },
    { capacity: '3' },
    { availability: 'away' },
  ],
  'queue:claim': [{ ticketId: 'short' }, { ticketId: id + 'A' }],
  'chat:send': [
    { ...(valid['chat:send'] as object), seq: -1 },
    { ...(valid['chat:send'] as object), seq: MAX_SEQ + 1 },
    { ...(valid['chat:send'] as object), seq: 1.5 },
    { ...(valid['chat:send'] as object), ciphertext: 'B'.repeat(100) },
    { ...(valid['chat:send'] as object), ciphertext: 'B'.repeat(1_000_000) },
    { ...(valid['chat:send'] as object), ciphertext: ct.slice(0, -1) + '+' },
    { ...(valid['chat:send'] as object), nonce: b64(12) },
    { ...(valid['chat:send'] as object), plaintext: 'hello' },
  ],
  'chat:sync': [{ chatId: id, from: -5 }],
  'chat:end': [{ chatId: id, outcome: 'arrested' }],
  'chat:transfer': [
    { chatId: id, to: {} },
    { chatId: id, to: { association: 'either' } },
    { chatId: id, to: { counsellorId: id, association: 'ebano' } },
    // A note's length is one of two padded sizes, nothing in between and nothing bigger.
    { chatId: id, to: { counsellorId: id }, note: { ciphertext: b64(367) } },
    { chatId: id, to: { counsellorId: id }, note: { ciphertext: b64(2000) } },
    { chatId: id, to: { counsellorId: id }, note: { text: 'plaintext note' } },
  ],
  'transfer:answer': [{ offerId: id }, { offerId: id, accept: 'yes' }],
};

describe('protocol schemas', () => {
  for (const event of Object.keys(clientEventSchemas) as ClientEventName[]) {
    it(`${event}: accepts its valid payload and refuses malformed ones`, () => {
      const schema = clientEventSchemas[event];
      expect(schema.safeParse(valid[event]).success).toBe(true);
      for (const bad of [...generic, ...(specific[event] ?? [])]) {
        // For the events whose payload is `{}`, an object with only inherited properties is a valid `{}`.
        const isEmptyObject = typeof bad === 'object' && bad !== null && !Array.isArray(bad) && Object.keys(bad).length === 0;
        if (
          isEmptyObject &&
          (event === 'queue:list' || event === 'counsellor:chats' || event === 'counsellor:profile' || event === 'counsellor:canned')
        )
          continue;
        expect(schema.safeParse(bad).success, `${event} accepted ${JSON.stringify(bad)?.slice(0, 80)}`).toBe(false);
      }
    });
  }

  it('every event has a role rule', () => {
    expect(Object.keys(eventRoles).sort()).toEqual(Object.keys(clientEventSchemas).sort());
  });

  it('only the padded bucket sizes pass as ciphertext', () => {
    const schema = clientEventSchemas['chat:send'];
    for (const len of CIPHERTEXT_LENGTHS)
      expect(schema.safeParse({ chatId: id, seq: 0, nonce: b64(24), ciphertext: 'C'.repeat(b64Length(len)) }).success).toBe(true);
    for (const len of [1, 271, 273, 1039, 4113])
      expect(schema.safeParse({ chatId: id, seq: 0, nonce: b64(24), ciphertext: 'C'.repeat(b64Length(len)) }).success).toBe(false);
  });

  it('urgency: danger now first, then unsure or cannot write, then the rest', () => {
    expect(urgencyOf({ danger: 'yes', canWrite: 'yes' })).toBe(1);
    expect(urgencyOf({ danger: 'unsure', canWrite: 'yes' })).toBe(2);
    expect(urgencyOf({ danger: 'no', canWrite: 'briefly' })).toBe(2);
    expect(urgencyOf({ danger: 'no', canWrite: 'yes' })).toBe(3);
  });

  it('triage carries categorical codes only: free text is refused', () => {
    expect(triageSchema.safeParse({ ...triage, topics: ['he hit me'] }).success).toBe(false);
    expect(triageSchema.safeParse({ ...triage, note: 'anything' }).success).toBe(false);
  });

  it('every error code has a message a person can read', () => {
    for (const [code, message] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(message.length).toBeGreaterThan(10);
    }
  });
});
