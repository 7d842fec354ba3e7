// The supervisor's live board on two nodes sharing one Redis: a scripted scenario (counsellors on both nodes,
// residents of known classes and languages, claims, an away and an offline counsellor, an abandon, a refusal
// for a full line) must show on the board within one update period; thresholds raise the alert; one node
// computes per period and every node's supervisors get that one snapshot; nothing in it names anyone.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardSnapshotSchema, type Association, type BoardSnapshot, type Triage } from '../../protocol/index.ts';
import { rooms } from '../../server/socket/rooms.ts';
import { keySpace } from '../../store/keys.ts';
import { readToday } from '../../store/recent-counts.ts';
import type { CounsellorBot, ResidentBot } from '../sim/bots.ts';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';
import { backdate, Cast, refusal } from '../support/queue-helpers.ts';
import { waitFor } from '../support/wait.ts';

const INTERVAL = 500;
/**
 * The first slot after a change is at most one period away; on two cores shared with other test files its
 * timer and the Redis reads may run this much later. (The figures are checked on that first snapshot.)
 */
const SLACK = 1000;
const S = 1000;

let cluster: TestCluster;
let cast: Cast;

beforeAll(async () => {
  cluster = await startCluster({
    nodes: 2,
    env: {
      BOARD_INTERVAL_MS: String(INTERVAL),
      BOARD_AMBER_WAITING: '2',
      BOARD_RED_WAITING: '4',
      BOARD_AMBER_WAIT_SECONDS: '60',
      BOARD_RED_WAIT_SECONDS: '120',
      MAX_LINE_LENGTH: '6',
      AGING_SECONDS: '86400',
      NO_REPLY_SECONDS: '3600',
    },
  });
  cast = new Cast(cluster);
});
afterAll(async () => {
  await cast?.dismiss();
  await cluster?.close();
  await stopSharedRedis();
});

/** A plain socket standing in for a supervisor: no supervisor sign-in exists yet, so the server puts it in the room. */
class Watcher {
  readonly socket: Socket;
  readonly snapshots: { snap: BoardSnapshot; receivedAt: number }[] = [];
  constructor(url: string) {
    this.socket = connect(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    this.socket.on('board:snapshot', (s: unknown) => this.snapshots.push({ snap: boardSnapshotSchema.parse(s), receivedAt: Date.now() }));
  }
  async ready(): Promise<void> {
    if (!this.socket.connected) await new Promise<void>((r) => this.socket.once('connect', () => r()));
  }
  /** The first snapshot computed at or after `t`. */
  async firstFrom(t: number): Promise<{ snap: BoardSnapshot; receivedAt: number }> {
    let hit: { snap: BoardSnapshot; receivedAt: number } | undefined;
    await waitFor(() => (hit = this.snapshots.find((s) => s.snap.at >= t)) !== undefined, 10 * INTERVAL, 'a snapshot after the change');
    return hit!;
  }
}

const triage = (
  association: Triage['association'],
  danger: Triage['danger'],
  canWrite: Triage['canWrite'],
  language: Triage['language'],
): Partial<Triage> => ({
  association,
  danger,
  canWrite,
  language,
});

describe('supervisor board', () => {
  it('shows the scenario within one update period, raises the alert over thresholds, is computed once per period, and names nobody', async () => {
    const EB: Association = 'ebano';
    const computations = () => cluster.nodes.reduce((n, node) => n + node.board.computations, 0);

    // Counsellors on both nodes. A: busy (2 of 2). B: available (1 of 3). C: away. D: left (offline). E: the other association.
    const A = await cast.counsellor({ association: EB, capacity: 2, node: 0 });
    const B = await cast.counsellor({ association: EB, capacity: 3, node: 1 });
    const C = await cast.counsellor({ association: EB, capacity: 2, node: 1 });
    const D = await cast.counsellor({ association: EB, capacity: 1, node: 0 });
    const E = await cast.counsellor({ association: 'telefono-donna', capacity: 2, node: 1 });
    await C.setAvailability('away');
    const awayAt = Date.now();
    await cast.disconnect(D);
    const offlineAt = Date.now();

    // Residents: six the ebano board counts (ebano or either), one for telefono-donna only.
    const joined: { bot: ResidentBot; ticketId: string; ackAt: number }[] = [];
    const join = async (t: Partial<Triage>, node: number) => {
      const { bot, ticketId } = await cast.waiting(t, node);
      joined.push({ bot, ticketId, ackAt: Date.now() });
      return { bot, ticketId };
    };
    const r1 = await join(triage('ebano', 'yes', 'yes', 'ar'), 0); // class 1
    await join(triage('ebano', 'unsure', 'yes', 'it'), 1); // class 2
    await join(triage('either', 'no', 'briefly', 'es'), 0); // class 2
    const r4 = await join(triage('ebano', 'no', 'yes', 'it'), 1); // class 3
    const r5 = await join(triage('either', 'no', 'yes', 'en'), 0); // class 3
    const r6 = await join(triage('ebano', 'no', 'yes', 'fr'), 1); // class 3
    await join(triage('telefono-donna', 'no', 'yes', 'it'), 0);
    // The ebano line holds 6 = MAX_LINE_LENGTH: the next ebano resident is refused.
    const full = cast.resident(triage('ebano', 'no', 'yes', 'it'), 1);
    expect((await refusal(full.join())).code).toBe('QUEUE_FULL');

    // Claims after known waits: 30 s, 90 s, 150 s (median 90 s).
    const now0 = Date.now();
    await backdate(cluster, r4.ticketId, now0 - 30 * S);
    await backdate(cluster, r6.ticketId, now0 - 90 * S);
    await backdate(cluster, r5.ticketId, now0 - 150 * S);
    const chats: string[] = [];
    const claim = async (c: CounsellorBot, ticketId: string) => chats.push((await c.claim(ticketId)).chatId);
    await claim(A, r4.ticketId);
    await claim(B, r5.ticketId);
    await claim(A, r6.ticketId);
    const busyAt = Date.now();
    // One resident joins and leaves before anyone takes her.
    const r9 = await join(triage('ebano', 'no', 'yes', 'tl'), 0);
    await r9.bot.leave('abandon');

    // Nobody watches yet: no node computes the board.
    expect(computations()).toBe(0);

    // Ground truth is in Redis (the anonymous counts are written in the background after each ack).
    const keys = keySpace(cluster.config.KEY_PREFIX);
    await waitFor(
      async () => {
        const t = await readToday(cluster.redis, keys, [EB, 'either'], Date.now());
        return t.answered === 3 && t.abandoned === 1 && t.refused.full === 1;
      },
      5_000,
      'anonymous counts recorded',
    );

    // Two supervisors, one on each node, put in the room server-side (from the other node, through the adapter).
    const w0 = new Watcher(cluster.urls[0]!);
    const w1 = new Watcher(cluster.urls[1]!);
    await Promise.all([w0.ready(), w1.ready()]);
    const T = Date.now();
    cluster.nodes[1]!.io.in(w0.socket.id!).socketsJoin(rooms.supervisors(EB));
    cluster.nodes[0]!.io.in(w1.socket.id!).socketsJoin(rooms.supervisors(EB));

    const first = await w0.firstFrom(T);
    expect(first.snap.at - T).toBeLessThanOrEqual(INTERVAL + SLACK);
    const s = first.snap;
    expect(s.association).toBe(EB);
    expect(s.intervalMs).toBe(INTERVAL);
    expect(s.waiting.total).toBe(3);
    expect(s.waiting.byUrgency).toEqual({ '1': 1, '2': 2, '3': 0 });
    expect(s.waiting.byLanguage).toEqual({ ar: 1, it: 1, es: 1 });
    // r1 joined first of those still waiting; her wait is between her join acknowledgement and her join request.
    const r1Joined = joined.find((j) => j.ticketId === r1.ticketId)!;
    expect(s.waiting.oldestWaitMs).toBeGreaterThanOrEqual(s.at - r1Joined.ackAt);
    expect(s.waiting.oldestWaitMs).toBeLessThanOrEqual(s.at - r1Joined.bot.joinedAt);
    expect(s.lastHour).toEqual({ medianWaitMs: 90 * S, answered: 3, abandoned: 1, refused: { full: 1, closed: 0, nobody: 0 } });
    expect(s.today).toEqual({ answered: 3, abandoned: 1, refused: { full: 1, closed: 0, nobody: 0 } });
    expect(s.activeChats).toBe(3);
    expect(s.counsellors.byState).toEqual({ available: 1, busy: 1, away: 1, offline: 1 });
    const alias = (c: CounsellorBot) => c.session.counsellor.alias;
    const row = (c: CounsellorBot) => s.counsellors.list.find((r) => r.alias === alias(c));
    expect(s.counsellors.list.map((r) => r.alias)).toEqual([alias(B), alias(A), alias(C), alias(D)]);
    expect(row(A)).toMatchObject({ state: 'busy', load: 2, capacity: 2 });
    expect(row(B)).toMatchObject({ state: 'available', load: 1, capacity: 3 });
    expect(row(C)).toMatchObject({ state: 'away', load: 0, capacity: 2 });
    expect(row(D)).toMatchObject({ state: 'offline', load: 0, capacity: 1 });
    expect(row(E)).toBeUndefined();
    // Time in state: from the moment each one changed (the claim that filled A up, C's status, D leaving).
    expect(row(A)!.inStateMs).toBeLessThanOrEqual(s.at - busyAt + 2 * S);
    expect(row(A)!.inStateMs).toBeGreaterThanOrEqual(s.at - busyAt);
    expect(row(C)!.inStateMs).toBeGreaterThanOrEqual(s.at - awayAt);
    expect(row(D)!.inStateMs).toBeGreaterThanOrEqual(s.at - offlineAt);
    expect(row(D)!.inStateMs).toBeLessThan(row(C)!.inStateMs + 60 * S);
    expect(s.thresholds).toEqual({ amberWaitSeconds: 60, redWaitSeconds: 120, amberWaiting: 2, redWaiting: 4 });
    expect(s.levels).toEqual({ waiting: 'amber', oldestWait: 'green', medianWait: 'amber', available: 'green' });
    expect(s.alert).toBe(false);

    // Over the thresholds: r1 has waited 200 s, and B goes away so nobody can take the three waiting.
    await backdate(cluster, r1.ticketId, Date.now() - 200 * S);
    await B.setAvailability('away');
    const T2 = Date.now();
    const alarmed = (await w1.firstFrom(T2)).snap;
    expect(alarmed.at - T2).toBeLessThanOrEqual(INTERVAL + SLACK);
    expect(alarmed.waiting.oldestWaitMs).toBeGreaterThanOrEqual(200 * S);
    expect(alarmed.waiting.oldestWaitMs).toBeLessThan(200 * S + 5 * S);
    expect(alarmed.counsellors.byState).toEqual({ available: 0, busy: 1, away: 2, offline: 1 });
    expect(alarmed.counsellors.list.find((r) => r.alias === alias(B))).toMatchObject({ state: 'away', load: 1 });
    expect(alarmed.counsellors.list.find((r) => r.alias === alias(B))!.inStateMs).toBeLessThanOrEqual(alarmed.at - T2 + INTERVAL + SLACK);
    expect(alarmed.levels).toEqual({ waiting: 'amber', oldestWait: 'red', medianWait: 'amber', available: 'red' });
    expect(alarmed.alert).toBe(true);

    // Keep watching a few periods, then both supervisors leave and the nodes stop computing.
    const watchStart = T;
    await waitFor(() => w0.snapshots.length >= 6, 20 * INTERVAL, 'six snapshots');
    cluster.nodes[0]!.io.in(w0.socket.id!).socketsLeave(rooms.supervisors(EB));
    cluster.nodes[0]!.io.in(w1.socket.id!).socketsLeave(rooms.supervisors(EB));
    await waitFor(() => cluster.nodes.every((n) => n.board.watching().length === 0), 5_000, 'rooms empty');
    const watchEnd = Date.now();
    await new Promise((r) => setTimeout(r, 3 * INTERVAL)); // let any snapshot in flight arrive
    const computed = computations();
    await new Promise((r) => setTimeout(r, 3 * INTERVAL));
    expect(computations()).toBe(computed); // nobody watches: nothing computed

    // One computation per period for the whole cluster, and both nodes' supervisors got every one of them.
    const ats0 = w0.snapshots.map((x) => x.snap.at);
    const ats1 = w1.snapshots.map((x) => x.snap.at);
    expect(ats1).toEqual(ats0);
    expect(new Set(ats0).size).toBe(ats0.length);
    expect(ats0.length).toBe(computed);
    expect(computed).toBeLessThanOrEqual(Math.ceil((watchEnd - watchStart) / INTERVAL) + 1);

    // The join acknowledgement's snapshot: the last one pushed, or a fresh one.
    const current = await cluster.nodes[1]!.board.current(EB);
    expect(current.waiting.total).toBe(3);
    expect(current.alert).toBe(true);

    // No id of the scenario anywhere in what supervisors received.
    const text = JSON.stringify([...w0.snapshots, ...w1.snapshots, current]);
    const secrets = [
      ...joined.flatMap((j) => [j.ticketId, j.bot.ticket!.resumeToken]),
      ...chats,
      ...[A, B, C, D, E].flatMap((c) => [c.id, c.session.token, c.session.counsellor.username]),
    ];
    expect(secrets.length).toBeGreaterThan(20);
    for (const id of secrets) expect(text).not.toContain(id);
    w0.socket.close();
    w1.socket.close();
  });
});
