// The queue's promises over time: a counsellor who does not answer or vanishes gives the resident back to the
// front of her class, once; waiting residents get debounced position updates that never go up while nobody
// joins ahead; and everything about a resident is gone within a second of the end, or by the TTL alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Triage } from '../../protocol/index.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { connectRedis } from '../../store/redis.ts';
import { scanKeys, sharedRedis, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const TD: Triage = { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'telefono-donna' };

afterAll(async () => {
  await stopSharedRedis();
});

/** Keys (or values) anywhere in the ephemeral Redis that still name one of these ids. */
async function traces(cluster: TestCluster, ids: string[]) {
  return (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)).filter((k) =>
    ids.some((id) => k.key.includes(id) || k.value.includes(id)),
  );
}

describe('requeue', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2, env: { NO_REPLY_SECONDS: '1', COUNSELLOR_GRACE_SECONDS: '1' } });
  });
  afterAll(async () => cluster?.close());

  it('no first reply in time: she goes back to the front of her class once, with fresh keys, and the next counsellor gets her', async () => {
    const a = await cluster.addCounsellor({ username: 'silent', association: 'telefono-donna' });
    const b = await cluster.addCounsellor({ username: 'ready', association: 'telefono-donna' });
    const silent = await CounsellorBot.connect(cluster.urls[0]!, a.username, a.password);
    const ready = await CounsellorBot.connect(cluster.urls[1]!, b.username, b.password);
    const early = new ResidentBot(cluster.urls[0]!, cluster.pins, TD);
    const her = new ResidentBot(cluster.urls[1]!, cluster.pins, TD);
    try {
      await early.join();
      await her.join();
      const first = await silent.claim(her.ticket!.ticketId);
      await her.waitForChat();
      // The silent counsellor never writes: after NO_REPLY_SECONDS the chat is taken back.
      await waitFor(() => her.requeues.length === 1, 10_000, 'requeued');
      expect(her.requeues[0]).toEqual({ chatId: first.chatId, reason: 'no-reply' });
      await waitFor(() => silent.ended.get(first.chatId) === 'reassigned', 5_000, 'counsellor told');
      // Front of her class: ahead of `early`, who joined before her with the same class.
      await waitFor(
        async () => (await cluster.redis.zRange(`${cluster.config.KEY_PREFIX}line`, 0, 0))[0] === her.ticket!.ticketId,
        5_000,
        'at the front',
      );
      const second = await ready.claim();
      expect(second.chatId).not.toBe(first.chatId);
      const peer = await her.waitForChat();
      await second.send('Sono qui, scusa l’attesa.');
      await waitFor(() => peer.received.length === 1);
      expect(peer.received[0]!.text).toBe('Sono qui, scusa l’attesa.');
      // Nothing of the first chat remains, and the no-reply timer of the second does not fire: she was answered.
      expect(await traces(cluster, [first.chatId])).toEqual([]);
      await new Promise((r) => setTimeout(r, 1_500));
      expect(her.requeues).toHaveLength(1);
    } finally {
      [early, her].forEach((r) => r.close());
      [silent, ready].forEach((c) => c.close());
    }
  });

  it('a counsellor who disconnects past the grace period: her residents go back to the front, once; one who returns in time keeps them', async () => {
    const a = await cluster.addCounsellor({ username: 'leaver', association: 'telefono-donna' });
    const b = await cluster.addCounsellor({ username: 'stayer', association: 'telefono-donna' });
    const leaver = await CounsellorBot.connect(cluster.urls[0]!, a.username, a.password);
    const stayer = await CounsellorBot.connect(cluster.urls[1]!, b.username, b.password);
    const r1 = new ResidentBot(cluster.urls[1]!, cluster.pins, TD);
    const r2 = new ResidentBot(cluster.urls[0]!, cluster.pins, TD);
    try {
      await r1.join();
      const c1 = await leaver.claim(r1.ticket!.ticketId);
      await c1.send('ciao');
      await r2.join();
      const c2 = await stayer.claim(r2.ticket!.ticketId);
      await c2.send('ciao');
      // The stayer's connection drops and comes straight back (well within the grace period).
      stayer.socket.io.engine.close();
      await waitFor(() => stayer.socket.connected, 10_000, 'stayer back');
      leaver.close();
      await waitFor(() => r1.requeues.length === 1, 10_000, 'r1 requeued');
      expect(r1.requeues[0]).toEqual({ chatId: c1.chatId, reason: 'counsellor-gone' });
      await new Promise((r) => setTimeout(r, 2_000));
      expect(r1.requeues).toHaveLength(1);
      expect(r2.requeues).toHaveLength(0);
      await c2.send('ancora qui');
      await waitFor(() => r2.peer?.received.length === 2);
      expect(await traces(cluster, [c1.chatId])).toEqual([]);
    } finally {
      [r1, r2].forEach((r) => r.close());
      [leaver, stayer].forEach((c) => c.close());
    }
  });
});

describe('position updates', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 2 });
  });
  afterAll(async () => cluster?.close());

  it('reach every waiting resident, debounced, and never go up while nobody joins ahead', async () => {
    const c = await cluster.addCounsellor({ username: 'pos', association: 'telefono-donna', capacity: 10 });
    const counsellor = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
    const bots = Array.from({ length: 8 }, (_, i) => new ResidentBot(cluster.urls[i % 2]!, cluster.pins, TD));
    try {
      for (const b of bots) await b.join();
      await waitFor(() => bots.every((b, i) => b.positions.at(-1)?.position === i + 1), 10_000, 'initial positions');
      const before = bots.map((b) => b.positions.length);
      // Five residents taken in one burst: each of the others sees her position drop, in fewer messages than changes.
      await Promise.all([0, 1, 2, 3, 4].map(() => counsellor.claim()));
      await waitFor(() => bots.slice(5).every((b, i) => b.positions.at(-1)?.position === i + 1), 10_000, 'positions after the burst');
      for (const [i, b] of bots.slice(5).entries()) {
        const updates = b.positions.slice(before[i + 5]!);
        expect(updates.length, `resident ${i + 5} updates`).toBeLessThan(5);
        expect(updates.length).toBeGreaterThan(0);
        const seq = b.positions.map((p) => p.position);
        for (let k = 1; k < seq.length; k++) expect(seq[k]!).toBeLessThanOrEqual(seq[k - 1]!);
        const highs = b.positions.map((p) => p.eta?.highMinutes ?? Infinity);
        for (let k = 1; k < highs.length; k++) expect(highs[k]!).toBeLessThanOrEqual(highs[k - 1]!);
        expect(b.positions.at(-1)!.eta).not.toBeNull();
      }
    } finally {
      bots.forEach((b) => b.close());
      counsellor.close();
    }
  });
});

describe('expiry', () => {
  it('end, abandon and quick exit purge every key of the resident within a second', async () => {
    const cluster = await startCluster({ nodes: 1 });
    const c = await cluster.addCounsellor({ username: 'exp', association: 'telefono-donna' });
    const counsellor = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
    const seen: string[] = [];
    try {
      for (const how of ['ended', 'abandon', 'exit'] as const) {
        const r = new ResidentBot(cluster.urls[0]!, cluster.pins, TD);
        await r.join();
        const ids = [r.ticket!.ticketId];
        if (how !== 'abandon') {
          const peer = await counsellor.claim(r.ticket!.ticketId);
          await r.waitForChat();
          await peer.send('x');
          ids.push(peer.chatId);
        }
        seen.push(...ids);
        expect((await traces(cluster, ids)).length).toBeGreaterThan(0);
        const t0 = Date.now();
        await r.leave(how);
        await waitFor(async () => (await traces(cluster, ids)).length === 0, 1_000, `purged after ${how}`);
        expect(Date.now() - t0).toBeLessThan(1_000);
        r.close();
      }
      // The durable store never saw a resident id.
      const durable = await scanKeys(cluster.store, '');
      expect(durable.length).toBeGreaterThan(0);
      expect(durable.filter((k) => seen.some((id) => k.key.includes(id) || k.value.includes(id)))).toEqual([]);
    } finally {
      counsellor.close();
      await cluster.close();
    }
  });

  it('with no purge at all (workers and nodes gone), TTLs alone clear every resident key by the deadline', async () => {
    const cluster = await startCluster({ nodes: 1, env: { RESIDENT_TTL_SECONDS: '3', RESIDENT_GRACE_SECONDS: '3600' } });
    const c = await cluster.addCounsellor({ username: 'ttl', association: 'telefono-donna' });
    const counsellor = await CounsellorBot.connect(cluster.urls[0]!, c.username, c.password);
    const r = new ResidentBot(cluster.urls[0]!, cluster.pins, TD);
    await r.join();
    const peer = await counsellor.claim(r.ticket!.ticketId);
    await r.waitForChat();
    await peer.send('x');
    const ids = [r.ticket!.ticketId, peer.chatId];
    const prefix = cluster.config.KEY_PREFIX;
    // Every key that names her has a TTL no longer than the configured one.
    const named = await traces(cluster, ids);
    expect(named.length).toBeGreaterThan(3);
    for (const k of named) {
      expect(k.ttl, k.key).toBeGreaterThan(0);
      expect(k.ttl, k.key).toBeLessThanOrEqual(3);
    }
    // Nobody ends anything: the process dies with the chat open (sockets dropped, workers stopped).
    r.close();
    counsellor.close();
    const redis = await connectRedis({ url: (await sharedRedis()).ephemeral.url, name: 'ttl-watch' });
    await cluster.close();
    try {
      const named = async () => (await scanKeys(redis, prefix)).filter((k) => ids.some((id) => k.key.includes(id) || k.value.includes(id)));
      await waitFor(async () => (await named()).length === 0, 6_000, 'expired by TTL');
      expect((await scanKeys(redis, prefix)).filter((k) => /:(t|c|r|jr|load):/.test(k.key))).toEqual([]);
    } finally {
      await redis.close();
    }
  });
});
