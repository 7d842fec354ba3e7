// The Prometheus endpoint on a listener of its own (METRICS_HOST:METRICS_PORT, loopback by default), never on
// the public port: GET /metrics, and with METRICS_TOKEN set only with `Authorization: Bearer <token>`. The
// token is compared in constant time and never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.ts';

export interface MetricsServerOptions {
  host: string;
  port: number;
  token?: string | undefined;
  text(): Promise<string>;
  contentType: string;
  logger: Logger;
}

export interface MetricsServer {
  /** Listens and returns the port (useful with port 0). */
  listen(): Promise<number>;
  /** `http://host:port/metrics`, without the token. */
  url(): string;
  close(): Promise<void>;
}

const digest = (s: string) => createHash('sha256').update(s).digest();

export function createMetricsServer(o: MetricsServerOptions): MetricsServer {
  const expected = o.token ? digest(`Bearer ${o.token}`) : null;
  const server: Server = createServer((req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (expected && !timingSafeEqual(digest(req.headers.authorization ?? ''), expected)) {
      res.writeHead(401, { 'Content-Type': 'text/plain', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('Unauthorized\n');
      return;
    }
    o.text().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': o.contentType }).end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        o.logger.error({ err: err instanceof Error ? err.message : 'unknown' }, 'metrics collection failed');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('Metrics collection failed\n');
      },
    );
  });
  server.requestTimeout = 10_000;
  let port = o.port;
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(o.port, o.host, () => {
          port = (server.address() as AddressInfo).port;
          resolve(port);
        });
      }),
    url: () => `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
