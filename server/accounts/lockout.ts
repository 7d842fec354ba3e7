// Sign-in throttling: a per-account lock in the durable store (shared by all nodes) and a per-source limit kept
// only in this node's memory, so no address a resident or counsellor connects from ever reaches disk.
import { createHmac, randomBytes } from 'node:crypto';
import type { Redis } from '../../store/redis.ts';
import type { Clock } from '../../store/clock.ts';

export interface ThrottleOptions {
  /** Consecutive failures an account may make before each failure locks it. */
  freeFailures: number;
  /** First lock; doubles with every further failure. */
  baseLockMs: number;
  maxLockMs: number;
  /** How long the account's failure count is remembered after its last failure. */
  accountTtlMs: number;
  sourceWindowMs: number;
  /** A source with more failures than this inside the window is refused. */
  sourceFailuresPerWindow: number;
  /** Sources tracked per node; the least recently failing one is forgotten first. */
  maxSources: number;
}

export const DEFAULT_THROTTLE_OPTIONS: ThrottleOptions = {
  freeFailures: 5,
  baseLockMs: 30_000,
  maxLockMs: 60 * 60_000,
  accountTtlMs: 24 * 60 * 60_000,
  sourceWindowMs: 15 * 60_000,
  sourceFailuresPerWindow: 30,
  maxSources: 10_000,
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterMs: number; scope: 'account' | 'source' };

// One script so that concurrent failures on different nodes cannot lose a count or shorten a lock.
// KEYS[1] lock hash; ARGV: now, freeFailures, baseLockMs, maxLockMs, ttlMs.
const RECORD_FAILURE = `
local n = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[2])
if n >= free then
  local lockMs = math.min(tonumber(ARGV[4]), tonumber(ARGV[3]) * 2 ^ math.min(n - free, 60))
  local untilMs = tonumber(ARGV[1]) + lockMs
  local current = tonumber(redis.call('HGET', KEYS[1], 'lockedUntil') or '0') or 0
  if untilMs > current then redis.call('HSET', KEYS[1], 'lockedUntil', string.format('%d', untilMs)) end
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return n
`;

export class SignInThrottle {
  private readonly opts: ThrottleOptions;
  // Random per process and never stored: the map's keys cannot be turned back into addresses, even from a heap dump
  // taken after the fact by someone who can enumerate the IPv4 space.
  private readonly sourceKey = randomBytes(32);
  // Insertion order = order of last failure, so the first entries are the oldest (evicted and pruned first).
  private readonly sources = new Map<string, number[]>();

  constructor(
    private readonly store: Redis,
    private readonly prefix: string,
    private readonly clock: Clock,
    opts: Partial<ThrottleOptions> = {},
  ) {
    this.opts = { ...DEFAULT_THROTTLE_OPTIONS, ...opts };
  }

  async check(username: string, source: string): Promise<ThrottleVerdict> {
    const now = this.clock.now();
    // The source verdict first: it costs no round trip and says nothing about whether the account exists or is locked.
    const sourceWait = this.sourceRetryAfter(this.sourceId(source), now);
    if (sourceWait > 0) return { allowed: false, retryAfterMs: sourceWait, scope: 'source' };
    const lockedUntil = Number((await this.store.hGet(this.lockKey(username), 'lockedUntil')) ?? 0);
    if (lockedUntil > now) return { allowed: false, retryAfterMs: lockedUntil - now, scope: 'account' };
    return { allowed: true };
  }

  async failure(username: string, source: string): Promise<void> {
    const now = this.clock.now();
    this.recordSourceFailure(this.sourceId(source), now);
    const o = this.opts;
    await this.store.eval(RECORD_FAILURE, {
      keys: [this.lockKey(username)],
      arguments: [String(now), String(o.freeFailures), String(o.baseLockMs), String(o.maxLockMs), String(o.accountTtlMs)],
    });
  }

  // The source's count is deliberately left alone: otherwise whoever knows one password could launder guesses
  // against every other account from the same address by signing in between them.
  async success(username: string, _source: string): Promise<void> {
    await this.store.del(this.lockKey(username));
  }

  private lockKey(username: string): string {
    return `${this.prefix}lock:${username}`;
  }

  private sourceId(source: string): string {
    return createHmac('sha256', this.sourceKey).update(source).digest('base64url');
  }

  private sourceRetryAfter(id: string, now: number): number {
    this.pruneSources(now);
    const times = this.live(id, now);
    const limit = this.opts.sourceFailuresPerWindow;
    if (!times || times.length <= limit) return 0;
    // Allowed again once enough of the oldest failures have slid out to bring the count back to the limit.
    const pivot = times[times.length - limit - 1] ?? now;
    return Math.max(1, pivot + this.opts.sourceWindowMs - now);
  }

  private recordSourceFailure(id: string, now: number): void {
    this.pruneSources(now);
    const times = this.live(id, now) ?? [];
    times.push(now);
    // Only the newest limit+1 failures matter for the verdict, so one busy source cannot grow without bound.
    if (times.length > this.opts.sourceFailuresPerWindow + 1) times.splice(0, times.length - this.opts.sourceFailuresPerWindow - 1);
    this.sources.delete(id);
    while (this.sources.size >= this.opts.maxSources) {
      const oldest = this.sources.keys().next();
      if (oldest.done) break;
      this.sources.delete(oldest.value);
    }
    this.sources.set(id, times);
  }

  /** The source's failures still inside the window, or undefined if none remain. */
  private live(id: string, now: number): number[] | undefined {
    const times = this.sources.get(id);
    if (!times) return undefined;
    const from = now - this.opts.sourceWindowMs;
    let i = 0;
    while (i < times.length && (times[i] ?? 0) <= from) i++;
    if (i > 0) times.splice(0, i);
    if (times.length === 0) {
      this.sources.delete(id);
      return undefined;
    }
    return times;
  }

  /** Drops sources whose newest failure has left the window; they sit at the front of the map. */
  private pruneSources(now: number): void {
    const from = now - this.opts.sourceWindowMs;
    for (const [id, times] of this.sources) {
      if ((times[times.length - 1] ?? 0) > from) break;
      this.sources.delete(id);
    }
  }
}
