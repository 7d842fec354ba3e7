// Every Redis key name of the ephemeral store, built in one place. Anything keyed by a ticket or chat is
// resident-related and must carry a TTL (test/integration/privacy.test.ts scans for keys without one).

export interface KeySpace {
  readonly prefix: string;
  ticket(ticketId: string): string;
  resume(tokenHash: string): string;
  line(): string;
  chat(chatId: string): string;
  relay(chatId: string, direction: 'r2c' | 'c2r'): string;
  load(counsellorId: string): string;
  /** BullMQ's own prefix, so a test can find the job keys it created. */
  bull(): string;
  /** Socket.IO Redis adapter channel; server nodes and workers' emitters share it. */
  adapter(): string;
}

export function keySpace(prefix: string): KeySpace {
  return {
    prefix,
    ticket: (id) => `${prefix}t:${id}`,
    resume: (hash) => `${prefix}r:${hash}`,
    line: () => `${prefix}line`,
    chat: (id) => `${prefix}c:${id}`,
    relay: (id, dir) => `${prefix}c:${id}:${dir}`,
    load: (id) => `${prefix}load:${id}`,
    bull: () => `${prefix}bull`,
    adapter: () => `${prefix}sio`,
  };
}
