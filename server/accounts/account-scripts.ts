// Runs the durable store's Lua scripts (./lua), each loaded once and called by SHA, falling back to EVAL after a
// Redis restart has emptied the script cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Redis } from '../../store/redis.ts';

export type AccountScript = 'accept-totp-step' | 'change-password' | 'finish-enrolment';

const cache = new Map<AccountScript, { source: string; sha: string }>();

function load(name: AccountScript): { source: string; sha: string } {
  let s = cache.get(name);
  if (!s) {
    const source = readFileSync(new URL(`./lua/${name}.lua`, import.meta.url), 'utf8');
    s = { source, sha: createHash('sha1').update(source).digest('hex') };
    cache.set(name, s);
  }
  return s;
}

export async function runAccountScript(redis: Redis, name: AccountScript, keys: string[], args: (string | number)[]): Promise<unknown> {
  const script = load(name);
  const options = { keys, arguments: args.map(String) };
  try {
    return await redis.evalSha(script.sha, options);
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('NOSCRIPT')) return redis.eval(script.source, options);
    throw err;
  }
}
