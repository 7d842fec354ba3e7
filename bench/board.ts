// Board part of `npm run bench` (also `node --import tsx bench/board.ts`): figures, not pass/fail.
//   - update delay: a change in the line (a resident joins, or leaves) to the first snapshot that shows it, as
//     received by a supervisor socket (p50/p99); the board period is BOARD_INTERVAL_MS (1 s);
//   - CPU cost: the server process's CPU time during the same simulator load with nobody watching and with
//     10 supervisor sockets watching, in the same run (runs: without, with, without; ratio to their mean).
// One helpdesk node in a child process (bench/board-node.ts) so the bots' own CPU is not counted. Loopback only,
// bounded counts and times.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { sodiumReady } from '../crypto/index.ts';
import type { BoardSnapshot, Triage } from '../protocol/index.ts';
import { AccountStore } from '../server/accounts/account-store.ts';
import { createAssociation, createCounsellor } from '../server/admin/provision.ts';
import { launchRedis } from '../server/redis-launcher.ts';
import { connectRedis } from '../store/redis.ts';
import { Authenticator } from '../test/sim/authenticator.ts';
import { CounsellorBot, decodePins, ResidentBot } from '../test/sim/bots.ts';
import { percentiles, runSimulation } from '../test/sim/simulation.ts';
import type { BoardNodeReport, BoardNodeRequest } from './board-node.ts';

const CHANGES = Number(process.env.BENCH_BOARD_CHANGES ?? 15);
const RESIDENTS = Number(process.env.BENCH_BOARD_RESIDENTS ?? 120);
const MESSAGES = 5;
const QUIET_WAITING = 30;
const QUIET_MS = 5_000;
const QUIET_PAIRS = 5;
const WATCHERS = 10;
const INTERVAL_MS = 1000;
const line = (s: string) => process.stdout.write(`${s}\n`);

type Request = BoardNodeRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

class Node {
  private next = 0;
  constructor(
    readonly proc: ChildProcess,
    readonly url: string,
  ) {}
  request<T>(m: Request): Promise<T> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`board bench: no answer to ${m.type}`)), 10_000);
      const onMessage = (r: { id?: number }) => {
        if (r.id !== id) return;
        clearTimeout(timer);
        this.proc.off('message', onMessage);
        resolve(r as T);
      };
      this.proc.on('message', onMessage);
      this.proc.send({ ...m, id });
    });
  }
  report(): Promise<BoardNodeReport> {
    return this.request<BoardNodeReport>({ type: 'report' });
  }
}

async function startNode(env: Record<string, string>): Promise<Node> {
  const proc = fork(join(import.meta.dirname, 'board-node.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('board bench: node did not start')), 30_000);
    proc.on('message', (m: { port?: number }) => {
      if (m.port === undefined) return;
      clearTimeout(timer);
      resolve(m.port);
    });
    proc.once('exit', () => reject(new Error('board bench: node exited')));
  });
  return new Node(proc, `http://127.0.0.1:${port}`);
}

async function sockets(url: string, n: number): Promise<Socket[]> {
  const out = Array.from({ length: n }, () => connect(url, { transports: ['websocket'], forceNew: true, reconnection: false }));
  await Promise.all(out.map((s) => new Promise((r) => (s.connected ? r(null) : s.once('connect', () => r(null))))));
  return out;
}

/** Resolves with the receive time of the first snapshot satisfying `ok`, or rejects after `timeoutMs`. */
function snapshotWhere(s: Socket, ok: (b: BoardSnapshot) => boolean, timeoutMs = 5 * INTERVAL_MS): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      s.off('board:snapshot', on);
      reject(new Error('board bench: no snapshot showed the change'));
    }, timeoutMs);
    const on = (b: BoardSnapshot) => {
      if (!ok(b)) return;
      clearTimeout(timer);
      s.off('board:snapshot', on);
      resolve(performance.now());
    };
    s.on('board:snapshot', on);
  });
}

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1000;

export interface BoardBenchResult {
  delayMs: ReturnType<typeof percentiles>;
  cpuWithoutMs: number[];
  cpuWithMs: number[];
  ratio: number;
  snapshotsDuringLoad: number;
  /** The quiet node: server CPU over QUIET_MS without and with watchers, and the board's CPU per snapshot. */
  quiet: { withoutMs: number; withMs: number; snapshots: number; seconds: number; perSnapshotMs: number };
  loadSeconds: number;
}

export async function boardBench(): Promise<BoardBenchResult> {
  await sodiumReady();
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-board-'));
  const eph = await launchRedis({ kind: 'ephemeral' });
  const dur = await launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') });
  const store = await connectRedis({ url: dur.url, name: 'bench-board-admin' });
  const node = await startNode({
    REDIS_URL: eph.url,
    STORE_URL: dur.url,
    BOARD_INTERVAL_MS: String(INTERVAL_MS),
    COUNSELLOR_EVENTS_PER_SECOND: '10000',
    RESIDENT_EVENTS_PER_SECOND: '10000',
    MAX_LINE_LENGTH: '1000',
    NO_REPLY_SECONDS: '3600',
  });
  try {
    const accounts = new AccountStore(store, 'hds:');
    const keys = await Promise.all(
      (['telefono-donna', 'ebano'] as const).map((a) =>
        createAssociation(accounts, { association: a, keyFile: join(dir, `${a}.key`), pinsFile: join(dir, 'pins.json'), now: Date.now() }),
      ),
    );
    const pinsB64 = { 'telefono-donna': keys[0]!.publicKey, ebano: keys[1]!.publicKey };
    const pins = decodePins(pinsB64);
    const password = 'bench password 1234';
    // Each sign-in uses its own account: a TOTP step is accepted once, and the runs follow each other within 30 s.
    const counsellor = async (username: string) => {
      const rec = await createCounsellor(accounts, {
        username,
        password,
        alias: username,
        association: 'ebano',
        capacity: 3,
        languages: ['it'],
        associationKey: keys[1]!,
        now: Date.now(),
      });
      return { username, password, totpSecret: rec.totp.secret };
    };
    const team = async (run: string) => Promise.all([0, 1, 2, 3].map((i) => counsellor(`board-${run}${i}`)));
    const triage = (): Triage => ({ danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'ebano' });

    // 1. Update delay. One counsellor on shift (so residents are admitted) who takes nobody.
    const lone = await counsellor('board-delay');
    const onShift = await CounsellorBot.connect(node.url, lone.username, password, new Authenticator(lone.totpSecret));
    const [watcher] = await sockets(node.url, 1);
    await node.request({ type: 'watch', association: 'ebano', socketIds: [watcher!.id!] });
    let total = -1;
    watcher!.on('board:snapshot', (b: BoardSnapshot) => (total = b.waiting.total));
    await snapshotWhere(watcher!, () => true);
    const delays: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const before = total;
      const r = new ResidentBot(node.url, pins, triage());
      // At a random point of the period: a change right after a snapshot would always wait a whole period.
      await new Promise((r) => setTimeout(r, Math.random() * INTERVAL_MS));
      const joined = snapshotWhere(watcher!, (b) => b.waiting.total === before + 1);
      const t0 = performance.now();
      await r.join({ waitForPosition: false });
      delays.push((await joined) - t0);
      await new Promise((r) => setTimeout(r, Math.random() * INTERVAL_MS));
      const left = snapshotWhere(watcher!, (b) => b.waiting.total === before);
      const t1 = performance.now();
      await r.leave('abandon');
      delays.push((await left) - t1);
      r.close();
    }
    await node.request({ type: 'unwatch', association: 'ebano', socketIds: [watcher!.id!] });
    watcher!.close();

    // 2. The board's own CPU, isolated: a quiet node with residents waiting, without and with 10 supervisors.
    const waiting: ResidentBot[] = [];
    for (let i = 0; i < QUIET_WAITING; i++) {
      const r = new ResidentBot(node.url, pins, {
        ...triage(),
        language: (['it', 'ar', 'es', 'en'] as const)[i % 4]!,
        danger: i % 5 === 0 ? 'yes' : 'no',
      });
      await r.join({ waitForPosition: false });
      waiting.push(r);
    }
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
    // Alternating windows; the medians leave out the periodic jobs (aging, sweeper, roll-up) that land in some.
    const ws = await sockets(node.url, WATCHERS);
    const windows: { watching: boolean; cpuMs: number; snapshots: number }[] = [];
    for (let i = 0; i < 2 * QUIET_PAIRS; i++) {
      const watching = i % 2 === 1;
      if (watching) await node.request({ type: 'watch', association: 'ebano', socketIds: ws.map((s) => s.id!) });
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
      const before = await node.report();
      await new Promise((r) => setTimeout(r, QUIET_MS));
      const after = await node.report();
      if (watching) await node.request({ type: 'unwatch', association: 'ebano', socketIds: ws.map((s) => s.id!) });
      windows.push({ watching, cpuMs: cpuMs(before.cpu, after.cpu), snapshots: after.computations - before.computations });
    }
    ws.forEach((s) => s.close());
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const q0 = { cpuMs: median(windows.filter((w) => !w.watching).map((w) => w.cpuMs)) };
    const q1 = {
      cpuMs: median(windows.filter((w) => w.watching).map((w) => w.cpuMs)),
      snapshots: median(windows.filter((w) => w.watching).map((w) => w.snapshots)),
    };
    for (const r of waiting) {
      await r.leave('abandon');
      r.close();
    }
    onShift.close();
    const perSnapshotMs = q1.snapshots > 0 ? (q1.cpuMs - q0.cpuMs) / q1.snapshots : 0;

    // 3. CPU of the same load without and with 10 supervisors watching.
    const load = async (watching: boolean, creds: Awaited<ReturnType<typeof team>>) => {
      const ws = watching ? await sockets(node.url, WATCHERS) : [];
      if (watching) await node.request({ type: 'watch', association: 'ebano', socketIds: ws.map((s) => s.id!) });
      const before = await node.report();
      const t0 = performance.now();
      const result = await runSimulation({
        url: node.url,
        pins: pinsB64,
        counsellors: creds,
        residents: RESIDENTS,
        messages: MESSAGES,
        canary: 'BOARDBENCH',
        timeoutMs: 180_000,
        triage,
      });
      const after = await node.report();
      if (result.errors.length > 0) throw new Error(`board bench: simulator errors: ${result.errors.slice(0, 3).join('; ')}`);
      if (watching) await node.request({ type: 'unwatch', association: 'ebano', socketIds: ws.map((s) => s.id!) });
      ws.forEach((s) => s.close());
      return {
        cpuMs: cpuMs(before.cpu, after.cpu),
        seconds: (performance.now() - t0) / 1000,
        snapshots: after.computations - before.computations,
      };
    };
    // A warm-up run (not counted), then without and with watchers alternately.
    await load(false, await team('w'));
    const runs: { watching: boolean; cpuMs: number; seconds: number; snapshots: number }[] = [];
    for (let i = 0; i < 4; i++) runs.push({ watching: i % 2 === 1, ...(await load(i % 2 === 1, await team(`r${i}`))) });
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const without = runs.filter((r) => !r.watching);
    const watched = runs.filter((r) => r.watching);
    return {
      delayMs: percentiles(delays),
      cpuWithoutMs: without.map((r) => r.cpuMs),
      cpuWithMs: watched.map((r) => r.cpuMs),
      ratio: mean(watched.map((r) => r.cpuMs)) / mean(without.map((r) => r.cpuMs)),
      quiet: { withoutMs: q0.cpuMs, withMs: q1.cpuMs, snapshots: q1.snapshots, seconds: QUIET_MS / 1000, perSnapshotMs },
      snapshotsDuringLoad: watched.reduce((s, r) => s + r.snapshots, 0),
      loadSeconds: watched.reduce((s, r) => s + r.seconds, 0),
    };
  } finally {
    node.proc.kill();
    await store.close();
    await Promise.all([eph.stop(), dur.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printBoardBench(r: BoardBenchResult): void {
  const q = r.quiet;
  line(
    `board CPU, quiet   ${QUIET_WAITING} waiting, median of ${QUIET_PAIRS} windows of ${q.seconds} s: ${q.withoutMs.toFixed(0)} ms nobody watching, ${q.withMs.toFixed(0)} ms with ${WATCHERS} supervisors ` +
      `(${q.snapshots} snapshots) | ${q.perSnapshotMs.toFixed(2)} ms CPU per snapshot, ${((q.perSnapshotMs * 1000) / INTERVAL_MS / 10).toFixed(2)}% of a core at one per second`,
  );
  line(
    `board update delay  change in the line to the snapshot showing it: p50 ${r.delayMs.p50.toFixed(0)} ms, p99 ${r.delayMs.p99.toFixed(0)} ms (n=${r.delayMs.n}, period ${INTERVAL_MS} ms)`,
  );
  line(
    `board CPU           server CPU per run of ${RESIDENTS} simulated chats: ${r.cpuWithoutMs.map((x) => x.toFixed(0)).join(' / ')} ms nobody watching, ` +
      `${r.cpuWithMs.map((x) => x.toFixed(0)).join(' / ')} ms with ${WATCHERS} supervisors watching (${r.snapshotsDuringLoad} snapshots in ${r.loadSeconds.toFixed(1)} s) | ratio ${r.ratio.toFixed(2)}x`,
  );
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const r = await boardBench();
  printBoardBench(r);
  process.stdout.write(JSON.stringify({ board: r }) + '\n');
  process.exit(0);
}
