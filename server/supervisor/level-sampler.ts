// The "waiting and active over the last hours" chart: once a minute one node of the cluster (a Redis lock per
// minute slot) counts, per association, how many residents wait and how many chats are active, and appends the
// two numbers to a capped list in the ephemeral Redis. Counts only, with a TTL: nothing about anyone.
import { randomBytes } from 'node:crypto';
import { ASSOCIATIONS, SUPERVISOR_LIMITS, type Association, type LevelSample } from '../../protocol/index.ts';
import type { Clock } from '../../store/clock.ts';
import type { KeySpace } from '../../store/keys.ts';
import type { Redis } from '../../store/redis.ts';
import type { Logger } from '../logger.ts';

const MINUTE_MS = 60_000;
/** The samples outlive their last write by a day: the chart reads at most 24 hours. */
const SAMPLES_TTL_SECONDS = 25 * 3_600;

export interface LevelSource {
  /** Residents waiting that this association may take, and chats its counsellors hold now. */
  levels(association: Association, now: number): Promise<{ waiting: number; active: number }>;
}

export class LevelSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly token = randomBytes(9).toString('base64url');

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly clock: Clock,
    private readonly source: LevelSource,
    private readonly logger: Logger,
    private readonly periodMs = MINUTE_MS,
  ) {}

  private key(a: Association): string {
    return `${this.keys.prefix}levels:${a}`;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.sampleOnce().catch((err: unknown) =>
        this.logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'level sample failed'),
      );
      const now = this.clock.now();
      this.timer = setTimeout(tick, this.periodMs - (now % this.periodMs) + 50);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Takes this period's sample unless another node already did; true when this node wrote it. */
  async sampleOnce(): Promise<boolean> {
    const now = this.clock.now();
    const slot = Math.floor(now / this.periodMs);
    const lock = `${this.keys.prefix}levels-lock:${slot}`;
    if ((await this.redis.set(lock, this.token, { condition: 'NX', expiration: { type: 'PX', value: this.periodMs * 2 } })) === null)
      return false;
    const at = slot * this.periodMs;
    for (const a of ASSOCIATIONS) {
      const { waiting, active } = await this.source.levels(a, now);
      const key = this.key(a);
      await this.redis
        .multi()
        .lPush(key, `${at}:${waiting}:${active}`)
        .lTrim(key, 0, SUPERVISOR_LIMITS.levelSamples - 1)
        .expire(key, SAMPLES_TTL_SECONDS)
        .exec();
    }
    return true;
  }

  /** Samples of the last `hours`, oldest first. */
  async samples(a: Association, hours: number, now: number): Promise<LevelSample[]> {
    const n = Math.min(SUPERVISOR_LIMITS.levelSamples, Math.ceil((hours * 3_600_000) / this.periodMs));
    const raw = await this.redis.lRange(this.key(a), 0, n - 1);
    const since = now - hours * 3_600_000;
    const out: LevelSample[] = [];
    for (const s of raw) {
      const [at, waiting, active] = s.split(':').map(Number);
      if (at === undefined || waiting === undefined || active === undefined || !Number.isFinite(at) || at < since) continue;
      out.push({ at, waiting, active });
    }
    return out.reverse();
  }
}
