// Test fixture: starts a private redis-server, prints its port, then waits to be killed.
import { launchRedis } from '../../server/redis-launcher.ts';

const r = await launchRedis({ kind: 'ephemeral' });
process.stdout.write(`${r.port}\n`);
setInterval(() => undefined, 1000);
