// Redis client type and factory (node-redis). Both stores, BullMQ and the Socket.IO adapter use these clients.
import { createClient } from 'redis';

export interface RedisClientOptions {
  url: string;
  name: string;
}

function makeClient({ url, name }: RedisClientOptions) {
  return createClient({
    url,
    name,
    socket: { connectTimeout: 5_000, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 3_000) },
  });
}

export type Redis = ReturnType<typeof makeClient>;

/** Connects and fails fast with a readable message instead of retrying forever at start-up. */
export async function connectRedis(opts: RedisClientOptions): Promise<Redis> {
  const client = makeClient(opts);
  // node-redis emits errors on every failed reconnect; without a listener they would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
