// Sign-in throttle against a real durable redis-server: the account lock grows and resets, the per-source limit
// slides, and nothing about the source (e.g. an IP address) is ever written to the store.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInThrottle, type ThrottleOptions } from '../../server/accounts/lockout.ts';
import { connectRedis, type Redis } from '../../store/redis.ts';
import { scanKeys, sharedRedis, stopSharedRedis } from '../support/cluster.ts';

const IP = '203.0.113.57';
const OTHER_IP = '198.51.100.4';
const MINUTE = 60_000;

let store: Redis;

beforeAll(async () => {
  const r = await sharedRedis();
  store = await connectRedis({ url: r.durable.url, name: 'lockout-test' });
});

afterAll(async () => {
  await store?.close();
  await stopSharedRedis();
});

/** A throttle with its own key prefix, in-memory source map and hand-driven clock. */
function setup(opts?: Partial<ThrottleOptions>) {
  const prefix = `t${randomBytes(4).toString('hex')}:`;
  const clock = { t: Date.UTC(2025, 0, 6, 9), now: () => clock.t };
  const throttle = new SignInThrottle(store, prefix, clock, opts);
  return { throttle, clock, prefix };
}

describe('per-account lock', () => {
  it('allows 5 failures, then locks for 30 s, doubling per further failure up to 1 h', async () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 5; i++) {
      expect(await throttle.check('giulia', IP)).toEqual({ allowed: true });
      await throttle.failure('giulia', `10.0.0.${i}`);
    }
    expect(await throttle.check('giulia', IP)).toEqual({ allowed: false, retryAfterMs: 30_000, scope: 'account' });
    clock.t += 10_000;
    expect(await throttle.check('giulia', IP)).toEqual({ allowed: false, retryAfterMs: 20_000, scope: 'account' });
    clock.t += 20_000;
    expect(await throttle.check('giulia', IP)).toEqual({ allowed: true });
    await throttle.failure('giulia', IP);
    expect(await throttle.check('giulia', IP)).toEqual({ allowed: false, retryAfterMs: 60_000, scope: 'account' });

    const seen: number[] = [];
    let wait = 60_000;
    for (let i = 0; i < 8; i++) {
      clock.t += wait;
      expect(await throttle.check('giulia', IP)).toEqual({ allowed: true });
      await throttle.failure('giulia', `10.0.1.${i}`);
      const v = await throttle.check('giulia', IP);
      if (v.allowed) throw new Error('expected a lock');
      expect(v.scope).toBe('account');
      seen.push(v.retryAfterMs);
      wait = v.retryAfterMs;
    }
    expect(seen).toEqual([120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000]);
  });

  it('a success resets the count, so the next lock starts again at 30 s after 5 failures', async () => {
    const { throttle, clock } = setup();
    for (let i = 0; i < 6; i++) {
      clock.t += MINUTE;
      await throttle.failure('marta', `10.0.2.${i}`);
    }
    clock.t += 2 * MINUTE;
    await throttle.success('marta', IP);
    expect(await throttle.check('marta', IP)).toEqual({ allowed: true });
    for (let i = 0; i < 4; i++) await throttle.failure('marta', `10.0.3.${i}`);
    expect(await throttle.check('marta', IP)).toEqual({ allowed: true });
    await throttle.failure('marta', OTHER_IP);
    expect(await throttle.check('marta', IP)).toEqual({ allowed: false, retryAfterMs: 30_000, scope: 'account' });
  });

  it('a locked account does not affect another username', async () => {
    const { throttle } = setup();
    for (let i = 0; i < 7; i++) await throttle.failure('anna', `10.0.4.${i}`);
    expect((await throttle.check('anna', IP)).allowed).toBe(false);
    expect(await throttle.check('bianca', IP)).toEqual({ allowed: true });
  });
});

describe('per-source limit', () => {
  it('refuses a source after 31 failures across usernames, until the 15-minute window slides', async () => {
    const { throttle, clock } = setup();
    const start = clock.t;
    for (let i = 0; i < 31; i++) {
      expect(await throttle.check(`user${i}`, IP)).toEqual({ allowed: true });
      await throttle.failure(`user${i}`, IP);
      clock.t += 1_000;
    }
    // The last failure was at start + 30 s; the clock now reads start + 31 s.
    const refused = await throttle.check('nuova', IP);
    expect(refused).toEqual({ allowed: false, retryAfterMs: start + 15 * MINUTE - clock.t, scope: 'source' });
    expect(await throttle.check('nuova', OTHER_IP)).toEqual({ allowed: true });

    clock.t = start + 15 * MINUTE - 1;
    expect((await throttle.check('nuova', IP)).allowed).toBe(false);
    // The first failure leaves the window: 30 remain, which is within the limit.
    clock.t = start + 15 * MINUTE;
    expect(await throttle.check('nuova', IP)).toEqual({ allowed: true });
  });

  it('a success does not clear the source count', async () => {
    const { throttle } = setup({ sourceFailuresPerWindow: 2 });
    for (let i = 0; i < 3; i++) await throttle.failure(`guess${i}`, IP);
    await throttle.success('owner', IP);
    expect(await throttle.check('owner', IP)).toMatchObject({ allowed: false, scope: 'source' });
  });

  it('keeps at most maxSources sources in memory, forgetting the oldest', async () => {
    const { throttle, clock } = setup({ sourceFailuresPerWindow: 0, maxSources: 2 });
    for (const src of ['a', 'b', 'c']) {
      await throttle.failure(`x${src}`, src);
      clock.t += 1_000;
    }
    expect(await throttle.check('y', 'a')).toEqual({ allowed: true });
    expect((await throttle.check('y', 'b')).allowed).toBe(false);
    expect((await throttle.check('y', 'c')).allowed).toBe(false);
  });
});

describe('durable store contents', () => {
  it('holds only username-keyed hashes with a TTL, and never the source', async () => {
    const { throttle, prefix } = setup();
    for (let i = 0; i < 6; i++) await throttle.failure('sofia', IP);
    await throttle.failure('elena', OTHER_IP);

    const everything = await scanKeys(store, '');
    expect(everything.length).toBeGreaterThan(0);
    for (const { key, value } of everything) {
      for (const ip of [IP, OTHER_IP]) {
        expect(key).not.toContain(ip);
        expect(value).not.toContain(ip);
      }
    }

    const mine = await scanKeys(store, prefix);
    expect(mine.map((k) => k.key).sort()).toEqual([`${prefix}lock:elena`, `${prefix}lock:sofia`]);
    for (const { ttl } of mine) {
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(24 * 60 * 60);
    }
    expect(await store.hGetAll(`${prefix}lock:sofia`)).toEqual({ failures: '6', lockedUntil: expect.any(String) });
    expect(Object.keys(await store.hGetAll(`${prefix}lock:elena`))).toEqual(['failures']);
  });
});
