// Associations' policies in the durable store. Read on every use (one small GET), never cached, so a
// supervisor's change takes effect at once on every node and in the workers. Fields an association never
// set come from the operator's defaults (the environment).
import {
  cannedRepliesSchema,
  policySchema,
  type Association,
  type CannedReplies,
  type Policy,
  type PolicyPatch,
} from '../protocol/index.ts';
import type { Redis } from './redis.ts';

export class PolicyStore {
  constructor(
    private readonly store: Redis,
    private readonly prefix: string,
    private readonly defaults: (a: Association) => Policy,
  ) {}

  private key(a: Association): string {
    return `${this.prefix}policy:${a}`;
  }

  async get(a: Association): Promise<Policy> {
    const raw = await this.store.hGet(this.key(a), 'policy');
    return this.merge(a, raw);
  }

  async both(): Promise<Record<Association, Policy>> {
    const [td, eb] = await Promise.all([this.get('telefono-donna'), this.get('ebano')]);
    return { 'telefono-donna': td, ebano: eb };
  }

  /**
   * Applies a change and returns the new policy; throws the zod error when the result is invalid (nothing
   * written). Only the fields an association set are stored, so later changes of the defaults still apply
   * to the rest. Two supervisors saving at the same moment: the second re-reads and retries (compare-and-set).
   */
  async set(a: Association, patch: PolicyPatch, now: number): Promise<Policy> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const [raw, version] = await this.store.hmGet(this.key(a), ['policy', 'version']);
      const own = { ...parseOwn(raw), ...patch };
      const next = policySchema.parse({ ...this.defaults(a), ...own });
      const written = await this.store.eval(COMPARE_AND_SET, {
        keys: [this.key(a)],
        arguments: [version ?? '0', JSON.stringify(own), String(now)],
      });
      if (written === 1) return next;
    }
    throw new Error('PolicyStore.set: too many concurrent changes; try again');
  }

  async cannedReplies(a: Association): Promise<CannedReplies> {
    const raw = await this.store.hGet(this.key(a), 'canned');
    if (!raw) return {};
    const parsed = cannedRepliesSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : {};
  }

  async setCannedReplies(a: Association, replies: CannedReplies, now: number): Promise<CannedReplies> {
    const valid = cannedRepliesSchema.parse(replies);
    await this.store.hSet(this.key(a), { canned: JSON.stringify(valid), updatedAt: String(now) });
    return valid;
  }

  private merge(a: Association, raw: string | null | undefined): Policy {
    const merged = { ...this.defaults(a), ...parseOwn(raw) };
    const parsed = policySchema.safeParse(merged);
    // A stored value that no longer validates (limits tightened since) falls back to the defaults, never crashes the queue.
    return parsed.success ? parsed.data : this.defaults(a);
  }
}

/** Writes only if nobody changed the policy since it was read (two supervisors at once: the second retries). */
const COMPARE_AND_SET = `
if (redis.call('HGET', KEYS[1], 'version') or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'policy', ARGV[2], 'updatedAt', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
return 1`;

function parseOwn(raw: string | null | undefined): Partial<Policy> {
  if (!raw) return {};
  const parsed = policySchema.partial().safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : {};
}

/** The environment variables that give every association its starting policy (names as in server/config.ts). */
export interface PolicyEnv {
  OPENING_HOURS_TELEFONO_DONNA: string;
  OPENING_HOURS_EBANO: string;
  ASSIGNMENT_TELEFONO_DONNA: 'manual' | 'auto';
  ASSIGNMENT_EBANO: 'manual' | 'auto';
  MAX_LINE_LENGTH: number;
  AGING_SECONDS: number;
  NO_REPLY_SECONDS: number;
  MAX_CAPACITY_PER_COUNSELLOR?: number;
  AGGREGATE_RETENTION_DAYS: number;
}

export function policyDefaults(env: PolicyEnv): (a: Association) => Policy {
  return (a) => ({
    openingHours: a === 'ebano' ? env.OPENING_HOURS_EBANO : env.OPENING_HOURS_TELEFONO_DONNA,
    maxLineLength: env.MAX_LINE_LENGTH,
    agingSeconds: env.AGING_SECONDS,
    noReplySeconds: env.NO_REPLY_SECONDS,
    assignment: a === 'ebano' ? env.ASSIGNMENT_EBANO : env.ASSIGNMENT_TELEFONO_DONNA,
    maxCapacity: env.MAX_CAPACITY_PER_COUNSELLOR ?? 4,
    retentionDays: env.AGGREGATE_RETENTION_DAYS,
  });
}
