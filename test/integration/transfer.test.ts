// Transfer of a chat to a named colleague (who accepts or declines, with a note only she can read) or to the
// other association's line, on two nodes with the two counsellors on different ones. The resident is never
// lost, the old counsellor's keys open nothing new, every refusal is clear and changes nothing, and the purge
// takes every transfer key with it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatSession, CryptoError, fromB64, sodiumReady } from '../../crypto/index.ts';
import type { Colleague, SyncResult, TransferOffer } from '../../protocol/index.ts';
import { CounsellorBot } from '../sim/bots.ts';
import { call, type AckError } from '../sim/chat-peer.ts';
import { Cast, emitRaw, refusal } from '../support/queue-helpers.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const OFFER_SECONDS = 2;
const NOTE = 'Ha due bambini piccoli; lui rientra alle 18. Preferisce scrivere in italiano.';

let cluster: TestCluster;
let cast: Cast;

beforeAll(async () => {
  await sodiumReady();
  cluster = await startCluster({ nodes: 2, env: { TRANSFER_OFFER_SECONDS: String(OFFER_SECONDS) } });
  cast = new Cast(cluster);
});
afterEach(async () => cast.dismiss());
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

/** A resident on node 0 in an active, verified chat with `holder`, who has already written to her. */
async function chatWith(holder: CounsellorBot, association: 'telefono-donna' | 'ebano' | 'either' = 'either') {
  const { bot: resident, ticketId } = await cast.waiting({ association }, 0);
  const peer = await holder.claim(ticketId);
  const residentPeer = await resident.waitForChat();
  await peer.send('Buongiorno, sono qui.');
  await waitFor(() => residentPeer.received.length === 1, 5_000, 'first message');
  return { resident, ticketId, chatId: peer.chatId, peer, residentPeer };
}

async function colleague(of: CounsellorBot, who: CounsellorBot): Promise<Colleague> {
  let found: Colleague | undefined;
  await waitFor(async () => Boolean((found = (await of.colleagues()).find((c) => c.counsellorId === who.id))), 5_000, 'colleague listed');
  return found!;
}

async function offerTo(c: CounsellorBot, n: number): Promise<TransferOffer> {
  await waitFor(() => c.offers.length >= n, 5_000, 'offer received');
  return c.offers[n - 1]!;
}

/** The anonymous `transferred` events waiting in the aggregate stream. */
async function transfersCounted(): Promise<Record<string, string>[]> {
  const entries = await cluster.redis.xRange(`${cluster.config.KEY_PREFIX}agg`, '-', '+');
  return (entries ?? []).map((e) => e.message as Record<string, string>).filter((m) => m.kind === 'transferred');
}

/** Every key or value of the ephemeral store that names one of these ids (or contains this text). */
async function traces(needles: string[]) {
  return (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)).filter((k) =>
    needles.some((n) => k.key.includes(n) || k.value.includes(n)),
  );
}

describe('transfer to a named colleague', () => {
  it('accepted: the resident continues with the colleague on the other node, the old keys open nothing new, and the note opens only for the colleague', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    a.keepKeyCopies = true;
    b.keepKeyCopies = true;
    const { resident, ticketId, chatId } = await chatWith(a);

    const listed = await colleague(a, b);
    expect(listed).toMatchObject({ association: 'telefono-donna', freeSlots: 3, availability: 'available' });
    expect((await a.colleagues()).some((c) => c.counsellorId === a.id)).toBe(false);

    const started = await a.transfer(chatId, { colleague: listed, note: NOTE, pins: cluster.pins });
    expect(started).toMatchObject({ kind: 'offered', expiresInSeconds: OFFER_SECONDS });
    const offer = await offerTo(b, 1);
    expect(offer).toMatchObject({
      chatId,
      from: { counsellorId: a.id, association: 'telefono-donna' },
      entry: { ticketId, language: 'it' },
    });
    // Only the colleague can read the note: not the sender, not the server (Redis holds ciphertext only).
    expect(b.openNote(offer, cluster.pins)).toBe(NOTE);
    expect(() => a.openNote(offer, cluster.pins)).toThrow(CryptoError);
    expect(await traces([NOTE, 'bambini'])).toEqual([]);
    // While the offer waits, the chat is still hers and goes on.
    expect(resident.requeues).toEqual([]);

    expect(await b.answerOffer(offer.offerId, true)).toEqual({ accepted: true });
    await waitFor(() => a.ended.get(chatId) === 'transferred', 5_000, 'sender told');
    expect(a.transferResults).toContainEqual({
      chatId,
      offerId: offer.offerId,
      outcome: 'accepted',
      colleague: { alias: b.session.counsellor.alias },
    });
    await waitFor(() => resident.requeues.length === 1, 5_000, 'resident told');
    expect(resident.requeues[0]).toMatchObject({ chatId, reason: 'transfer' });

    // Her fresh keys go straight to the colleague (never to the line) and a fresh handshake runs.
    const residentPeer = await resident.waitForChat();
    expect(resident.offer!.certificate.counsellorId).toBe(b.id);
    const newChatId = residentPeer.chatId;
    expect(newChatId).not.toBe(chatId);
    await waitFor(() => b.chats.has(newChatId), 5_000, 'colleague holds the chat');
    const bPeer = b.chats.get(newChatId)!;
    await bPeer.send('Ciao, sono la collega. Ho letto la nota.');
    await waitFor(() => residentPeer.received.length === 1, 5_000, 'colleague -> resident');
    expect(residentPeer.received[0]!.text).toBe('Ciao, sono la collega. Ho letto la nota.');
    await residentPeer.send('Grazie');
    await waitFor(() => bPeer.received.length === 1, 5_000, 'resident -> colleague');
    expect(bPeer.received[0]!.text).toBe('Grazie');

    // The old counsellor: her chat is gone, the new one is not hers, and her keys open nothing of it.
    expect((await refusal(call(a.socket, 'chat:sync', { chatId, from: 0 }))).code).toBe('NOT_FOUND');
    expect((await refusal(call(a.socket, 'chat:sync', { chatId: newChatId, from: 0 }))).code).toBe('FORBIDDEN');
    const fresh = await call<SyncResult>(b.socket, 'chat:sync', { chatId: newChatId, from: 0 });
    const stolen = fresh.messages[0]!;
    const env = { seq: stolen.seq, nonce: fromB64(stolen.nonce), ciphertext: fromB64(stolen.ciphertext) };
    const old = a.keyCopies.get(chatId)!;
    for (const id of [newChatId, chatId]) {
      const session = new ChatSession(id, 'counsellor', { rx: old.rx.slice(), tx: old.tx.slice() });
      expect(() => session.openText(env)).toThrow(expect.objectContaining({ code: 'DECRYPT_FAILED' }));
    }
    // The new colleague's keys do open it (the check above is not vacuous).
    const right = b.keyCopies.get(newChatId)!;
    expect(new ChatSession(newChatId, 'counsellor', { rx: right.rx.slice(), tx: right.tx.slice() }).openText(env)).toBe('Grazie');
    // Nothing of the old chat or the offer remains.
    expect(await traces([chatId, offer.offerId])).toEqual([]);
    // Counted anonymously: association, class, "colleague"; no id, no note.
    await waitFor(async () => (await transfersCounted()).some((m) => m.target === 'colleague'), 5_000, 'transfer counted');
    expect((await transfersCounted()).find((m) => m.target === 'colleague')).toMatchObject({ association: 'telefono-donna', urgency: '3' });
  });

  it('declined: the chat simply continues with the counsellor who offered it', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'ebano', node: 1 });
    const { resident, chatId, peer, residentPeer } = await chatWith(a);
    await a.transfer(chatId, { colleague: await colleague(a, b) });
    const offer = await offerTo(b, 1);
    expect(offer.note).toBeNull();
    expect(await b.answerOffer(offer.offerId, false)).toEqual({ accepted: false });
    await waitFor(() => a.transferResults.some((r) => r.outcome === 'declined'), 5_000, 'sender told');
    // Answering twice: the offer is gone.
    expect((await refusal(b.answerOffer(offer.offerId, true))).code).toBe('NOT_FOUND');
    await peer.send('Eccomi ancora.');
    await waitFor(() => residentPeer.received.length === 2, 5_000, 'chat goes on');
    expect(resident.requeues).toEqual([]);
    expect(a.ended.has(chatId)).toBe(false);
    // A new offer is possible after the answer.
    await a.transfer(chatId, { colleague: await colleague(a, b) });
    await offerTo(b, 2);
  });

  it('an offer nobody answers expires: both sides are told and the chat continues', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const { resident, chatId, peer, residentPeer } = await chatWith(a);
    await a.transfer(chatId, { colleague: await colleague(a, b) });
    const offer = await offerTo(b, 1);
    await waitFor(
      () => a.transferResults.some((r) => r.offerId === offer.offerId && r.outcome === 'expired'),
      (OFFER_SECONDS + 3) * 1000,
      'expired',
    );
    await waitFor(() => b.withdrawnOffers.some((w) => w.offerId === offer.offerId && w.reason === 'expired'), 2_000, 'colleague told');
    expect((await refusal(b.answerOffer(offer.offerId, true))).code).toBe('NOT_FOUND');
    await peer.send('Sono ancora io.');
    await waitFor(() => residentPeer.received.length === 2, 5_000, 'chat goes on');
    expect(resident.requeues).toEqual([]);
  });

  it('the colleague has no slot left when her fresh keys arrive: the resident goes to the front of her class, never lost', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1, capacity: 1 });
    const c = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const { resident, chatId } = await chatWith(a);
    resident.holdRekey = true;
    await a.transfer(chatId, { colleague: await colleague(a, b) });
    const offer = await offerTo(b, 1);
    await b.answerOffer(offer.offerId, true);
    await waitFor(() => resident.requeues.length === 1, 5_000, 'resident told');
    // Reserved: nobody sees her in the line, nobody can take her.
    expect((await call<{ entries: { ticketId: string }[] }>(c.socket, 'queue:list', {})).entries.map((e) => e.ticketId)).not.toContain(
      resident.ticket!.ticketId,
    );
    expect((await refusal(call(c.socket, 'queue:claim', { ticketId: resident.ticket!.ticketId }))).code).toBe('ALREADY_TAKEN');
    // Meanwhile the colleague takes someone else and is full.
    const { ticketId: other } = await cast.waiting({ association: 'telefono-donna' }, 1);
    await b.claim(other);
    await resident.rekeyNow();
    await waitFor(
      async () =>
        (await call<{ entries: { ticketId: string }[] }>(c.socket, 'queue:list', {})).entries[0]?.ticketId === resident.ticket!.ticketId,
      5_000,
      'front of the line',
    );
    const taken = await c.claim();
    expect(taken.chatId).toBeTruthy();
    const peer = await resident.waitForChat();
    expect(resident.offer!.certificate.counsellorId).toBe(c.id);
    await taken.send('Ti rispondo io.');
    await waitFor(() => peer.received.length === 1, 5_000, 'chat with the next counsellor');
    expect(b.assigned.some((x) => x.entry.ticketId === resident.ticket!.ticketId)).toBe(false);
  });
});

describe("transfer to the other association's line", () => {
  it('she goes to the front of that line, with that association accepted, and a counsellor of it takes her', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const e = await cast.counsellor({ association: 'ebano', node: 1 });
    const td = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const { ticketId: earlier } = await cast.waiting({ association: 'ebano' }, 1);
    const { resident, ticketId, chatId } = await chatWith(a, 'telefono-donna');
    // No note to a line: nobody holds a key for it.
    const withNote = await emitRaw(a.socket, 'chat:transfer', {
      chatId,
      to: { association: 'ebano' },
      note: { ciphertext: 'A'.repeat(491) },
    });
    expect(withNote).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await a.transfer(chatId, { association: 'ebano' })).toEqual({ kind: 'requeued', association: 'ebano' });
    await waitFor(() => a.ended.get(chatId) === 'transferred', 5_000, 'sender told');
    await waitFor(() => resident.requeues.length === 1, 5_000, 'resident told');
    expect(resident.requeues[0]).toEqual({ chatId, reason: 'transfer', association: 'ebano' });
    // Ahead of a resident of her class who was already waiting for Ebano; no longer in Telefono Donna's line.
    await waitFor(
      async () => (await call<{ entries: { ticketId: string }[] }>(e.socket, 'queue:list', {})).entries[0]?.ticketId === ticketId,
      5_000,
      'front of the Ebano line',
    );
    expect((await call<{ entries: { ticketId: string }[] }>(e.socket, 'queue:list', {})).entries.map((x) => x.ticketId)).toEqual([
      ticketId,
      earlier,
    ]);
    expect((await call<{ entries: { ticketId: string }[] }>(td.socket, 'queue:list', {})).entries.map((x) => x.ticketId)).not.toContain(
      ticketId,
    );
    const taken = await e.claim();
    const peer = await resident.waitForChat();
    expect(resident.offer!.certificate.association).toBe('ebano');
    await taken.send('Sono di Ebano.');
    await waitFor(() => peer.received.length === 1, 5_000, 'chat with Ebano');
    await peer.send('Va bene');
    await waitFor(() => taken.received.length === 1, 5_000, 'resident -> Ebano');
    await waitFor(async () => (await transfersCounted()).some((m) => m.target === 'line'), 5_000, 'line transfer counted');
  });
});

describe('transfer refusals', () => {
  it('only the holder may transfer and only the named colleague may answer; uncertified, absent and full colleagues are refused clearly; nothing changes', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const stranger = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const full = await cast.counsellor({ association: 'ebano', node: 0, capacity: 1 });
    const { resident, chatId, peer, residentPeer } = await chatWith(a);
    const bListed = await colleague(a, b);

    // A stranger cannot transfer a chat that is not hers, nor cancel its offer; a resident cannot use the events at all.
    expect((await refusal(stranger.transfer(chatId, { colleague: bListed }))).code).toBe('FORBIDDEN');
    expect((await refusal(stranger.transfer(chatId, { association: 'ebano' }))).code).toBe('FORBIDDEN');
    for (const [event, payload] of [
      ['chat:transfer', { chatId, to: { association: 'ebano' } }],
      ['transfer:answer', { offerId: chatId, accept: true }],
      ['counsellor:colleagues', {}],
    ] as const) {
      expect(await emitRaw(resident.socket, event, payload), event).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // Herself, her own association's line, a chat that does not exist.
    expect((await refusal(a.transfer(chatId, { colleague: { ...bListed, counsellorId: a.id } }))).code).toBe('BAD_REQUEST');
    expect((await refusal(a.transfer(chatId, { association: 'telefono-donna' }))).code).toBe('BAD_REQUEST');
    expect((await refusal(a.transfer('Z'.repeat(22), { association: 'ebano' }))).code).toBe('NOT_FOUND');

    // Uncertified (on shift), absent (not on shift), and at capacity.
    const u = await cluster.addCounsellor({ username: `uncert${Date.now() % 100000}`, association: 'telefono-donna', certify: false });
    const uncertified = await CounsellorBot.connect(cluster.urls[1]!, u.username, u.password);
    try {
      await waitFor(() => cast.onShift(uncertified.id), 5_000, 'uncertified on shift');
      expect((await a.colleagues()).some((c) => c.counsellorId === uncertified.id)).toBe(false);
      const e1 = await refusal(call(a.socket, 'chat:transfer', { chatId, to: { counsellorId: uncertified.id } }));
      expect(e1.code).toBe('NOT_CERTIFIED');
      expect(e1.message).toMatch(/not certified/);
    } finally {
      uncertified.close();
    }
    const absent = await cluster.addCounsellor({ username: `absent${Date.now() % 100000}`, association: 'telefono-donna' });
    const e2 = await refusal(call(a.socket, 'chat:transfer', { chatId, to: { counsellorId: absent.id } }));
    expect(e2.code).toBe('NOT_FOUND');
    expect(e2.message).toMatch(/not on shift/);
    const { ticketId: busy } = await cast.waiting({ association: 'ebano' }, 0);
    await full.claim(busy);
    const e3 = await refusal(call(a.socket, 'chat:transfer', { chatId, to: { counsellorId: full.id } }));
    expect(e3.code).toBe('AT_CAPACITY');
    expect(e3.message).toMatch(/no free chat slot/);
    expect(full.offers).toEqual([]);

    // One pending offer per chat; only the named colleague answers it, once.
    await a.transfer(chatId, { colleague: bListed });
    const offer = await offerTo(b, 1);
    expect((await refusal(a.transfer(chatId, { colleague: bListed }))).code).toBe('WRONG_STATE');
    expect((await refusal(a.transfer(chatId, { association: 'ebano' }))).code).toBe('WRONG_STATE');
    expect((await refusal(stranger.answerOffer(offer.offerId, true))).code).toBe('FORBIDDEN');
    expect((await refusal(a.answerOffer(offer.offerId, true))).code).toBe('FORBIDDEN');
    expect((await refusal(call(stranger.socket, 'chat:transfer-cancel', { chatId }))).code).toBe('FORBIDDEN');
    expect((await refusal(b.answerOffer('Q'.repeat(22), true))).code).toBe('NOT_FOUND');

    // None of that changed anything: the chat is still hers and goes on.
    expect(resident.requeues).toEqual([]);
    await peer.send('Tutto bene.');
    await waitFor(() => residentPeer.received.length === 2, 5_000, 'chat goes on');

    // She withdraws it; the colleague is told and can no longer accept.
    expect(await call(a.socket, 'chat:transfer-cancel', { chatId })).toEqual({});
    await waitFor(() => b.withdrawnOffers.some((w) => w.offerId === offer.offerId && w.reason === 'withdrawn'), 5_000, 'withdrawn');
    expect((await refusal(b.answerOffer(offer.offerId, true))).code).toBe('NOT_FOUND');
    expect((await refusal(call(a.socket, 'chat:transfer-cancel', { chatId }))).code).toBe('NOT_FOUND');
  });

  it('offers are rate limited per connection, so a colleague cannot be pestered with offers', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const codes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await emitRaw(a.socket, 'chat:transfer', { chatId: 'Z'.repeat(22), to: { association: 'ebano' } });
      codes.push(res.ok ? 'ok' : res.error.code);
    }
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('NOT_FOUND'));
    expect(codes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Other events are not held back by it.
    expect(await a.colleagues()).toBeInstanceOf(Array);
  });

  it('answering twice: the second answer finds nothing', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const { chatId } = await chatWith(a);
    await a.transfer(chatId, { colleague: await colleague(a, b) });
    const offer = await offerTo(b, 1);
    const [first, second] = await Promise.allSettled([b.answerOffer(offer.offerId, true), b.answerOffer(offer.offerId, true)]);
    const outcomes = [first, second].map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as AckError).code)).sort();
    expect(outcomes).toEqual(['NOT_FOUND', 'ok']);
  });
});

describe('transfer keys and the purge', () => {
  it('a pending offer has a TTL, and her leaving deletes it at once and tells the colleague', async () => {
    const a = await cast.counsellor({ association: 'telefono-donna', node: 0 });
    const b = await cast.counsellor({ association: 'telefono-donna', node: 1 });
    const { resident, ticketId, chatId } = await chatWith(a);
    await a.transfer(chatId, { colleague: await colleague(a, b), note: NOTE, pins: cluster.pins });
    const offer = await offerTo(b, 1);
    const keys = (await traces([offer.offerId])).map((k) => k.key);
    expect(keys.sort()).toEqual([`${cluster.config.KEY_PREFIX}x:${chatId}`, `${cluster.config.KEY_PREFIX}xo:${offer.offerId}`].sort());
    for (const k of await traces([chatId, ticketId, offer.offerId])) {
      expect(k.ttl, k.key).toBeGreaterThan(0);
      expect(k.ttl, k.key).toBeLessThanOrEqual(cluster.config.RESIDENT_TTL_SECONDS);
    }
    await resident.leave('exit');
    await waitFor(async () => (await traces([chatId, ticketId, offer.offerId])).length === 0, 1_000, 'purged');
    await waitFor(() => b.withdrawnOffers.some((w) => w.offerId === offer.offerId && w.reason === 'ended'), 2_000, 'colleague told');
    expect((await refusal(b.answerOffer(offer.offerId, true))).code).toBe('NOT_FOUND');
  });
});
