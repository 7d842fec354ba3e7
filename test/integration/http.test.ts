// S2/S5 at the HTTP layer: strict security headers on the resident page, no cookie for residents, no caching,
// health and readiness checks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, stopSharedRedis, type TestCluster } from '../support/cluster.ts';

let cluster: TestCluster;

beforeAll(async () => {
  const clientDir = join(tmpdir(), `helpdesk-http-${process.pid}`);
  mkdirSync(join(clientDir, 'console'), { recursive: true });
  writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Informazioni</title>');
  writeFileSync(join(clientDir, 'console/index.html'), '<!doctype html><title>Console</title>');
  mkdirSync(join(clientDir, 'assets'), { recursive: true });
  writeFileSync(join(clientDir, 'assets/app.js'), 'console.log(1)');
  writeFileSync(join(clientDir, 'assets/app.js.gz'), gzipSync('console.log(1)'));
  cluster = await startCluster({ clientDir });
});
afterAll(async () => {
  await cluster?.close();
  await stopSharedRedis();
});

describe('HTTP', () => {
  it('the resident page carries a strict CSP, no referrer, no caching, and sets no cookie', async () => {
    const res = await fetch(`${cluster.urls[0]}/`);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('etag')).toBeNull();
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('permissions-policy')).toContain('geolocation=()');
  });

  it('no response on any resident path sets a cookie', async () => {
    for (const path of ['/', '/healthz', '/readyz', '/missing', '/socket.io/?EIO=4&transport=polling']) {
      const res = await fetch(`${cluster.urls[0]}${path}`);
      expect(res.headers.get('set-cookie'), path).toBeNull();
    }
  });

  it('the console page is served at /console with the same headers', async () => {
    const res = await fetch(`${cluster.urls[0]}/console`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('liveness and readiness', async () => {
    expect(await (await fetch(`${cluster.urls[0]}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${cluster.urls[0]}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('a cross-origin browser cannot open a socket; the same origin can', async () => {
    const attempt = (origin: string) =>
      new Promise<boolean>((resolve) => {
        const s = io(cluster.urls[0]!, { transports: ['websocket'], extraHeaders: { origin }, reconnection: false, forceNew: true });
        s.once('connect', () => {
          s.close();
          resolve(true);
        });
        s.once('connect_error', () => {
          s.close();
          resolve(false);
        });
      });
    expect(await attempt('https://evil.example')).toBe(false);
    expect(await attempt(cluster.urls[0]!)).toBe(true);
  });

  it('serves pre-compressed scripts to browsers that accept gzip, plain ones otherwise, and nothing outside the client folder', async () => {
    const url = `${cluster.urls[0]}/assets/app.js`;
    const gz = await fetch(url, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('content-type')).toContain('javascript');
    expect(await gz.text()).toBe('console.log(1)'); // fetch decodes it
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe('console.log(1)');
    const escape = await fetch(`${cluster.urls[0]}/assets/..%2F..%2Fetc%2Fpasswd.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(escape.status).toBe(404);
  });
});
