// Authorisation of counsellors, per event: she sees only her association's line (and residents who accept
// either), cannot take a resident of the other association, and cannot answer, send to, read, sync, type in,
// end or even learn of a chat that is not hers, whether the owner is a colleague of her own association or of
// the other. Every attempt gets a clear error and changes nothing. (Residents touching others' chats: see
// hostile-input.test.ts.)
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { b64Length, CIPHERTEXT_LENGTHS, type CounsellorChat, type QueueEntry } from '../../protocol/index.ts';
import type { CounsellorBot } from '../sim/bots.ts';
import { call } from '../sim/chat-peer.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { Cast, emitRaw, lineOf, refusal, residentState, takeNext } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let cast: Cast;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, env: { COUNSELLOR_EVENTS_PER_SECOND: '1000' } });
  cast = new Cast(cluster);
});
afterEach(() => cast.dismiss());
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

/** Every line pushed to a counsellor while the test runs. */
function recordLines(c: CounsellorBot): QueueEntry[][] {
  const seen: QueueEntry[][] = [];
  c.socket.on('queue:changed', (p) => seen.push(p.entries));
  return seen;
}

describe('console authorisation', () => {
  it("a counsellor never sees nor takes the other association's residents; 'either' is shared", async () => {
    const td = await cast.counsellor({ association: 'telefono-donna' });
    const eb = await cast.counsellor({ association: 'ebano', node: 1 });
    const tdLines = recordLines(td);
    const ebLines = recordLines(eb);
    const onlyTd = await cast.waiting({ association: 'telefono-donna' });
    const onlyEb = await cast.waiting({ association: 'ebano' });
    const either = await cast.waiting({ association: 'either' });

    expect((await lineOf(td)).map((e) => e.ticketId)).toEqual([onlyTd.ticketId, either.ticketId]);
    expect((await lineOf(eb)).map((e) => e.ticketId)).toEqual([onlyEb.ticketId, either.ticketId]);
    // Pushed lines are filtered the same way, on both nodes.
    await waitFor(() => ebLines.some((l) => l.length === 2) && tdLines.some((l) => l.length === 2), 5_000, 'lines pushed');
    expect(tdLines.flat().some((e) => e.association === 'ebano')).toBe(false);
    expect(ebLines.flat().some((e) => e.association === 'telefono-donna')).toBe(false);

    // There is no way to ask for another association's line.
    const asked = await emitRaw(td.socket, 'queue:list', { association: 'ebano' });
    expect(asked).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // Taking the other association's resident by id: refused, and she stays in the line.
    const before = await residentState(cluster);
    const taken = await refusal(takeNext(td, onlyEb.ticketId));
    expect(taken.code).toBe('FORBIDDEN');
    expect(taken.message.length).toBeGreaterThan(0);
    expect(await residentState(cluster)).toEqual(before);
    expect((await lineOf(eb)).map((e) => e.ticketId)).toContain(onlyEb.ticketId);
  });

  it("a counsellor cannot answer, send to, read, sync, type in, end or list a colleague's chat", async () => {
    const owner = await cast.counsellor({ association: 'telefono-donna' });
    const colleague = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const other = await cast.counsellor({ association: 'ebano' });
    const { bot: resident, ticketId } = await cast.waiting({ association: 'either' });
    const claim = await takeNext(owner, ticketId);
    const chatId = claim.chatId;

    // Before the handshake: nobody else can answer it with their own keys.
    for (const intruder of [colleague, other]) {
      const res = await emitRaw(intruder.socket, 'chat:handshake', { chatId, kxPublicKey: 'A'.repeat(43), signature: 'A'.repeat(86) });
      expect(res).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: 'This chat is not yours.' } });
    }
    const ownerPeer = await owner.answer(claim);
    const residentPeer = await resident.waitForChat();
    // The resident verified the owner's certificate, not an intruder's.
    expect(resident.offer?.certificate.counsellorId).toBe(owner.id);

    // Intruders listen for anything of this chat.
    const leaked: string[] = [];
    for (const intruder of [colleague, other]) {
      intruder.socket.on('chat:message', (m) => leaked.push(`message ${m.chatId}`));
      intruder.socket.on('chat:typing', (m) => leaked.push(`typing ${m.chatId}`));
      intruder.socket.on('chat:read', (m) => leaked.push(`read ${m.chatId}`));
    }
    await residentPeer.send('only for my counsellor');
    await waitFor(() => ownerPeer.received.length === 1, 5_000, 'owner got the message');

    const before = await residentState(cluster);
    const attempts: [string, unknown][] = [
      ['chat:send', { chatId, seq: 0, nonce: 'N'.repeat(b64Length(24)), ciphertext: 'C'.repeat(b64Length(CIPHERTEXT_LENGTHS[0]!)) }],
      ['chat:read', { chatId, seq: 0 }],
      ['chat:sync', { chatId, from: 0 }],
      ['chat:typing', { chatId }],
      ['chat:end', { chatId, outcome: 'other' }],
    ];
    for (const intruder of [colleague, other]) {
      for (const [event, payload] of attempts) {
        const res = await emitRaw(intruder.socket, event, payload);
        expect(res, `${event} by ${intruder === colleague ? 'a colleague' : 'the other association'}`).toMatchObject({
          ok: false,
          error: { code: 'FORBIDDEN', message: 'This chat is not yours.' },
        });
      }
      // Her own chats list does not include it (and does not put her in its room).
      const { chats } = await call<{ chats: CounsellorChat[] }>(intruder.socket, 'counsellor:chats', {});
      expect(chats.map((c) => c.chatId)).not.toContain(chatId);
    }
    expect(await residentState(cluster)).toEqual(before);

    // The chat goes on untouched, and nothing of it reached the intruders.
    await ownerPeer.send('still private');
    await waitFor(() => residentPeer.received.length === 1, 5_000, 'resident got the reply');
    await residentPeer.send('and back');
    await waitFor(() => ownerPeer.received.length === 2, 5_000, 'owner got the second message');
    expect(leaked).toEqual([]);
    expect(ownerPeer.decryptFailures + residentPeer.decryptFailures).toBe(0);
  });

  it('a chat id that does not exist gets NOT_FOUND; counsellor-only events refuse residents', async () => {
    const c = await cast.counsellor({ association: 'telefono-donna' });
    const ghost = 'G'.repeat(22);
    for (const [event, payload] of [
      ['chat:sync', { chatId: ghost, from: 0 }],
      ['chat:read', { chatId: ghost, seq: 0 }],
      ['chat:end', { chatId: ghost, outcome: 'other' }],
      ['chat:handshake', { chatId: ghost, kxPublicKey: 'A'.repeat(43), signature: 'A'.repeat(86) }],
    ] as const) {
      expect(await emitRaw(c.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    const resident = cast.resident();
    for (const event of ['counsellor:profile', 'counsellor:status', 'counsellor:chats', 'queue:list', 'queue:claim', 'chat:handshake']) {
      const payload = event === 'counsellor:status' ? { availability: 'away' } : {};
      expect(await emitRaw(resident.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
  });
});
