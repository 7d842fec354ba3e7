// Loads the Lua scripts of store/lua once and runs them by SHA, reloading after a Redis restart (NOSCRIPT).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import type { Redis } from './redis.ts';

export type ScriptName =
  | 'join'
  | 'enter-line'
  | 'claim'
  | 'handshake'
  | 'append'
  | 'purge'
  | 'presence'
  | 'read'
  | 'requeue'
  | 'rekey'
  | 'age'
  | 'transfer-offer'
  | 'transfer-settle';

interface Loaded {
  source: string;
  sha: string;
}

/**
 * Runs the Lua scripts of one folder by name: each file read and hashed once, called by SHA, and sent whole
 * (EVAL) only after a Redis restart emptied the script cache (NOSCRIPT). The durable store's account scripts
 * (server/accounts/lua) use the same runner.
 */
export function scriptRunner<Name extends string>(
  folder: URL,
): (redis: Redis, name: Name, keys: string[], args: (string | number)[]) => Promise<unknown> {
  const cache = new Map<Name, Loaded>();
  const load = (name: Name): Loaded => {
    let s = cache.get(name);
    if (!s) {
      const source = readFileSync(new URL(`${name}.lua`, folder), 'utf8');
      s = { source, sha: createHash('sha1').update(source).digest('hex') };
      cache.set(name, s);
    }
    return s;
  };
  return async (redis, name, keys, args) => {
    const script = load(name);
    const options = { keys, arguments: args.map(String) };
    try {
      return await redis.evalSha(script.sha, options);
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return await redis.eval(script.source, options);
      throw err;
    }
  };
}

const runStoreScript = scriptRunner<ScriptName>(new URL('./lua/', import.meta.url));

/** An error reply of a script (`redis.error_reply('CODE')`), carrying the code. */
export class ScriptError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(`script refused: ${code}`);
    this.name = 'ScriptError';
    this.code = code;
  }
}

export async function runScript(redis: Redis, name: ScriptName, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await runStoreScript(redis, name, keys, args);
  } catch (err) {
    // Our scripts refuse with bare upper-case codes (Redis 7 prefixes them with "ERR "); anything else is
    // a real failure.
    const m = err instanceof Error ? /^(?:ERR )?([A-Z][A-Z_]+)$/.exec(err.message) : null;
    if (m?.[1]) throw new ScriptError(m[1]);
    throw err;
  }
}
