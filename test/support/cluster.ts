// Starts the real system for integration tests: a private ephemeral and a private durable redis-server on
// free ports, N helpdesk nodes on port 0 sharing them, the BullMQ workers, and provisioned accounts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AccountStore } from '../../server/accounts/account-store.ts';
import { createAssociation, createCounsellor, type AssociationKeyFile } from '../../server/admin/provision.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import { createHelpdesk, type Helpdesk } from '../../server/create-helpdesk.ts';
import { createLogger } from '../../server/logger.ts';
import { ensureClientBuilt } from '../../server/client-build.ts';
import { launchRedis, type LaunchedRedis } from '../../server/redis-launcher.ts';
import { connectRedis, type Redis } from '../../store/redis.ts';
import { startWorkers, type RunningWorkers } from '../../workers/start-workers.ts';
import type { AccountRole, Association, Language } from '../../protocol/index.ts';
import { systemClock } from '../../store/clock.ts';
import { Authenticator, registerAuthenticator } from '../sim/authenticator.ts';
import { decodePins, type Pins } from '../sim/bots.ts';
import { LogCapture } from './log-capture.ts';

export interface TestCluster {
  nodes: Helpdesk[];
  urls: string[];
  redis: Redis;
  store: Redis;
  config: Config;
  logs: LogCapture;
  pins: Pins;
  pinsB64: Record<string, string>;
  keys: Record<Association, AssociationKeyFile>;
  dir: string;
  /**
   * Creates a counsellor directly (as `npm run admin -- counsellor add` does) and registers an Authenticator for
   * her username, so `login`, `CounsellorBot.connect` and `signInToConsole` find her codes without being told.
   */
  addCounsellor(opts: {
    username: string;
    association: Association;
    capacity?: number;
    certify?: boolean;
    languages?: Language[];
    /** 'supervisor' for a supervisor account (default 'counsellor'). */
    role?: AccountRole;
  }): Promise<TestCounsellor>;
  close(): Promise<void>;
}

export interface TestCounsellor {
  username: string;
  password: string;
  id: string;
  /** Base32, as her authenticator app would hold it. */
  totpSecret: string;
  recoveryCodes: string[];
  /** Hands out codes the server accepts now (never the same step twice). */
  authenticator: Authenticator;
}

export interface ClusterOptions {
  nodes?: number;
  env?: Record<string, string>;
  workers?: boolean;
  /** Folder of a built client to serve; defaults to none (pages answer 503). */
  clientDir?: string;
  /** Build the client with this cluster's pinned keys and serve it (slow: a few seconds). */
  buildClient?: boolean;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** The redis-server processes are shared by all clusters of one test file (one per file is plenty). */
let shared: { ephemeral: LaunchedRedis; durable: LaunchedRedis; dir: string } | null = null;

export async function sharedRedis() {
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-test-'));
    const [ephemeral, durable] = await Promise.all([
      launchRedis({ kind: 'ephemeral' }),
      launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') }),
    ]);
    shared = { ephemeral, durable, dir };
  }
  return shared;
}

export async function stopSharedRedis(): Promise<void> {
  if (!shared) return;
  const s = shared;
  shared = null;
  await Promise.all([s.ephemeral.stop(), s.durable.stop()]);
  rmSync(s.dir, { recursive: true, force: true });
}

export async function startCluster(opts: ClusterOptions = {}): Promise<TestCluster> {
  const r = await sharedRedis();
  const prefix = `t${randomBytes(4).toString('hex')}:`;
  const dir = mkdtempSync(join(tmpdir(), 'helpdesk-cluster-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: r.ephemeral.url,
    STORE_URL: r.durable.url,
    KEY_PREFIX: prefix,
    STORE_PREFIX: `s${prefix}`,
    LOG_LEVEL: 'debug',
    DATA_DIR: dir,
    ...opts.env,
  });
  const logs = new LogCapture();
  const logger = createLogger(config.LOG_LEVEL, logs);
  const redis = await connectRedis({ url: r.ephemeral.url, name: 'test' });
  const store = await connectRedis({ url: r.durable.url, name: 'test-store' });
  const accounts = new AccountStore(store, config.STORE_PREFIX);
  const pinsFile = join(dir, 'pins.json');
  const keys = {} as Record<Association, AssociationKeyFile>;
  for (const a of ['telefono-donna', 'ebano'] as const) {
    keys[a] = await createAssociation(accounts, { association: a, keyFile: join(dir, 'keys', `${a}.key`), pinsFile, now: Date.now() });
  }
  const pinsB64 = { 'telefono-donna': keys['telefono-donna'].publicKey, ebano: keys.ebano.publicKey };
  let clientDir = opts.clientDir ?? join(dir, 'no-client');
  if (opts.buildClient) {
    clientDir = join(dir, 'client');
    ensureClientBuilt(clientDir, pinsFile, config.EXIT_URL);
  }
  const nodes: Helpdesk[] = [];
  const urls: string[] = [];
  const nodeClients: Redis[] = [];
  for (let i = 0; i < (opts.nodes ?? 1); i++) {
    const nr = await connectRedis({ url: r.ephemeral.url, name: `node${i}` });
    const ns = await connectRedis({ url: r.durable.url, name: `node${i}-store` });
    nodeClients.push(nr, ns);
    const node = await createHelpdesk({ redis: nr, store: ns, config, logger: logger.child({ node: i }), clientDir });
    const port = await node.listen();
    nodes.push(node);
    urls.push(`http://127.0.0.1:${port}`);
  }
  let workers: RunningWorkers | null = null;
  if (opts.workers !== false) {
    workers = await startWorkers({
      redis,
      store,
      config,
      clock: systemClock,
      onError: (where, err) => logger.error({ where, err: err instanceof Error ? err.message : 'unknown' }, 'worker error'),
    });
  }
  return {
    nodes,
    urls,
    redis,
    store,
    config,
    logs,
    pins: decodePins(pinsB64),
    pinsB64,
    keys,
    dir,
    async addCounsellor(o) {
      const created = await createCounsellor(accounts, {
        username: o.username,
        password: TEST_PASSWORD,
        alias: o.username.charAt(0).toUpperCase() + o.username.slice(1),
        association: o.association,
        role: o.role ?? 'counsellor',
        capacity: o.capacity ?? 3,
        languages: o.languages ?? ['it', 'en'],
        associationKey: o.certify === false ? null : keys[o.association],
        now: Date.now(),
      });
      // The tests keep a few recovery codes aside for themselves; the authenticator falls back on the rest.
      const authenticator = new Authenticator(created.totp.secret, created.recoveryCodes.slice(5));
      registerAuthenticator(o.username, authenticator);
      return {
        username: o.username,
        password: TEST_PASSWORD,
        id: created.record.id,
        totpSecret: created.totp.secret,
        recoveryCodes: created.recoveryCodes,
        authenticator,
      };
    },
    async close() {
      await workers?.close();
      for (const n of nodes) await n.close();
      await Promise.allSettled([...nodeClients, redis, store].map((c) => c.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every key under a prefix with its TTL (-1 = none) and a printable dump of its value. */
export async function scanKeys(redis: Redis, prefix: string): Promise<{ key: string; ttl: number; value: string }[]> {
  const out: { key: string; ttl: number; value: string }[] = [];
  for await (const batch of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
    for (const key of batch as unknown as string[]) {
      const [ttl, type] = await Promise.all([redis.ttl(key), redis.type(key)]);
      let value: unknown;
      if (type === 'string') value = await redis.get(key);
      else if (type === 'hash') value = await redis.hGetAll(key);
      else if (type === 'list') value = await redis.lRange(key, 0, -1);
      else if (type === 'set') value = await redis.sMembers(key);
      else if (type === 'zset') value = await redis.zRange(key, 0, -1);
      else if (type === 'stream') value = await redis.xRange(key, '-', '+');
      out.push({ key, ttl, value: JSON.stringify(value ?? null) });
    }
  }
  return out;
}
