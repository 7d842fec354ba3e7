// Benchmark child process for the board bench: one helpdesk node with its workers. Reports its port over IPC
// and answers requests: `report` (its CPU time and board computations), `watch` / `unwatch` (puts the given
// socket ids in or out of an association's supervisors room, as a supervisor handler would).
import { loadConfig } from '../server/config.ts';
import { createHelpdesk } from '../server/create-helpdesk.ts';
import { createLogger } from '../server/logger.ts';
import { rooms } from '../server/socket/rooms.ts';
import { systemClock } from '../store/clock.ts';
import { connectRedis } from '../store/redis.ts';
import { startWorkers } from '../workers/start-workers.ts';

export type BoardNodeRequest =
  { id: number; type: 'report' } | { id: number; type: 'watch' | 'unwatch'; association: string; socketIds: string[] };

export interface BoardNodeReport {
  cpu: NodeJS.CpuUsage;
  computations: number;
}

const config = loadConfig({ ...process.env, PORT: '0', LOG_LEVEL: 'silent' });
const redis = await connectRedis({ url: config.REDIS_URL!, name: 'bench-board' });
const store = await connectRedis({ url: config.STORE_URL!, name: 'bench-board-store' });
const node = await createHelpdesk({ redis, store, config, logger: createLogger('silent'), clientDir: '/nonexistent' });
await startWorkers({ redis, store, config, clock: systemClock });
const port = await node.listen();

process.on('message', (m: BoardNodeRequest) => {
  if (m.type === 'report') {
    process.send?.({ id: m.id, cpu: process.cpuUsage(), computations: node.board.computations } satisfies BoardNodeReport & { id: number });
    return;
  }
  const room = rooms.supervisors(m.association);
  if (m.type === 'watch') node.io.in(m.socketIds).socketsJoin(room);
  else node.io.in(m.socketIds).socketsLeave(room);
  process.send?.({ id: m.id });
});
process.send?.({ port });
