// Durable records of supervision: each supervisor's copy of the association signing key (wrapped in her
// browser under her own password-derived key, so the server cannot use it), and each association's newest
// signed revocation list. Nothing here is about a resident.
import { revocationListSchema, wrappedSigningKeySchema, type Association, type RevocationListData } from '../../protocol/index.ts';
import type { Redis } from '../../store/redis.ts';
import type { WrappedKey } from './account-store.ts';

/** Replaces the stored list only with a newer one (by `issuedAt`), so a replayed old list cannot un-revoke anyone. */
const PUT_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'issuedAt')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'issuedAt', ARGV[1], 'list', ARGV[2])
return 1`;

export class SupervisionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private k(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async signingKey(supervisorId: string): Promise<WrappedKey | null> {
    const raw = await this.redis.get(this.k('signing-key', supervisorId));
    if (!raw) return null;
    const parsed = wrappedSigningKeySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  async setSigningKey(supervisorId: string, wrapped: WrappedKey): Promise<void> {
    await this.redis.set(this.k('signing-key', supervisorId), JSON.stringify(wrappedSigningKeySchema.parse(wrapped)));
  }

  async deleteSigningKey(supervisorId: string): Promise<void> {
    await this.redis.del(this.k('signing-key', supervisorId));
  }

  async revocations(association: Association): Promise<RevocationListData | null> {
    const raw = await this.redis.hGet(this.k('revocations', association), 'list');
    if (!raw) return null;
    const parsed = revocationListSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  /** False when a list at least as new is stored already. The caller has verified the signature. */
  async putRevocations(list: RevocationListData): Promise<boolean> {
    const written = await this.redis.eval(PUT_IF_NEWER, {
      keys: [this.k('revocations', list.association)],
      arguments: [String(list.issuedAt), JSON.stringify(list)],
    });
    return written === 1;
  }
}
