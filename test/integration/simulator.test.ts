// The headless simulator drives real bots through two nodes: every chat completes, every message is
// delivered and decrypted, and the canary it carries is nowhere in Redis or the logs afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSimulation } from '../sim/simulation.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
});
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

describe('simulator', () => {
  it('completes every chat with every message delivered, and leaves no canary and no chat keys', async () => {
    const counsellors = [];
    for (let i = 0; i < 4; i++)
      counsellors.push(await cluster.addCounsellor({ username: `sim${i}`, association: i % 2 ? 'ebano' : 'telefono-donna', capacity: 2 }));
    const canary = `SIMCANARY${Date.now()}`;
    const result = await runSimulation({
      url: cluster.urls,
      pins: cluster.pinsB64,
      counsellors,
      residents: 12,
      messages: 3,
      canary,
      timeoutMs: 60_000,
    });
    expect(result.errors).toEqual([]);
    expect(result.chatsCompleted).toBe(12);
    expect(result.messagesSent).toBe(12 * 3 * 2);
    expect(result.messagesDelivered).toBe(result.messagesSent);
    expect(result.decryptFailures).toBe(0);
    expect(result.waitMs.n).toBe(12);
    expect(result.relayMs.n).toBe(result.messagesSent);
    const keys = await scanKeys(cluster.redis, cluster.config.KEY_PREFIX);
    expect(keys.filter((k) => k.value.includes(canary))).toEqual([]);
    expect(keys.filter((k) => /:(t|c|r):/.test(k.key))).toEqual([]);
    expect(cluster.logs.text()).not.toContain(canary);
  });
});
