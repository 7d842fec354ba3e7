// Local defaults: the private redis-server processes start with the right persistence, stop when the app
// dies (even by SIGKILL), and a missing redis-server gives a clear message.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchRedis } from '../../server/redis-launcher.ts';
import { connectRedis } from '../../store/redis.ts';
import { waitFor } from '../support/wait.ts';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('private redis-server processes', () => {
  it('ephemeral has persistence off; durable keeps an append-only file in its folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'helpdesk-lr-'));
    const eph = await launchRedis({ kind: 'ephemeral' });
    const dur = await launchRedis({ kind: 'durable', dataDir: join(dir, 'redis') });
    try {
      const e = await connectRedis({ url: eph.url, name: 't' });
      const d = await connectRedis({ url: dur.url, name: 't' });
      expect(await e.configGet('save')).toEqual({ save: '' });
      expect(await e.configGet('appendonly')).toEqual({ appendonly: 'no' });
      expect(await d.configGet('appendonly')).toEqual({ appendonly: 'yes' });
      expect((await d.configGet('dir')).dir).toBe(join(dir, 'redis'));
      expect((await e.configGet('bind')).bind).toBe('127.0.0.1');
      await Promise.all([e.close(), d.close()]);
    } finally {
      await Promise.all([eph.stop(), dur.stop()]);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(await portOpen(eph.port)).toBe(false);
  });

  it('stops when the process that started it is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/launch-and-hang.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
      child.once('exit', () => reject(new Error('child exited early')));
    });
    expect(await portOpen(port)).toBe(true);
    child.kill('SIGKILL');
    await waitFor(async () => !(await portOpen(port)), 10_000, 'redis stopped after its parent died');
  });

  it('without redis-server installed, npm start says how to install it', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { PATH: '/nonexistent', HOME: process.env.HOME ?? '/tmp', DATA_DIR: mkdtempSync(join(tmpdir(), 'helpdesk-nr-')) },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('redis-server is not installed');
    expect(res.stderr).toContain('apt-get install -y redis-server');
  });

  it('a bad configuration value is named with a clear message', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: join(import.meta.dirname, '../..'),
      env: { ...process.env, PORT: 'eighty', REDIS_URL: 'http://nope' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('PORT="eighty"');
    expect(res.stderr).toContain('REDIS_URL="http://nope": must be a redis:// or rediss:// URL');
  });
});
