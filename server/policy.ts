// The queue's view of associations' policies (opening hours, line length, aging, no-reply, assignment,
// capacity cap, retention) and the one place that changes them: validated, written, audited, applied at once.
import type { Association, Policy, PolicyPatch } from '../protocol/index.ts';
import { policyPatchSchema } from '../protocol/index.ts';
import { aggregateHashKey } from '../store/aggregates.ts';
import type { PolicyStore } from '../store/policy.ts';
import type { Redis } from '../store/redis.ts';
import type { AccountStore } from './accounts/account-store.ts';
import { OpeningHoursError, parseOpeningHours, type OpeningHours } from './opening-hours.ts';

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const HOUR_MS = 3_600_000;

export class PolicyService {
  /** Parsed opening hours by spec text: parsing is cheap but runs on every join. */
  readonly #hours = new Map<string, OpeningHours>();

  constructor(
    readonly store: PolicyStore,
    private readonly accounts: AccountStore,
    private readonly durable: Redis,
    private readonly storePrefix: string,
  ) {}

  get(a: Association): Promise<Policy> {
    return this.store.get(a);
  }

  both(): Promise<Record<Association, Policy>> {
    return this.store.both();
  }

  openingHours(p: Policy): OpeningHours {
    let h = this.#hours.get(p.openingHours);
    if (!h) {
      h = parseOpeningHours(p.openingHours);
      if (this.#hours.size > 100) this.#hours.clear();
      this.#hours.set(p.openingHours, h);
    }
    return h;
  }

  /**
   * A supervisor's (or operator's) change: refused with a PolicyError naming the field when invalid, nothing
   * written then; otherwise stored, audited with the names of the fields (not their values: opening hours
   * could be long), and returned. The queue reads the policy on every use, so it applies at once everywhere.
   */
  async change(actor: string, a: Association, patch: unknown, now: number): Promise<Policy> {
    const parsed = policyPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'policy';
      await this.accounts.audit({ actor, action: 'policy-refused', target: a, outcome: field, association: a }, now);
      throw new PolicyError(`${field}: ${issue?.message ?? 'invalid value'}`);
    }
    const change: PolicyPatch = parsed.data;
    if (change.openingHours !== undefined) {
      try {
        parseOpeningHours(change.openingHours);
      } catch (err) {
        if (!(err instanceof OpeningHoursError)) throw err;
        await this.accounts.audit({ actor, action: 'policy-refused', target: a, outcome: 'openingHours', association: a }, now);
        throw new PolicyError(`openingHours: ${err.message}`);
      }
    }
    const before = await this.store.get(a);
    const next = await this.store.set(a, change, now);
    await this.accounts.audit(
      { actor, action: 'policy-changed', target: a, outcome: Object.keys(change).sort().join(','), association: a },
      now,
    );
    if (next.retentionDays !== before.retentionDays) await this.reapplyRetention(a, next.retentionDays, now);
    return next;
  }

  /** Hours already rolled up get the new deadline too (shorter retention deletes old hours now). */
  private async reapplyRetention(a: Association, days: number, now: number): Promise<void> {
    const match = aggregateHashKey(this.storePrefix, a, 0).replace(/[^:]*$/, '*');
    let seen = 0;
    for await (const keys of this.durable.scanIterator({ MATCH: match, COUNT: 1000 })) {
      for (const key of keys as unknown as string[]) {
        const hourText = key.slice(key.lastIndexOf(':') + 1);
        const hour = Date.parse(`${hourText.slice(0, 13)}:00:00Z`);
        if (!Number.isFinite(hour)) continue;
        const deadline = hour + days * 24 * HOUR_MS;
        if (deadline <= now) await this.durable.del(key);
        else await this.durable.expireAt(key, Math.floor(deadline / 1000));
        if (++seen > 200_000) return; // ten years of hours is 87,600: anything beyond is not ours
      }
    }
  }
}
