// Benchmark child process: runs either a bare Socket.IO relay (the baseline) or a real helpdesk node with its
// workers, reports its port over IPC, and answers `report` with its own CPU time and memory.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { loadConfig } from '../server/config.ts';
import { createHelpdesk } from '../server/create-helpdesk.ts';
import { createLogger } from '../server/logger.ts';
import { systemClock } from '../store/clock.ts';
import { connectRedis } from '../store/redis.ts';
import { startWorkers } from '../workers/start-workers.ts';

const mode = process.argv[2];
const send = (m: unknown) => process.send?.(m);

async function bare(): Promise<number> {
  const http = createServer();
  const io = new Server(http, { transports: ['websocket'], serveClient: false });
  // The same shape of work a relay must do at least: receive, forward to the room, acknowledge.
  io.on('connection', (socket) => {
    void socket.join('pair');
    socket.on('chat:send', (payload: unknown, ack: (r: unknown) => void) => {
      socket.to('pair').emit('chat:message', payload);
      ack({ ok: true });
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  return (http.address() as AddressInfo).port;
}

async function helpdesk(): Promise<number> {
  const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
  const logger = createLogger('silent');
  const redis = await connectRedis({ url: config.REDIS_URL!, name: 'bench' });
  const store = await connectRedis({ url: config.STORE_URL!, name: 'bench-store' });
  const node = await createHelpdesk({ redis, store, config, logger, clientDir: '/nonexistent' });
  await startWorkers({ redis, store, config, clock: systemClock });
  return node.listen();
}

const port = mode === 'bare' ? await bare() : await helpdesk();
process.on('message', (m) => {
  if (m === 'report') {
    // Collected first (the child runs with --expose-gc), so memory figures compare live objects, not garbage.
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    gc?.();
    send({ cpu: process.cpuUsage(), mem: process.memoryUsage() });
  }
});
send({ port });
