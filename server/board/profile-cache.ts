// Counsellors' aliases and capacities for the board, read from the durable account store at most once a
// minute per counsellor per node: the board runs every second and accounts rarely change.
import type { AccountStore } from '../accounts/account-store.ts';
import type { CounsellorProfile } from './board-snapshot.ts';

const MAX_ENTRIES = 2_000;

export class ProfileCache {
  private readonly entries = new Map<string, { profile: CounsellorProfile | null; until: number }>();

  constructor(
    private readonly accounts: Pick<AccountStore, 'counsellor'>,
    private readonly ttlMs = 60_000,
  ) {}

  async get(counsellorId: string): Promise<CounsellorProfile | null> {
    const now = Date.now();
    const hit = this.entries.get(counsellorId);
    if (hit && hit.until > now) return hit.profile;
    const account = await this.accounts.counsellor(counsellorId);
    const profile = account ? { alias: account.alias, capacity: account.capacity } : null;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(counsellorId, { profile, until: now + this.ttlMs });
    return profile;
  }
}
