// The atomic claim: two counsellors on two different nodes race for one resident; exactly one wins, every
// time, and the loser gets a clear error and keeps her capacity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckError } from '../sim/chat-peer.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;
let a: CounsellorBot;
let b: CounsellorBot;

beforeAll(async () => {
  // The test claims far faster than a person; lift the counsellor rate limit for it.
  cluster = await startCluster({ nodes: 2, env: { COUNSELLOR_EVENTS_PER_SECOND: '5000' } });
  const ca = await cluster.addCounsellor({ username: 'anna', association: 'telefono-donna', capacity: 1 });
  const cb = await cluster.addCounsellor({ username: 'bea', association: 'telefono-donna', capacity: 1 });
  a = await CounsellorBot.connect(cluster.urls[0]!, ca.username, ca.password);
  b = await CounsellorBot.connect(cluster.urls[1]!, cb.username, cb.password);
});
afterAll(async () => {
  a?.close();
  b?.close();
  await cluster?.close();
  await stopSharedRedis();
});

describe('claim race across two nodes', () => {
  it('exactly one of two counsellors wins each resident, over 100 repetitions', async () => {
    let winsA = 0;
    let winsB = 0;
    for (let i = 0; i < 100; i++) {
      const resident = new ResidentBot(cluster.urls[i % 2]!, cluster.pins, {
        danger: 'no',
        canWrite: 'yes',
        topics: [],
        language: 'it',
        association: 'telefono-donna',
      });
      const ticket = await resident.join();
      // Alternate specific-ticket and take-next claims: both paths go through the same atomic script.
      const target = i % 2 === 0 ? ticket.ticketId : undefined;
      const results = await Promise.allSettled([a.claim(target), b.claim(target)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]!.reason).toBeInstanceOf(AckError);
      expect(['ALREADY_TAKEN', 'NOTHING_WAITING']).toContain((lost[0]!.reason as AckError).code);
      const winner = results[0]!.status === 'fulfilled' ? a : b;
      if (winner === a) winsA++;
      else winsB++;
      const chatId = (won[0] as PromiseFulfilledResult<{ chatId: string }>).value.chatId;
      await resident.waitForChat();
      await winner.end(chatId);
      resident.close();
    }
    expect(winsA + winsB).toBe(100);
    // Both could win: the race is real, not one node always first.
    expect(winsA).toBeGreaterThan(0);
    expect(winsB).toBeGreaterThan(0);
  });

  it('a counsellor at capacity cannot claim another resident', async () => {
    const r1 = new ResidentBot(cluster.urls[0]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    const r2 = new ResidentBot(cluster.urls[1]!, cluster.pins, {
      danger: 'no',
      canWrite: 'yes',
      topics: [],
      language: 'it',
      association: 'telefono-donna',
    });
    try {
      await r1.join();
      await r2.join();
      const chat = await a.claim();
      await expect(a.claim()).rejects.toMatchObject({ code: 'AT_CAPACITY' });
      await a.end(chat.chatId);
      const next = await a.claim();
      await a.end(next.chatId);
    } finally {
      r1.close();
      r2.close();
    }
  });
});
