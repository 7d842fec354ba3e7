// Capacity inside the atomic claim, under real concurrency: 20 counsellors on two nodes with capacity 2 and
// 200 residents joining at once. Nobody gets more than 2 chats, nobody is assigned twice, nobody is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckError } from '../sim/chat-peer.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
const counsellors: CounsellorBot[] = [];
const residents: ResidentBot[] = [];

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 2,
    env: { MAX_LINE_LENGTH: '500', COUNSELLOR_EVENTS_PER_SECOND: '1000', NO_REPLY_SECONDS: '3600' },
  });
  for (let i = 0; i < 20; i++) {
    const c = await cluster.addCounsellor({
      username: `cap${i}`,
      association: i % 2 ? 'ebano' : 'telefono-donna',
      capacity: 2,
      languages: ['it'],
    });
    counsellors.push(await CounsellorBot.connect(cluster.urls[i % 2]!, c.username, c.password));
  }
  await waitFor(async () => (await cluster.redis.zCard(`${cluster.config.KEY_PREFIX}shift`)) === 20, 10_000, 'all on shift');
}, 120_000);
afterAll(async () => {
  residents.forEach((r) => r.close());
  counsellors.forEach((c) => c.close());
  await cluster?.close();
  await stopSharedRedis();
});

describe('capacity under concurrency', () => {
  it('20 counsellors x capacity 2 on two nodes, 200 residents at once: max 2 each, nobody twice, nobody lost', async () => {
    for (let i = 0; i < 200; i++) {
      residents.push(
        new ResidentBot(cluster.urls[i % 2]!, cluster.pins, {
          danger: i % 5 === 0 ? 'yes' : 'no',
          canWrite: 'yes',
          topics: [],
          language: 'it',
          association: i % 3 === 0 ? 'either' : i % 3 === 1 ? 'telefono-donna' : 'ebano',
        }),
      );
    }
    // All join at once, and every counsellor hammers take-next at the same time while they do.
    const joining = Promise.all(residents.map((r) => r.join({ waitForPosition: false })));
    const claimed = new Map<string, string[]>(); // counsellorId -> ticketIds
    const grab = async (c: CounsellorBot) => {
      const mine: string[] = [];
      let refusedAtCapacity = 0;
      const deadline = Date.now() + 20_000;
      // Keep asking after she is full: capacity must hold however often she asks.
      while (Date.now() < deadline && refusedAtCapacity < 20) {
        try {
          mine.push((await c.claim()).chatId);
        } catch (e) {
          if (!(e instanceof AckError) || (e.code !== 'AT_CAPACITY' && e.code !== 'NOTHING_WAITING')) throw e;
          if (e.code === 'AT_CAPACITY') refusedAtCapacity++;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      claimed.set(c.id, mine);
    };
    await Promise.all([joining, ...counsellors.map(grab)]);

    // No counsellor above her capacity, on the server's own books and in what she was given.
    for (const c of counsellors) {
      expect(claimed.get(c.id)!.length, c.session.counsellor.username).toBeLessThanOrEqual(2);
      expect(await cluster.redis.sCard(`${cluster.config.KEY_PREFIX}load:${c.id}`)).toBeLessThanOrEqual(2);
    }
    const chatIds = [...claimed.values()].flat();
    expect(chatIds.length).toBe(40);
    expect(new Set(chatIds).size).toBe(chatIds.length);
    // Each claimed chat belongs to exactly one resident, and no resident has two chats.
    const ticketsOfChats = await Promise.all(chatIds.map((id) => cluster.redis.hGet(`${cluster.config.KEY_PREFIX}c:${id}`, 'ticket')));
    expect(new Set(ticketsOfChats).size).toBe(40);
    // Nobody lost: every resident is either in a chat or waiting in the line (or still in triage).
    await waitFor(async () => (await cluster.redis.zCard(`${cluster.config.KEY_PREFIX}triage`)) === 0, 15_000, 'triage drained');
    const waiting = await cluster.redis.zCard(`${cluster.config.KEY_PREFIX}line`);
    expect(waiting + 40).toBe(200);
    const states = await Promise.all(
      residents.map((r) => cluster.redis.hGet(`${cluster.config.KEY_PREFIX}t:${r.ticket!.ticketId}`, 'state')),
    );
    expect(states.filter((s) => s === 'assigned' || s === 'active').length).toBe(40);
    expect(states.filter((s) => s === 'waiting').length).toBe(160);
  }, 90_000);
});
