// `npm run bench`: figures, not pass/fail. Relays the same ciphertext-sized payloads through a bare Socket.IO
// relay (baseline) and through a helpdesk node, each in its own process, and reports relay latency and the
// server's CPU per relayed message side by side, plus memory per idle connection, join-to-position latency
// and purge delay. Everything runs on loopback with bounded counts.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { sodiumReady } from '../crypto/index.ts';
import { AccountStore } from '../server/accounts/account-store.ts';
import { createAssociation, createCounsellor } from '../server/admin/provision.ts';
import { launchRedis } from '../server/redis-launcher.ts';
import { connectRedis } from '../store/redis.ts';
import { Authenticator } from '../test/sim/authenticator.ts';
import { CounsellorBot, decodePins, ResidentBot } from '../test/sim/bots.ts';
import { percentiles } from '../test/sim/simulation.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000);
const IDLE = Number(process.env.BENCH_IDLE ?? 500);
const VISITS = Number(process.env.BENCH_VISITS ?? 100);

interface Child {
  proc: ChildProcess;
  url: string;
  report(): Promise<{ cpu: NodeJS.CpuUsage; mem: NodeJS.MemoryUsage }>;
}

async function start(mode: 'bare' | 'helpdesk', env: Record<string, string> = {}): Promise<Child> {
  const proc = fork(join(import.meta.dirname, 'relay-node.ts'), [mode], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', () => reject(new Error(`${mode} child exited`)));
  });
  return {
    proc,
    url: `http://127.0.0.1:${port}`,
    report: () =>
      new Promise((resolve) => {
        proc.once('message', (m) => resolve(m as { cpu: NodeJS.CpuUsage; mem: NodeJS.MemoryUsage }));
        proc.send('report');
      }),
  };
}

const cpuMs = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => (b.user - a.user + b.system - a.system) / 1000;
const line = (s: string) => process.stdout.write(`${s}\n`);

async function bareRelay(child: Child) {
  const a: Socket = connect(child.url, { transports: ['websocket'], forceNew: true });
  const b: Socket = connect(child.url, { transports: ['websocket'], forceNew: true });
  await Promise.all([a, b].map((s) => new Promise((r) => s.once('connect', () => r(null)))));
  const payload = { chatId: 'A'.repeat(22), seq: 0, nonce: 'N'.repeat(32), ciphertext: 'C'.repeat(363) };
  const lat: number[] = [];
  const before = await child.report();
  for (let i = 0; i < MESSAGES; i++) {
    const t0 = performance.now();
    const got = new Promise((r) => b.once('chat:message', r));
    await a.timeout(5000).emitWithAck('chat:send', { ...payload, seq: i });
    await got;
    lat.push(performance.now() - t0);
  }
  const after = await child.report();
  a.close();
  b.close();
  return { lat: percentiles(lat), cpuPerMsgUs: (cpuMs(before.cpu, after.cpu) * 1000) / MESSAGES };
}

async function main() {
  await sodiumReady();
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-bench-'));
  const eph = await launchRedis({ kind: 'ephemeral' });
  const dur = await launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') });
  const store = await connectRedis({ url: dur.url, name: 'bench-admin' });
  const accounts = new AccountStore(store, 'hds:');
  const keys = await Promise.all(
    (['telefono-donna', 'ebano'] as const).map((a) =>
      createAssociation(accounts, { association: a, keyFile: join(dir, `${a}.key`), pinsFile: join(dir, 'pins.json'), now: Date.now() }),
    ),
  );
  const pins = decodePins({ 'telefono-donna': keys[0]!.publicKey, ebano: keys[1]!.publicKey });
  const password = 'bench password 1234';
  const bench = await createCounsellor(accounts, {
    username: 'bench',
    password,
    alias: 'Bench',
    association: 'ebano',
    capacity: 10,
    languages: ['it'],
    associationKey: keys[1]!,
    now: Date.now(),
  });

  line(`# helpdesk benchmark (${MESSAGES} messages, ${IDLE} idle connections, ${VISITS} visits; loopback, 2 cores)`);
  const bare = await start('bare');
  const b = await bareRelay(bare);
  const bareIdle = await idleMemory(bare);
  bare.proc.kill();

  const node = await start('helpdesk', {
    REDIS_URL: eph.url,
    STORE_URL: dur.url,
    COUNSELLOR_EVENTS_PER_SECOND: '10000',
    RESIDENT_EVENTS_PER_SECOND: '10000',
    MAX_LINE_LENGTH: '1000',
    NO_REPLY_SECONDS: '3600',
  });
  const counsellor = await CounsellorBot.connect(node.url, 'bench', password, new Authenticator(bench.totp.secret));
  // Relay: one encrypted chat, ping-pong, measured from seal+send to the peer's decrypt.
  const resident = new ResidentBot(node.url, pins, { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'ebano' });
  await resident.join();
  const cPeer = await counsellor.claim();
  const rPeer = await resident.waitForChat();
  const lat: number[] = [];
  const before = await node.report();
  for (let i = 0; i < MESSAGES; i++) {
    const t0 = performance.now();
    const n = cPeer.received.length;
    await rPeer.send(`message ${i}`);
    while (cPeer.received.length === n) await new Promise((r) => setImmediate(r));
    lat.push(performance.now() - t0);
  }
  const after = await node.report();
  const h = { lat: percentiles(lat), cpuPerMsgUs: (cpuMs(before.cpu, after.cpu) * 1000) / MESSAGES };
  await resident.leave('ended');
  resident.close();

  // Join to first position, and purge delay (leave request to acknowledgement: keys are gone before the ack).
  const joinLat: number[] = [];
  const purge: number[] = [];
  const accept: number[] = [];
  for (let i = 0; i < VISITS; i++) {
    const r = new ResidentBot(node.url, pins, { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'ebano' });
    const t0 = performance.now();
    await r.join();
    joinLat.push(performance.now() - t0);
    const t1 = performance.now();
    const peer = await counsellor.claim();
    const rp = await r.waitForChat();
    await peer.send('first');
    while (rp.received.length === 0) await new Promise((res) => setImmediate(res));
    accept.push(performance.now() - t1);
    const t2 = performance.now();
    await r.leave('ended');
    purge.push(performance.now() - t2);
    r.close();
  }
  // Join to the counsellor's immediate-danger alert: a resident in danger joins; the console raises the alarm
  // on the first `queue:changed` that lists her (the console's own rendering adds a frame, see console-workspace test).
  const alert: number[] = [];
  const seen: { at: number; ids: string[] }[] = [];
  const onLine = (p: { entries: { ticketId: string; danger: string }[] }) =>
    seen.push({ at: performance.now(), ids: p.entries.filter((e) => e.danger === 'yes').map((e) => e.ticketId) });
  (counsellor.socket as unknown as { on(e: string, f: typeof onLine): void }).on('queue:changed', onLine);
  for (let i = 0; i < VISITS; i++) {
    seen.length = 0;
    const r = new ResidentBot(node.url, pins, { danger: 'yes', canWrite: 'yes', topics: [], language: 'it', association: 'ebano' });
    const t0 = performance.now();
    const { ticketId } = await r.join();
    const deadline = Date.now() + 5_000;
    let hit: { at: number } | undefined;
    while (!(hit = seen.find((s) => s.ids.includes(ticketId))) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 1));
    if (hit) alert.push(hit.at - t0);
    await r.leave('abandon');
    r.close();
  }
  const nodeIdle = await idleMemory(node);
  counsellor.close();
  node.proc.kill();

  const f = (p: { p50: number; p99: number }) => `p50 ${p.p50.toFixed(2)} ms, p99 ${p.p99.toFixed(2)} ms`;
  line(
    `relay latency     bare socket.io: ${f(b.lat)} | helpdesk (E2E sealed, Redis Lua, 2 round trips): ${f(h.lat)} | p50 ratio ${(h.lat.p50 / b.lat.p50).toFixed(2)}x`,
  );
  line(
    `server CPU / msg  bare: ${b.cpuPerMsgUs.toFixed(0)} µs | helpdesk: ${h.cpuPerMsgUs.toFixed(0)} µs | ratio ${(h.cpuPerMsgUs / b.cpuPerMsgUs).toFixed(2)}x`,
  );
  line(
    `idle connection   (live heap + buffers after GC) bare: ${bareIdle.toFixed(1)} KiB | helpdesk (anonymous resident sockets): ${nodeIdle.toFixed(1)} KiB | ratio ${(nodeIdle / bareIdle).toFixed(2)}x`,
  );
  line(`join to position  ${f(percentiles(joinLat))} (triage worker in the same process)`);
  line(`accept to first message readable by the resident  ${f(percentiles(accept))}`);
  line(`join to danger alert on the console  ${f(percentiles(alert))} (n=${alert.length}; triage worker, debounced line push)`);
  line(`purge delay       ${f(percentiles(purge))} (leave request to ack; every key is deleted before the ack)`);
  process.stdout.write(
    JSON.stringify({
      bare: b,
      helpdesk: h,
      bareIdleKiB: bareIdle,
      helpdeskIdleKiB: nodeIdle,
      joinMs: percentiles(joinLat),
      acceptMs: percentiles(accept),
      alertMs: percentiles(alert),
      purgeMs: percentiles(purge),
    }) + '\n',
  );

  await store.close();
  await Promise.all([eph.stop(), dur.stop()]);
  rmSync(dir, { recursive: true, force: true });
  await (await import('./resident-budget.ts')).residentBudget();
  // The supervisor board: update delay and CPU cost with 10 supervisors watching (bench/board.ts).
  const { boardBench, printBoardBench } = await import('./board.ts');
  printBoardBench(await boardBench());
  process.exit(0);
}

/** Heap + external growth of the server process per idle connected socket (KiB). */
async function idleMemory(child: Child): Promise<number> {
  const m0 = (await child.report()).mem;
  const sockets: Socket[] = [];
  for (let i = 0; i < IDLE; i++) sockets.push(connect(child.url, { transports: ['websocket'], forceNew: true, reconnection: false }));
  await Promise.all(sockets.map((s) => new Promise((r) => (s.connected ? r(null) : s.once('connect', () => r(null))))));
  await new Promise((r) => setTimeout(r, 500));
  const m1 = (await child.report()).mem;
  sockets.forEach((s) => s.close());
  // Live heap plus buffers after a full collection: RSS moves with the allocator and was mostly noise.
  return (m1.heapUsed + m1.external - (m0.heapUsed + m0.external)) / 1024 / IDLE;
}

await main();
