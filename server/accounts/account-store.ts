// Durable store (STORE_URL): associations' public keys, counsellor accounts with their wrapped identity keys
// and certificates, their second factor, pending invitations, sign-in sessions and the audit log. It never
// holds anything about a resident.
import { createHash, randomBytes } from 'node:crypto';
import type { AccountRole, Association, KdfParamsData, Language, WireCertificateData } from '../../protocol/index.ts';
import type { Redis } from '../../store/redis.ts';
import { runAccountScript } from './account-scripts.ts';

export interface WrappedKey {
  nonce: string;
  ciphertext: string;
}

export interface CounsellorRecord {
  id: string;
  username: string;
  alias: string;
  association: Association;
  /** Records written before roles existed have none and are counsellors. */
  role: AccountRole;
  status: 'active' | 'disabled';
  capacity: number;
  languages: Language[];
  kdf: KdfParamsData;
  /**
   * SHA-256 of the authentication key her browser derives from her password with Argon2id. A plain hash is
   * enough: the key is already the output of a slow KDF with a per-account salt, and 256 bits long.
   */
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

/** Her TOTP secret (needed in clear to compute codes) and the last time step she signed in with. */
export interface SecondFactor {
  /** Base32, as shown to her at enrolment. */
  secret: string;
  /** Steps up to this one are refused as replays; -1 before the first use. */
  lastStep: number;
}

/** Set by the first `POST /api/enrol/start` of an invitation and returned unchanged by later ones. */
export interface EnrolmentDraft {
  accountId: string;
  kdf: KdfParamsData;
  totpSecret: string;
}

export interface Invitation {
  username: string;
  alias: string;
  association: Association;
  role: AccountRole;
  capacity: number;
  languages: Language[];
  createdAt: number;
  expiresAt: number;
  createdBy: string;
  status: 'pending' | 'used';
  usedAt: number | null;
  enrolment: EnrolmentDraft | null;
}

export type FinishEnrolmentResult = 'OK' | 'UNKNOWN' | 'USED' | 'EXPIRED' | 'NOT_STARTED' | 'USERNAME_TAKEN';

/** How long a used or expired invitation is remembered, so its link says "used" or "expired" instead of "not valid". */
export const INVITATION_TOMBSTONE_SECONDS = 7 * 86_400;

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

  /** Creates the account and its second factor; `recoveryHashes` are SHA-256 hashes, never the codes. */
  async createCounsellor(rec: CounsellorRecord, secondFactor: { secret: string; recoveryHashes: string[] }): Promise<void> {
    const taken = await this.redis.set(this.k('user', rec.username), rec.id, { condition: 'NX' });
    if (taken !== 'OK') throw new Error(`createCounsellor: username ${rec.username} is taken`);
    const tx = this.redis
      .multi()
      .hSet(this.k('counsellor', rec.id), serialise(rec))
      .hSet(this.k('2fa', rec.id), { secret: secondFactor.secret, lastStep: '-1' });
    if (secondFactor.recoveryHashes.length > 0) tx.sAdd(this.k('recovery', rec.id), secondFactor.recoveryHashes);
    await tx.exec();
  }

  /** A new second factor (supervisor's reset): the old secret, its replay counter and every recovery code go. */
  async resetSecondFactor(id: string, secondFactor: { secret: string; recoveryHashes: string[] }): Promise<void> {
    const tx = this.redis
      .multi()
      .del([this.k('2fa', id), this.k('recovery', id)])
      .hSet(this.k('2fa', id), { secret: secondFactor.secret, lastStep: '-1' });
    if (secondFactor.recoveryHashes.length > 0) tx.sAdd(this.k('recovery', id), secondFactor.recoveryHashes);
    await tx.exec();
  }

  async usernameTaken(username: string): Promise<boolean> {
    return (await this.redis.exists(this.k('user', username))) === 1;
  }

  async updateCounsellor(
    id: string,
    patch: Partial<Pick<CounsellorRecord, 'certificate' | 'status' | 'capacity' | 'languages' | 'alias'>>,
  ): Promise<void> {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(patch)) fields[k] = JSON.stringify(v);
    await this.redis.hSet(this.k('counsellor', id), fields);
  }

  /**
   * Replaces her password-derived material (new authentication-key hash, KDF parameters, re-wrapped identity
   * key) if her stored hash is still `expectedAuthHash`. False when it changed in the meantime.
   */
  async changePassword(
    id: string,
    expectedAuthHash: string,
    next: Pick<CounsellorRecord, 'authHash' | 'kdf' | 'wrappedIdentityKey'>,
  ): Promise<boolean> {
    const swapped = await runAccountScript(
      this.redis,
      'change-password',
      [this.k('counsellor', id)],
      [JSON.stringify(expectedAuthHash), JSON.stringify(next.authHash), JSON.stringify(next.kdf), JSON.stringify(next.wrappedIdentityKey)],
    );
    return swapped === 1;
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

  // ---------- second factor ----------

  async secondFactor(id: string): Promise<SecondFactor | null> {
    const h = await this.redis.hGetAll(this.k('2fa', id));
    if (!h.secret) return null;
    return { secret: h.secret, lastStep: Number(h.lastStep ?? -1) };
  }

  /** Records `step` as used; false if it (or a later step) already was, e.g. by a racing sign-in. */
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    return (await runAccountScript(this.redis, 'accept-totp-step', [this.k('2fa', id)], [step])) === 1;
  }

  async hasRecoveryCode(id: string, codeHash: string): Promise<boolean> {
    return (await this.redis.sIsMember(this.k('recovery', id), codeHash)) === 1;
  }

  /** Removes a recovery code; false if it was not there (already used, possibly a moment ago by a racing request). */
  async consumeRecoveryCode(id: string, codeHash: string): Promise<boolean> {
    return (await this.redis.sRem(this.k('recovery', id), codeHash)) === 1;
  }

  async recoveryCodesLeft(id: string): Promise<number> {
    return this.redis.sCard(this.k('recovery', id));
  }

  // ---------- invitations ----------

  /** Stores an invitation under the hash of its token, replacing any pending one for the same username. */
  async putInvitation(tokenHash: string, inv: Invitation, now: number): Promise<{ replaced: boolean }> {
    const marker = this.k('invite-for', inv.username);
    const previous = await this.redis.get(marker);
    const validMs = Math.max(1, inv.expiresAt - now);
    const tx = this.redis
      .multi()
      .hSet(this.k('invite', tokenHash), serialiseInvitation(inv))
      .pExpire(this.k('invite', tokenHash), validMs + INVITATION_TOMBSTONE_SECONDS * 1000)
      .set(marker, tokenHash, { PX: validMs });
    if (previous && previous !== tokenHash) tx.del(this.k('invite', previous));
    await tx.exec();
    return { replaced: Boolean(previous && previous !== tokenHash) };
  }

  async invitation(tokenHash: string): Promise<Invitation | null> {
    const h = await this.redis.hGetAll(this.k('invite', tokenHash));
    return h.status ? deserialiseInvitation(h) : null;
  }

  /** Attaches `draft` unless an earlier start already did; returns the draft now in force. */
  async beginEnrolment(tokenHash: string, draft: EnrolmentDraft): Promise<EnrolmentDraft | null> {
    const key = this.k('invite', tokenHash);
    await this.redis.hSetNX(key, 'enrolment', JSON.stringify(draft));
    const stored = await this.redis.hGet(key, 'enrolment');
    return stored ? (JSON.parse(stored) as EnrolmentDraft) : null;
  }

  /**
   * Creates the enrolled account and consumes the invitation atomically. `draft` must be the enrolment the
   * caller verified the code against, so a concurrent change cannot slip a different secret in.
   */
  async finishEnrolment(
    tokenHash: string,
    draft: EnrolmentDraft,
    rec: CounsellorRecord,
    secondFactor: { lastStep: number; recoveryHashes: string[] },
    now: number,
  ): Promise<FinishEnrolmentResult> {
    const result = await runAccountScript(
      this.redis,
      'finish-enrolment',
      [
        this.k('invite', tokenHash),
        this.k('user', rec.username),
        this.k('counsellor', rec.id),
        this.k('2fa', rec.id),
        this.k('recovery', rec.id),
        this.k('invite-for', rec.username),
      ],
      [
        now,
        JSON.stringify(draft),
        rec.id,
        INVITATION_TOMBSTONE_SECONDS,
        JSON.stringify(serialise(rec)),
        draft.totpSecret,
        secondFactor.lastStep,
        JSON.stringify(secondFactor.recoveryHashes),
        tokenHash,
      ],
    );
    return result as FinishEnrolmentResult;
  }

  // ---------- sessions ----------

  /** Creates a session and returns its bearer token; only a hash of the token is stored. */
  async createSession(counsellorId: string, idleSeconds: number, now: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const hash = hashSessionToken(token);
    const index = this.k('sessions-of', counsellorId);
    // Sessions end by idle expiry without telling the index, so forget the ones that are gone.
    for (const old of await this.redis.sMembers(index)) {
      if (!(await this.redis.exists(this.k('sess', old)))) await this.redis.sRem(index, old);
    }
    await this.redis
      .multi()
      .hSet(this.k('sess', hash), { counsellorId, createdAt: String(now) })
      .expire(this.k('sess', hash), idleSeconds)
      .sAdd(index, hash)
      .exec();
    return token;
  }

  /** Ends every session of hers except `keep`; returns the hashes ended, so their connections can be closed. */
  async endSessions(counsellorId: string, keep: string | null): Promise<string[]> {
    const index = this.k('sessions-of', counsellorId);
    const ended: string[] = [];
    for (const hash of await this.redis.sMembers(index)) {
      if (hash === keep) continue;
      await this.redis.multi().del(this.k('sess', hash)).sRem(index, hash).exec();
      ended.push(hash);
    }
    return ended;
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

  /**
   * One line of the audit log: who did what to whom and when, never resident data. Entries that belong to an
   * association (its people acted or were acted on) also go to that association's log, which its supervisors read.
   */
  async audit(
    entry: { actor: string; action: string; target?: string; outcome?: string; association?: Association },
    now: number,
  ): Promise<void> {
    const fields: Record<string, string> = { at: String(now), actor: entry.actor, action: entry.action };
    if (entry.target) fields.target = entry.target;
    if (entry.outcome) fields.outcome = entry.outcome;
    if (entry.association) fields.association = entry.association;
    const trim = { TRIM: { strategy: 'MAXLEN' as const, strategyModifier: '~' as const, threshold: 100_000 } };
    await this.redis.xAdd(this.k('audit'), '*', fields, trim);
    if (entry.association) await this.redis.xAdd(this.k('audit', entry.association), '*', fields, trim);
  }

  /** Newest first; with `association`, that association's log only; with `before`, entries older than that id. */
  async auditEntries(count: number, opts: { association?: Association; before?: string } = {}): Promise<Record<string, string>[]> {
    const key = opts.association ? this.k('audit', opts.association) : this.k('audit');
    const rows = await this.redis.xRevRange(key, opts.before ? `(${opts.before}` : '+', '-', { COUNT: count });
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
  const out: Record<string, unknown> = { role: 'counsellor' };
  for (const [k, v] of Object.entries(h)) out[k] = JSON.parse(v);
  return out as unknown as CounsellorRecord;
}

// Scalars stay plain strings so the Lua scripts can compare them; lists and objects are JSON.
function serialiseInvitation(inv: Invitation): Record<string, string> {
  const out: Record<string, string> = {
    username: inv.username,
    alias: inv.alias,
    association: inv.association,
    role: inv.role,
    capacity: String(inv.capacity),
    languages: JSON.stringify(inv.languages),
    createdAt: String(inv.createdAt),
    expiresAt: String(inv.expiresAt),
    createdBy: inv.createdBy,
    status: inv.status,
  };
  if (inv.usedAt !== null) out.usedAt = String(inv.usedAt);
  if (inv.enrolment) out.enrolment = JSON.stringify(inv.enrolment);
  return out;
}

function deserialiseInvitation(h: Record<string, string>): Invitation {
  return {
    username: h.username ?? '',
    alias: h.alias ?? '',
    association: h.association as Association,
    role: h.role === 'supervisor' ? 'supervisor' : 'counsellor',
    capacity: Number(h.capacity),
    languages: JSON.parse(h.languages ?? '[]') as Language[],
    createdAt: Number(h.createdAt),
    expiresAt: Number(h.expiresAt),
    createdBy: h.createdBy ?? '',
    status: h.status === 'used' ? 'used' : 'pending',
    usedAt: h.usedAt ? Number(h.usedAt) : null,
    enrolment: h.enrolment ? (JSON.parse(h.enrolment) as EnrolmentDraft) : null,
  };
}
