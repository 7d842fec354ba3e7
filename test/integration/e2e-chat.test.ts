// A full chat through real servers and a real Redis: the canary text goes end to end, and afterwards no
// Redis key, value or log line contains it (S1), and nothing of the chat or ticket remains (S3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

describe('end-to-end encrypted chat', () => {
  it('relays only ciphertext: the canary never appears in Redis or in logs, and every resident key has a TTL', async () => {
    const canary = `CANARY-${Math.random().toString(36).slice(2)}`;
    const c = await cluster.addCounsellor({ username: 'giulia', association: 'ebano' });
    const counsellor = await CounsellorBot.connect(cluster.urls[1]!, c.username, c.password);
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: ['psychological'],
      language: 'it',
      association: 'ebano',
    });
    try {
      const ticket = await resident.join();
      expect(ticket.position).toBeNull();
      expect(resident.positions[0]).toMatchObject({ ticketId: ticket.ticketId, position: 1 });
      const cPeer = await counsellor.claim(ticket.ticketId);
      const rPeer = await resident.waitForChat();
      expect(resident.offer?.counsellor).toEqual({ alias: 'Giulia', association: 'ebano' });

      const seenTtls: { key: string; ttl: number }[] = [];
      for (let i = 0; i < 5; i++) {
        await rPeer.send(`resident ${i} ${canary} è così`);
        await cPeer.send(`counsellor ${i} ${canary}`);
        for (const k of await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)) seenTtls.push(k);
      }
      await waitFor(() => cPeer.received.length === 5 && rPeer.received.length === 5);
      expect(cPeer.received.map((r) => r.text)).toEqual([0, 1, 2, 3, 4].map((i) => `resident ${i} ${canary} è così`));
      expect(rPeer.received.map((r) => r.text)).toEqual([0, 1, 2, 3, 4].map((i) => `counsellor ${i} ${canary}`));
      await waitFor(() => rPeer.peerRead === 4 && cPeer.peerRead === 4);

      const during = await scanKeys(cluster.redis, cluster.config.KEY_PREFIX);
      expect(during.length).toBeGreaterThan(3);
      for (const k of [...during, ...(await scanKeys(cluster.store, ''))]) {
        expect(k.value).not.toContain(canary);
        expect(k.key).not.toContain(canary);
      }
      // Every resident-related key carries a TTL (BullMQ's bookkeeping is checked in expiry tests).
      const residentKeys = seenTtls.filter((k) => !k.key.startsWith(`${cluster.config.KEY_PREFIX}bull`));
      expect(residentKeys.length).toBeGreaterThan(0);
      for (const k of residentKeys) expect(k.ttl, k.key).toBeGreaterThan(0);

      await counsellor.end(cPeer.chatId);
      await waitFor(() => resident.ended === 'counsellor-ended');
      const after = (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)).filter(
        (k) => !k.key.startsWith(`${cluster.config.KEY_PREFIX}bull`),
      );
      expect(
        after.filter((k) => k.key.includes(ticket.ticketId) || k.key.includes(cPeer.chatId) || k.value.includes(ticket.ticketId)),
      ).toEqual([]);
      expect(cluster.logs.text()).not.toContain(canary);
      expect(cluster.logs.text()).not.toContain('127.0.0.1');
    } finally {
      resident.close();
      counsellor.close();
    }
  });
});
