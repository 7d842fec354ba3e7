// `npm start`: validates the configuration, starts private Redis servers where none is configured, makes
// sure both associations have keys and the client is built with them pinned, then runs one server node
// and the workers, and shuts everything down cleanly on SIGINT/SIGTERM or a crash.
import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { ASSOCIATIONS } from '../protocol/index.ts';
import { systemClock } from '../store/clock.ts';
import { connectRedis } from '../store/redis.ts';
import { startWorkers, type RunningWorkers } from '../workers/start-workers.ts';
import { AccountStore } from './accounts/account-store.ts';
import { createAssociation } from './admin/provision.ts';
import { ensureClientBuilt, PROJECT_ROOT } from './client-build.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createHelpdesk, type Helpdesk } from './create-helpdesk.ts';
import { durableRedis, ephemeralRedis, type LocalRedis } from './local-redis.ts';
import { createLogger } from './logger.ts';
import { RedisNotInstalledError } from './redis-launcher.ts';

const cleanups: (() => Promise<void>)[] = [];
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const dataDir = resolve(config.DATA_DIR);
  const pinsFile = join(dataDir, 'pins.json');

  const eph: LocalRedis = await ephemeralRedis(config.REDIS_URL);
  cleanups.push(() => eph.stop());
  const dur: LocalRedis = await durableRedis(config.STORE_URL, dataDir, true);
  cleanups.push(() => dur.stop());
  const redis = await connectRedis({ url: eph.url, name: 'helpdesk' });
  const store = await connectRedis({ url: dur.url, name: 'helpdesk-store' });
  cleanups.push(async () => {
    await Promise.allSettled([redis.close(), store.close()]);
  });

  const accounts = new AccountStore(store, config.STORE_PREFIX);
  for (const a of ASSOCIATIONS) {
    const keyFile = join(dataDir, 'keys', `${a}.key`);
    if (!(await accounts.associationKey(a)) && !existsSync(keyFile)) {
      await createAssociation(accounts, { association: a, keyFile, pinsFile, now: Date.now() });
      logger.info({ association: a }, 'created association signing key (keep the key file safe)');
    }
  }

  const clientDir = join(PROJECT_ROOT, 'dist/client');
  if (ensureClientBuilt(clientDir, pinsFile, config.EXIT_URL)) logger.info('built the client with the pinned association keys');

  const node: Helpdesk = await createHelpdesk({ redis, store, config, logger, clientDir });
  const port = await node.listen();
  cleanups.push(() => node.close());
  let workers: RunningWorkers | null = null;
  if (config.RUN_WORKERS) {
    workers = await startWorkers({
      redis,
      store,
      config,
      clock: systemClock,
      onError: (where, err) => logger.error({ where, err: err instanceof Error ? err.message : 'unknown' }, 'worker error'),
    });
    cleanups.push(() => workers!.close());
  }

  const scheme = config.TLS_CERT_FILE ? 'https' : 'http';
  const base = `${scheme}://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const counsellors = (await accounts.listCounsellors()).length;
  process.stdout.write(
    [
      '',
      'Helpdesk is running.',
      `  Resident page:     ${base}/`,
      `  Counsellor console: ${base}/console`,
      `  Supervisor board:  ${base}/supervisor`,
      `  Health:            ${base}/healthz  ${base}/readyz`,
      // The URL only: the token (METRICS_TOKEN) is never printed or logged.
      `  Metrics:           ${node.metrics ? `${node.metrics.url()}${config.METRICS_TOKEN ? ' (Bearer token required)' : ''}` : 'off (set METRICS_PORT)'}`,
      `  Redis (ephemeral): ${eph.started ? 'private, persistence off' : 'REDIS_URL'}; store: ${dur.started ? `private, ${join(dataDir, 'redis')}` : config.STORE_URL ? 'STORE_URL' : 'another process'}`,
      counsellors === 0
        ? '  No accounts yet: invite one with `npm run admin -- counsellor invite --association ebano --username anna --alias Anna [--role supervisor]`\n  or create demo accounts: `npm run admin -- demo --counsellors 2 --supervisors 2 --out data/demo-credentials.json`'
        : `  ${counsellors} counsellor account(s).`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
process.on('uncaughtException', (err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : 'unknown error'}\n`);
  void shutdown(1);
});
process.on('unhandledRejection', (err) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.message : 'unknown error'}\n`);
  void shutdown(1);
});

main().catch(async (err: unknown) => {
  if (err instanceof ConfigError || err instanceof RedisNotInstalledError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  await shutdown(err instanceof ConfigError ? 2 : 1);
});
