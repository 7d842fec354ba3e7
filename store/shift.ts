// Counsellors on shift, shared by every node: who is online (heartbeats), her association, languages,
// capacity and availability, and her current load. Used to refuse when nobody is on shift, to assign
// automatically and to estimate waits. Nothing here is about a resident.
import type { Association, Language } from '../protocol/index.ts';
import type { KeySpace } from './keys.ts';
import type { Redis } from './redis.ts';

export type Availability = 'available' | 'away';

export interface OnShift {
  counsellorId: string;
  association: Association;
  languages: Language[];
  capacity: number;
  availability: Availability;
  load: number;
  /** When her shift started or her availability last changed (ms): the board's time in state. */
  since?: number;
}

/** A counsellor not seen for this long is off shift even if no disconnect was observed (a node died). */
export const SHIFT_STALE_MS = 30_000;
const DETAILS_TTL_SECONDS = 120;
const HANDLE_SAMPLES = 50;
/** Someone who left the shift within this window shows as offline on the supervisor's board; later she is off it. */
export const OFF_SHIFT_WINDOW_MS = 12 * 3_600_000;
const MAX_OFF_SHIFT = 500;

export class ShiftStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async join(c: Omit<OnShift, 'load' | 'availability'> & { availability?: Availability }, now: number): Promise<void> {
    const key = this.keys.counsellorShift(c.counsellorId);
    const [current, conns] = await this.redis.hmGet(key, ['availability', 'conns']);
    const availability = c.availability ?? current ?? 'available';
    // Her first connection, or a changed availability, starts a new state for the board's time in state.
    const since: Record<string, string> = !conns || Number(conns) <= 0 || availability !== current ? { since: String(now) } : {};
    await this.redis
      .multi()
      .hSet(key, { association: c.association, languages: c.languages.join(','), capacity: String(c.capacity), availability, ...since })
      .zRem(this.keys.shiftLeft(c.association), c.counsellorId)
      .hIncrBy(key, 'conns', 1)
      .expire(key, DETAILS_TTL_SECONDS)
      .zAdd(this.keys.shift(), { score: now, value: c.counsellorId })
      .expire(this.keys.shift(), DETAILS_TTL_SECONDS)
      .exec();
  }

  async setAvailability(counsellorId: string, availability: Availability, now = Date.now()): Promise<void> {
    const key = this.keys.counsellorShift(counsellorId);
    // `since` moves only on a real change, so re-sending the same status keeps her time in state.
    const previous = await this.redis.hGet(key, 'availability');
    await this.redis.hSet(key, previous === availability ? { availability } : { availability, since: String(now) });
  }

  /**
   * Her new languages or capacity, on her live shift entry, so matching, automatic assignment and wait
   * estimates use them at once. Off shift the entry may be gone: a partial one has no association, so it is
   * never counted, and it expires like any entry; her next connection writes it whole from her account.
   */
  async setProfile(counsellorId: string, profile: { languages?: readonly Language[]; capacity?: number }): Promise<void> {
    const fields: Record<string, string> = {};
    if (profile.languages) fields.languages = profile.languages.join(',');
    if (profile.capacity !== undefined) fields.capacity = String(profile.capacity);
    if (Object.keys(fields).length === 0) return;
    const key = this.keys.counsellorShift(counsellorId);
    await this.redis.multi().hSet(key, fields).expire(key, DETAILS_TTL_SECONDS).exec();
  }

  async heartbeat(counsellorIds: readonly string[], now: number): Promise<void> {
    if (counsellorIds.length === 0) return;
    const m = this.redis.multi();
    m.zAdd(
      this.keys.shift(),
      counsellorIds.map((value) => ({ score: now, value })),
    );
    m.expire(this.keys.shift(), DETAILS_TTL_SECONDS);
    for (const id of counsellorIds) m.expire(this.keys.counsellorShift(id), DETAILS_TTL_SECONDS);
    await m.exec();
  }

  /** One of her connections closed; returns true when it was her last one (she left the shift). */
  async disconnect(counsellorId: string, now = Date.now()): Promise<boolean> {
    const key = this.keys.counsellorShift(counsellorId);
    const left = await this.redis.hIncrBy(key, 'conns', -1);
    if (left > 0) return false;
    const association = await this.redis.hGet(key, 'association');
    const m = this.redis
      .multi()
      .hSet(key, { conns: '0', since: String(now) })
      .zRem(this.keys.shift(), counsellorId);
    // Remembered (a staff id, never a resident's) so the board shows her offline while her chats wait out their grace.
    if (association) {
      m.zAdd(this.keys.shiftLeft(association), { score: now, value: counsellorId });
      m.pExpire(this.keys.shiftLeft(association), OFF_SHIFT_WINDOW_MS);
    }
    await m.exec();
    return true;
  }

  async isOnShift(counsellorId: string, now: number): Promise<boolean> {
    const score = await this.redis.zScore(this.keys.shift(), counsellorId);
    return score !== null && now - Number(score) < SHIFT_STALE_MS;
  }

  async onShift(now: number): Promise<OnShift[]> {
    const ids = await this.redis.zRangeByScore(this.keys.shift(), now - SHIFT_STALE_MS, '+inf');
    if (ids.length === 0) return [];
    const m = this.redis.multi();
    for (const id of ids) {
      m.hGetAll(this.keys.counsellorShift(id));
      m.sCard(this.keys.load(id));
    }
    const rows = (await m.exec()) as unknown[];
    const out: OnShift[] = [];
    ids.forEach((id, i) => {
      const h = rows[2 * i] as Record<string, string> | undefined;
      if (!h?.association) return;
      out.push({
        counsellorId: id,
        association: h.association as Association,
        languages: (h.languages ? h.languages.split(',') : []) as Language[],
        capacity: Number(h.capacity),
        availability: (h.availability as Availability) ?? 'available',
        load: Number(rows[2 * i + 1] ?? 0),
        since: h.since ? Number(h.since) : undefined,
      });
    });
    return out;
  }

  /**
   * Counsellors of `association` who were on shift within OFF_SHIFT_WINDOW_MS and are not now, with the time
   * they went: their last connection closed, or their node stopped beating (then since their last beat).
   */
  async offShift(association: Association, now: number): Promise<{ counsellorId: string; since: number }[]> {
    const leftKey = this.keys.shiftLeft(association);
    await this.redis.zRemRangeByScore(leftKey, '-inf', now - OFF_SHIFT_WINDOW_MS);
    const [left, stale] = await Promise.all([
      this.redis.zRangeWithScores(leftKey, 0, MAX_OFF_SHIFT - 1),
      this.redis.zRangeByScoreWithScores(this.keys.shift(), now - OFF_SHIFT_WINDOW_MS, now - SHIFT_STALE_MS, {
        LIMIT: { offset: 0, count: MAX_OFF_SHIFT },
      }),
    ]);
    const out = new Map(left.map((e) => [e.value, e.score]));
    if (stale.length > 0) {
      const m = this.redis.multi();
      for (const e of stale) m.hGet(this.keys.counsellorShift(e.value), 'association');
      const owners = (await m.exec()) as unknown[];
      stale.forEach((e, i) => {
        if (owners[i] === association && !out.has(e.value)) out.set(e.value, e.score);
      });
    }
    return [...out].map(([counsellorId, since]) => ({ counsellorId, since }));
  }

  async recordHandleTime(association: string, ms: number): Promise<void> {
    const key = this.keys.handleTimes(association);
    await this.redis
      .multi()
      .lPush(key, String(Math.round(ms)))
      .lTrim(key, 0, HANDLE_SAMPLES - 1)
      .expire(key, 86_400)
      .exec();
  }

  /** Mean of the recent handling times of these associations (ms), or null with fewer than 3 samples. */
  async meanHandleTime(associations: readonly string[]): Promise<number | null> {
    const samples: number[] = [];
    for (const a of associations) samples.push(...(await this.redis.lRange(this.keys.handleTimes(a), 0, -1)).map(Number));
    if (samples.length < 3) return null;
    return samples.reduce((s, x) => s + x, 0) / samples.length;
  }
}
