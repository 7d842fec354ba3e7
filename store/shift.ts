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
}

/** A counsellor not seen for this long is off shift even if no disconnect was observed (a node died). */
export const SHIFT_STALE_MS = 30_000;
const DETAILS_TTL_SECONDS = 120;
const HANDLE_SAMPLES = 50;

export class ShiftStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async join(c: Omit<OnShift, 'load' | 'availability'> & { availability?: Availability }, now: number): Promise<void> {
    const key = this.keys.counsellorShift(c.counsellorId);
    const current = await this.redis.hGet(key, 'availability');
    await this.redis
      .multi()
      .hSet(key, { association: c.association, languages: c.languages.join(','), capacity: String(c.capacity), availability: c.availability ?? current ?? 'available' })
      .hIncrBy(key, 'conns', 1)
      .expire(key, DETAILS_TTL_SECONDS)
      .zAdd(this.keys.shift(), { score: now, value: c.counsellorId })
      .expire(this.keys.shift(), DETAILS_TTL_SECONDS)
      .exec();
  }

  async setAvailability(counsellorId: string, availability: Availability): Promise<void> {
    await this.redis.hSet(this.keys.counsellorShift(counsellorId), 'availability', availability);
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
    m.zAdd(this.keys.shift(), counsellorIds.map((value) => ({ score: now, value })));
    m.expire(this.keys.shift(), DETAILS_TTL_SECONDS);
    for (const id of counsellorIds) m.expire(this.keys.counsellorShift(id), DETAILS_TTL_SECONDS);
    await m.exec();
  }

  /** One of her connections closed; returns true when it was her last one (she left the shift). */
  async disconnect(counsellorId: string): Promise<boolean> {
    const key = this.keys.counsellorShift(counsellorId);
    const left = await this.redis.hIncrBy(key, 'conns', -1);
    if (left > 0) return false;
    await this.redis.multi().hSet(key, 'conns', '0').zRem(this.keys.shift(), counsellorId).exec();
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
      });
    });
    return out;
  }

  async recordHandleTime(association: string, ms: number): Promise<void> {
    const key = this.keys.handleTimes(association);
    await this.redis.multi().lPush(key, String(Math.round(ms))).lTrim(key, 0, HANDLE_SAMPLES - 1).expire(key, 86_400).exec();
  }

  /** Mean of the recent handling times of these associations (ms), or null with fewer than 3 samples. */
  async meanHandleTime(associations: readonly string[]): Promise<number | null> {
    const samples: number[] = [];
    for (const a of associations) samples.push(...(await this.redis.lRange(this.keys.handleTimes(a), 0, -1)).map(Number));
    if (samples.length < 3) return null;
    return samples.reduce((s, x) => s + x, 0) / samples.length;
  }
}
