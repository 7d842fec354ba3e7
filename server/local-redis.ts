// Local defaults: when REDIS_URL / STORE_URL are unset, start private redis-server processes. The durable
// one's address is written to DATA_DIR/durable.json so the admin CLI reaches the same store while the app
// runs (and starts its own on the same files when it does not).
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClient } from 'redis';
import { launchRedis, type LaunchedRedis } from './redis-launcher.ts';

export interface LocalRedis {
  url: string;
  /** Stops the process if we started it; a no-op for one we only connected to. */
  stop(): Promise<void>;
  started: boolean;
}

async function alive(url: string): Promise<boolean> {
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

export async function ephemeralRedis(url: string | undefined): Promise<LocalRedis> {
  if (url) return { url, started: false, stop: async () => undefined };
  const r = await launchRedis({ kind: 'ephemeral' });
  return { url: r.url, started: true, stop: () => r.stop() };
}

export async function durableRedis(url: string | undefined, dataDir: string): Promise<LocalRedis> {
  if (url) return { url, started: false, stop: async () => undefined };
  const dir = resolve(dataDir);
  const runtime = join(dir, 'durable.json');
  if (existsSync(runtime)) {
    const info = JSON.parse(readFileSync(runtime, 'utf8')) as { url: string };
    if (await alive(info.url)) return { url: info.url, started: false, stop: async () => undefined };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const r: LaunchedRedis = await launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') });
  writeFileSync(runtime, JSON.stringify({ url: r.url, pid: process.pid }) + '\n', { mode: 0o600 });
  return {
    url: r.url,
    started: true,
    async stop() {
      await r.stop();
      rmSync(runtime, { force: true });
    },
  };
}
