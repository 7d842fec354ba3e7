// Local defaults: when REDIS_URL / STORE_URL are unset, start private redis-server processes. The durable
// one's address is written to DATA_DIR/durable.json so the admin CLI reaches the same store while the app
// runs (and starts its own on the same files when it does not).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launchRedis, redisAnswers, type LaunchedRedis } from './redis-launcher.ts';

export interface LocalRedis {
  url: string;
  /** Stops the process if we started it; a no-op for one we only connected to. */
  stop(): Promise<void>;
  started: boolean;
}

export async function ephemeralRedis(url: string | undefined): Promise<LocalRedis> {
  if (url) return { url, started: false, stop: async () => undefined };
  const r = await launchRedis({ kind: 'ephemeral' });
  return { url: r.url, started: true, stop: () => r.stop() };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Exclusive right to run a redis-server on DATA_DIR/redis; a lock left by a dead process is taken over. */
function tryLock(lockFile: string): boolean {
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(lockFile, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) return false;
    rmSync(lockFile, { force: true });
    return false;
  }
}

/**
 * The durable store on local defaults. Only one redis-server may ever own the append-only file, so a lock
 * file guards it. The app (`share: true`) publishes its address in DATA_DIR/durable.json for the admin CLI;
 * the CLI (`share: false`) connects to that when the app runs, or briefly runs its own without publishing it
 * (so the app never depends on a process that is about to stop).
 */
export async function durableRedis(url: string | undefined, dataDir: string, share: boolean): Promise<LocalRedis> {
  if (url) return { url, started: false, stop: async () => undefined };
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const runtime = join(dir, 'durable.json');
  const lockFile = join(dir, 'redis.lock');
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(runtime)) {
      const info = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string };
      if (await redisAnswers(info.url)) return { url: info.url, started: false, stop: async () => undefined };
    }
    if (tryLock(lockFile)) break;
    if (Date.now() > deadline) throw new Error(`durable store: ${lockFile} is held by a running process that does not serve the store`);
    await new Promise((r) => setTimeout(r, 200));
  }
  let r: LaunchedRedis;
  try {
    r = await launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') });
  } catch (err) {
    rmSync(lockFile, { force: true });
    throw err;
  }
  if (share) writeFileSync(runtime, JSON.stringify({ url: r.url, pid: process.pid }) + '\n', { mode: 0o600 });
  return {
    url: r.url,
    started: true,
    async stop() {
      if (share) rmSync(runtime, { force: true });
      await r.stop();
      rmSync(lockFile, { force: true });
    },
  };
}
