// Connections drop on poor mobile networks: a resident on node A and a counsellor on node B keep their chat
// across a drop with no lost and no duplicated message, a resend of an identical envelope is recognised as
// a duplicate, and a resident who does not come back within the grace period has her visit ended and purged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toB64 } from '../../crypto/index.ts';
import type { Triage } from '../../protocol/index.ts';
import { call } from '../sim/chat-peer.ts';
import { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { scanKeys, startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { waitFor } from '../support/wait.ts';

let cluster: TestCluster;
let counsellor: CounsellorBot;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, env: { RESIDENT_GRACE_SECONDS: '1' } });
  const c = await cluster.addCounsellor({ username: 'carla', association: 'ebano', capacity: 3 });
  counsellor = await CounsellorBot.connect(cluster.urls[1]!, c.username, c.password);
});
afterAll(async () => {
  counsellor?.close();
  await cluster?.close();
  await stopSharedRedis();
});

const triage: Triage = { danger: 'no', canWrite: 'yes', topics: [], language: 'ar', association: 'ebano' };

describe('reconnection', () => {
  it('resident on node A and counsellor on node B: a dropped connection resumes with nothing lost or duplicated', async () => {
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, triage);
    try {
      const ticket = await resident.join();
      const cPeer = await counsellor.claim(ticket.ticketId);
      const rPeer = await resident.waitForChat();
      await rPeer.send('before 1');
      await cPeer.send('reply 1');
      await waitFor(() => rPeer.received.length === 1 && cPeer.received.length === 1);

      // Drop her connection (as a network cut would) and talk to her while she is away.
      resident.socket.io.engine.close();
      await waitFor(() => !resident.socket.connected);
      await cPeer.send('while away 1');
      await cPeer.send('while away 2');
      await waitFor(() => counsellor.peerStates.some((p) => p.state === 'away'));
      await waitFor(() => resident.socket.connected, 10_000, 'reconnect');
      await waitFor(() => rPeer.received.length === 3, 10_000, 'missed messages synced');
      await waitFor(() => counsellor.peerStates.some((p) => p.state === 'back'));

      await rPeer.send('after 1');
      await waitFor(() => cPeer.received.length === 2);
      expect(rPeer.received.map((m) => m.text)).toEqual(['reply 1', 'while away 1', 'while away 2']);
      expect(cPeer.received.map((m) => m.text)).toEqual(['before 1', 'after 1']);
      expect(rPeer.decryptFailures + cPeer.decryptFailures).toBe(0);

      // A resend of the same envelope (its ack was lost) is stored once and shown once.
      const env = rPeer.session.seal('sent twice');
      const payload = { chatId: rPeer.chatId, seq: env.seq, nonce: toB64(env.nonce), ciphertext: toB64(env.ciphertext) };
      expect(await call(resident.socket, 'chat:send', payload)).toEqual({ seq: env.seq, duplicate: false });
      expect(await call(resident.socket, 'chat:send', payload)).toEqual({ seq: env.seq, duplicate: true });
      // A different ciphertext at a used seq is refused.
      const other = rPeer.session.seal('other');
      await expect(
        call(resident.socket, 'chat:send', { ...payload, nonce: toB64(other.nonce), ciphertext: toB64(other.ciphertext) }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await waitFor(() => cPeer.received.length === 3);
      await cPeer.sync();
      expect(cPeer.received.map((m) => m.text)).toEqual(['before 1', 'after 1', 'sent twice']);
      await resident.leave('ended');
      await waitFor(() => counsellor.ended.get(cPeer.chatId) === 'resident-ended');
    } finally {
      resident.close();
    }
  });

  it('a resident gone longer than the grace period: the chat ends for the counsellor and every key is purged', async () => {
    const resident = new ResidentBot(cluster.urls[0]!, cluster.pins, triage);
    const ticket = await resident.join();
    const cPeer = await counsellor.claim(ticket.ticketId);
    await resident.waitForChat();
    // She closes the tab: no reconnection.
    resident.close();
    await waitFor(() => counsellor.ended.get(cPeer.chatId) === 'resident-gone', 10_000, 'chat ended after grace');
    const left = (await scanKeys(cluster.redis, cluster.config.KEY_PREFIX)).filter(
      (k) =>
        k.key.includes(ticket.ticketId) ||
        k.key.includes(cPeer.chatId) ||
        k.value.includes(ticket.ticketId) ||
        k.value.includes(cPeer.chatId),
    );
    expect(left).toEqual([]);
  });

  it('a waiting resident gone longer than the grace period leaves the line', async () => {
    const resident = new ResidentBot(cluster.urls[1]!, cluster.pins, triage);
    const ticket = await resident.join();
    resident.close();
    await waitFor(
      async () => (await cluster.redis.exists(`${cluster.config.KEY_PREFIX}t:${ticket.ticketId}`)) === 0,
      10_000,
      'ticket purged',
    );
    expect(await cluster.redis.zScore(`${cluster.config.KEY_PREFIX}line`, ticket.ticketId)).toBeNull();
  });
});
