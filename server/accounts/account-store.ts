// Durable store (STORE_URL): associations' public keys, counsellor accounts with their wrapped identity keys
// and certificates, sign-in sessions and the audit log. It never holds anything about a resident.
import { createHash, randomBytes } from 'node:crypto';
import type { Association, KdfParamsData, Language, WireCertificateData } from '../../protocol/index.ts';
import type { Redis } from '../../store/redis.ts';

export interface WrappedKey {
  nonce: string;
  ciphertext: string;
}

export interface CounsellorRecord {
  id: string;
  username: string;
  alias: string;
  association: Association;
  role: 'counsellor';
  status: 'active' | 'disabled';
  capacity: number;
  languages: Language[];
  kdf: KdfParamsData;
  /** Argon2id hash (crypto_pwhash_str) of the authentication key derived from her password. */
  authHash: string;
  wrappedIdentityKey: WrappedKey;
  identityPublicKey: string;
  certificate: WireCertificateData | null;
  createdAt: number;
}

export interface Session {
  counsellorId: string;
  createdAt: number;
}

export class AccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private k(...parts: string[]): string {
    return this.prefix + parts.join(':');
  }

  async putAssociation(id: Association, publicKey: string, now: number): Promise<boolean> {
    const created = await this.redis.hSetNX(this.k('assoc', id), 'publicKey', publicKey);
    if (created) await this.redis.hSet(this.k('assoc', id), 'createdAt', String(now));
    return Boolean(created);
  }

  async associationKey(id: Association): Promise<string | null> {
    return (await this.redis.hGet(this.k('assoc', id), 'publicKey')) ?? null;
  }

  async createCounsellor(rec: CounsellorRecord): Promise<void> {
    const taken = await this.redis.set(this.k('user', rec.username), rec.id, { condition: 'NX' });
    if (taken !== 'OK') throw new Error(`createCounsellor: username ${rec.username} is taken`);
    await this.redis.hSet(this.k('counsellor', rec.id), serialise(rec));
  }

  async updateCounsellor(id: string, patch: Partial<Pick<CounsellorRecord, 'certificate' | 'status' | 'capacity' | 'languages' | 'alias'>>): Promise<void> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(patch)) fields[k] = JSON.stringify(v);
    await this.redis.hSet(this.k('counsellor', id), fields);
  }

  async counsellorByUsername(username: string): Promise<CounsellorRecord | null> {
    const id = await this.redis.get(this.k('user', username));
    return id ? this.counsellor(id) : null;
  }

  async counsellor(id: string): Promise<CounsellorRecord | null> {
    const h = await this.redis.hGetAll(this.k('counsellor', id));
    return h.id ? deserialise(h) : null;
  }

  async listCounsellors(): Promise<CounsellorRecord[]> {
    const out: CounsellorRecord[] = [];
    for await (const keys of this.redis.scanIterator({ MATCH: this.k('counsellor', '*'), COUNT: 200 })) {
      for (const key of keys as unknown as string[]) {
        const h = await this.redis.hGetAll(key);
        if (h.id) out.push(deserialise(h));
      }
    }
    return out;
  }

  /** Creates a session and returns its bearer token; only a hash of the token is stored. */
  async createSession(counsellorId: string, idleSeconds: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.hSet(this.k('sess', hashSessionToken(token)), { counsellorId, createdAt: String(now) });
    await this.redis.expire(this.k('sess', hashSessionToken(token)), idleSeconds);
    await this.redis.sAdd(this.k('sessions-of', counsellorId), hashSessionToken(token));
    return token;
  }

  /** Looks a session up by the hash of its token and slides its idle timeout. */
  async touchSession(tokenHash: string, idleSeconds: number): Promise<Session | null> {
    const key = this.k('sess', tokenHash);
    const h = await this.redis.hGetAll(key);
    if (!h.counsellorId) return null;
    await this.redis.expire(key, idleSeconds);
    return { counsellorId: h.counsellorId, createdAt: Number(h.createdAt) };
  }

  async deleteSession(tokenHash: string): Promise<void> {
    const counsellorId = await this.redis.hGet(this.k('sess', tokenHash), 'counsellorId');
    await this.redis.del(this.k('sess', tokenHash));
    if (counsellorId) await this.redis.sRem(this.k('sessions-of', counsellorId), tokenHash);
  }

  async audit(entry: { actor: string; action: string; target?: string; outcome?: string }, now: number): Promise<void> {
    const fields: Record<string, string> = { at: String(now), actor: entry.actor, action: entry.action };
    if (entry.target) fields.target = entry.target;
    if (entry.outcome) fields.outcome = entry.outcome;
    await this.redis.xAdd(this.k('audit'), '*', fields, { TRIM: { strategy: 'MAXLEN', strategyModifier: '~', threshold: 100_000 } });
  }

  async auditEntries(count: number): Promise<Record<string, string>[]> {
    const rows = await this.redis.xRevRange(this.k('audit'), '+', '-', { COUNT: count });
    return (rows ?? []).map((r) => ({ id: r.id, ...(r.message as Record<string, string>) }));
  }
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

function serialise(rec: CounsellorRecord): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec)) out[k] = JSON.stringify(v);
  return out;
}

function deserialise(h: Record<string, string>): CounsellorRecord {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(h)) out[k] = JSON.parse(v);
  return out as unknown as CounsellorRecord;
}
