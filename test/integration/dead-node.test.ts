// A server node dies with a counsellor's chats on it: no disconnect is ever observed, so no counsellor-gone
// job is queued. The sweeper notices she has not been seen for longer than the stale limit plus her grace
// period and gives her residents back to the line, front of their class, with fresh keys; the next
// counsellor takes them. A counsellor who is merely connected is never swept.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Triage } from '../../protocol/index.ts';
import { SHIFT_STALE_MS } from '../../store/shift.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

const TD: Triage = { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'telefono-donna' };

let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, env: { SWEEP_INTERVAL_SECONDS: '1', COUNSELLOR_GRACE_SECONDS: '1', NO_REPLY_SECONDS: '3600' } });
});

afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

describe('a node dies under a counsellor', () => {
  it('her active chat goes back to the line by the sweeper, and a counsellor on a live node takes her', async () => {
    const a = await cluster.addCounsellor({ username: 'on-dying-node', association: 'telefono-donna' });
    const b = await cluster.addCounsellor({ username: 'on-live-node', association: 'telefono-donna' });
    const doomed = await CounsellorBot.connect(cluster.urls[1]!, a.username, a.password);
    const alive = await CounsellorBot.connect(cluster.urls[0]!, b.username, b.password);
    const her = new ResidentBot(cluster.urls[0]!, cluster.pins, TD);
    try {
      await her.join();
      const first = await doomed.claim(her.ticket!.ticketId);
      await her.waitForChat();
      await first.send('Ciao, sono qui.');

      // Several sweeps while she is connected: nothing happens to her chat.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(her.requeues).toEqual([]);

      // Node 1 dies: its sockets vanish without the server running its disconnect handling, and its heartbeats stop.
      const node = cluster.nodes[1]!;
      for (const s of node.io.of('/').sockets.values()) s.removeAllListeners('disconnect');
      await node.close();
      // Her last heartbeat is at most a beat old; let the stale limit pass without waiting for it in real time.
      await cluster.redis.zAdd(`${cluster.config.KEY_PREFIX}shift`, { score: Date.now() - SHIFT_STALE_MS - 2_000, value: a.id });

      await waitFor(() => her.requeues.length === 1, 10_000, 'requeued by the sweeper');
      expect(her.requeues[0]).toEqual({ chatId: first.chatId, reason: 'counsellor-gone' });
      // Her page sends fresh keys, then she is back in the line (front of her class) for the live counsellor.
      await waitFor(
        async () => (await cluster.redis.zScore(`${cluster.config.KEY_PREFIX}line`, her.ticket!.ticketId)) !== null,
        5_000,
        'back in the line',
      );
      const second = await alive.claim();
      const peer = await her.waitForChat();
      await second.send('Eccomi, continuo io.');
      await waitFor(() => peer.received.length === 1, 5_000, 'message from the new counsellor');
      expect(peer.received[0]!.text).toBe('Eccomi, continuo io.');
    } finally {
      await her.leave('abandon').catch(() => undefined);
      her.close();
      alive.close();
      doomed.close();
    }
  });
});
