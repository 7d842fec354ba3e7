// Starts private redis-server processes on free loopback ports when REDIS_URL / STORE_URL are unset: an
// ephemeral one with persistence off (resident data), and a durable one with an append-only file (accounts).
// Each runs under a tiny shell guard that stops it when our process goes away, even on a crash or SIGKILL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createClient } from 'redis';

export type RedisKind = 'ephemeral' | 'durable';

export interface LaunchedRedis {
  kind: RedisKind;
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
}

export class RedisNotInstalledError extends Error {
  constructor() {
    super(
      'redis-server is not installed. Run `npm run setup` (as root on Debian) or `sudo apt-get install -y redis-server`, or set REDIS_URL and STORE_URL.',
    );
    this.name = 'RedisNotInstalledError';
  }
}

// The guard reads our stdin pipe; when we exit for any reason the pipe closes and it stops redis (SIGTERM
// makes redis fsync its AOF and exit cleanly).
const GUARD =
  'exec 3<&0; redis-server "$@" & r=$!; { read -r _ <&3; kill -TERM "$r" 2>/dev/null; } & w=$!; wait "$r"; s=$?; kill "$w" 2>/dev/null; exit $s';

export function redisServerAvailable(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolvePort(addr.port) : reject(new Error('freePort: no address'))));
    });
  });
}

export interface LaunchOptions {
  kind: RedisKind;
  /** Durable only: the folder for the append-only file. */
  dataDir?: string;
}

export async function launchRedis(opts: LaunchOptions): Promise<LaunchedRedis> {
  if (!redisServerAvailable()) throw new RedisNotInstalledError();
  let lastError: unknown;
  // A free port can be taken between our probe and redis binding it; try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return await launchOnce(opts, await freePort());
    } catch (err) {
      lastError = err;
    }
  }
  throw new Error(`launchRedis: could not start ${opts.kind} redis-server: ${String(lastError)}`);
}

async function launchOnce(opts: LaunchOptions, port: number): Promise<LaunchedRedis> {
  let dir: string;
  let tempDir: string | null = null;
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes', '--daemonize', 'no', '--save', ''];
  if (opts.kind === 'durable') {
    dir = resolve(opts.dataDir ?? 'data/redis');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    args.push('--appendonly', 'yes', '--appendfsync', 'everysec');
  } else {
    // Persistence off: no RDB, no AOF; the dir only receives nothing (kept private and removed on stop).
    tempDir = mkdtempSync(join(tmpdir(), 'helpdesk-redis-'));
    dir = tempDir;
    args.push('--appendonly', 'no');
  }
  args.push('--dir', dir, '--logfile', '', '--loglevel', 'warning');
  const child: ChildProcess = spawn('sh', ['-c', GUARD, 'redis-guard', ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = `redis://127.0.0.1:${port}`;
  await waitReady(url, exited, () => stderr);
  let stopped: Promise<void> | null = null;
  return {
    kind: opts.kind,
    url,
    port,
    pid: child.pid ?? -1,
    stop() {
      stopped ??= (async () => {
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
        if (tempDir) rmSync(tempDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** True if a Redis server answers PING at `url` within half a second. */
export async function redisAnswers(url: string): Promise<boolean> {
  const c = createClient({ url, socket: { connectTimeout: 500, reconnectStrategy: false } });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.ping();
    await c.close();
    return true;
  } catch {
    await c.destroy();
    return false;
  }
}

async function waitReady(url: string, exited: Promise<number | null>, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  let dead = false;
  void exited.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`redis-server exited: ${stderr().trim()}`);
    if (await redisAnswers(url)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not become ready within 10 s');
}
