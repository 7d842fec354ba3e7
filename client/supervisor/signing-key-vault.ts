// The association signing key in the supervisor's browser: stored on the server only wrapped under her own
// password-derived key (context `signing:<her account id>`), unlocked into memory when she certifies or revokes,
// and wiped after five minutes without use, when she locks it, signs out or leaves the team view. Certificates
// and revocation lists are signed here; the server only checks and stores them (docs/threat-model.md).
import type { RevocationListData, TeamMember } from '../../protocol/supervisor.ts';
import type { Association } from '../../protocol/triage.ts';
import { Store } from '../shared/store.ts';
import { loadLibs, paint, type Libs } from './libs.ts';
import type { Ask } from './supervisor-transport.ts';

/** How long an unlocked key stays in memory after its last use. */
export const SIGNING_KEY_IDLE_MS = 5 * 60_000;
/** Validity of a certificate she issues (the operator's CLI uses the same). */
export const CERTIFICATE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface VaultState {
  status: 'locked' | 'working' | 'unlocked';
  step: string | null;
  error: string | null;
  /** A wrapped copy of the key is stored on the server for her. */
  stored: boolean;
  /** When the unlocked key will be wiped unless used again (local clock). */
  wipeAt: number | null;
}

export interface VaultOwner {
  id: string;
  association: Association;
}

export type VaultResult = { ok: true } | { ok: false; message: string };

/** The key file `npm run admin -- association add` writes. */
interface KeyFile {
  association: string;
  publicKey: string;
  secretKey: string;
}

function isKeyFile(v: unknown): v is KeyFile {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.association === 'string' && typeof o.publicKey === 'string' && typeof o.secretKey === 'string';
}

const LOCKED: VaultState = { status: 'locked', step: null, error: null, stored: false, wipeAt: null };

export class SigningKeyVault {
  readonly store = new Store<VaultState>(LOCKED);
  #secret: Uint8Array | null = null;
  #memzero: ((b: Uint8Array) => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly ask: Ask,
    private readonly owner: () => VaultOwner | null,
  ) {}

  /** Whether she has a stored copy, as the server said when she started watching. */
  setStored(stored: boolean): void {
    this.#patch({ stored });
  }

  /**
   * The start of every key operation: signed in, not already busy, marked working, libraries loaded; `fail`
   * ends the operation with a message and puts the vault back to its state before.
   */
  async #begin(step: string): Promise<VaultResult | { owner: VaultOwner; libs: Libs; fail: (message: string) => VaultResult }> {
    const owner = this.owner();
    if (!owner) return { ok: false, message: 'Not signed in.' };
    if (this.store.get().status === 'working') return { ok: false, message: 'Busy with the key; wait a moment.' };
    this.#patch({ status: 'working', step, error: null });
    const fail = (message: string): VaultResult => {
      this.#patch({ status: this.#secret ? 'unlocked' : 'locked', step: null, error: message });
      return { ok: false, message };
    };
    try {
      return { owner, libs: await loadLibs(), fail };
    } catch {
      return fail('The encryption library could not be loaded. Reload the page and try again.');
    }
  }

  /** Unwraps her stored copy with a key derived from her password. */
  async unlock(password: string): Promise<VaultResult> {
    const begun = await this.#begin('Fetching your wrapped key…');
    if ('ok' in begun) return begun;
    const { owner, libs, fail } = begun;
    const res = await this.ask('supervisor:signing-key', {});
    if (!res.ok) return fail(res.error.message);
    if (!res.data.wrapped) {
      this.#patch({ stored: false });
      return fail('You have not stored the signing key yet: choose the key file your operator gave you.');
    }
    this.#patch({ step: 'Deriving keys from your password…' });
    await paint();
    let wrapKey: Uint8Array;
    try {
      const keys = libs.keywrap.derivePasswordKeys(password, res.data.kdf);
      libs.memzero(keys.authKey);
      wrapKey = keys.wrapKey;
    } catch {
      return fail('The server sent key parameters this page refuses.');
    }
    let secret: Uint8Array;
    try {
      secret = libs.keywrap.unwrapSecret(res.data.wrapped, wrapKey, `signing:${owner.id}`);
    } catch {
      return fail('Wrong password: the signing key could not be unlocked.');
    } finally {
      libs.memzero(wrapKey);
    }
    const problem = this.#checkPair(libs, owner.association, secret, null);
    if (problem) {
      libs.memzero(secret);
      return fail(problem);
    }
    this.#hold(libs, secret);
    return { ok: true };
  }

  /**
   * Reads the operator's key file (in the browser: the file is never uploaded), checks it is her association's
   * key, wraps the secret under her password-derived key and stores the wrapped copy; the key stays unlocked.
   */
  async storeFromFile(file: Blob, password: string): Promise<VaultResult> {
    const begun = await this.#begin('Reading the key file…');
    if ('ok' in begun) return begun;
    const { owner, libs, fail } = begun;
    if (file.size > 4096) return fail('This is not a signing key file (too large).');
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch {
      return fail('This is not a signing key file (not JSON).');
    }
    if (!isKeyFile(parsed)) return fail('This is not a signing key file (it needs association, publicKey and secretKey).');
    if (parsed.association !== owner.association) return fail(`This key file belongs to another association (${parsed.association}).`);
    let secret: Uint8Array;
    let publicKey: Uint8Array;
    try {
      publicKey = libs.crypto.fromB64(parsed.publicKey, libs.crypto.SIGN_PUBLIC_KEY_BYTES);
      secret = libs.crypto.fromB64(parsed.secretKey, libs.crypto.SIGN_SECRET_KEY_BYTES);
    } catch {
      return fail('The keys in this file are malformed.');
    }
    const problem = this.#checkPair(libs, owner.association, secret, publicKey);
    if (problem) {
      libs.memzero(secret);
      return fail(problem);
    }
    const res = await this.ask('supervisor:signing-key', {});
    if (!res.ok) {
      libs.memzero(secret);
      return fail(res.error.message);
    }
    this.#patch({ step: 'Deriving keys from your password…' });
    await paint();
    let wrapped: { nonce: string; ciphertext: string };
    try {
      const keys = libs.keywrap.derivePasswordKeys(password, res.data.kdf);
      libs.memzero(keys.authKey);
      try {
        wrapped = libs.keywrap.wrapSecret(secret, keys.wrapKey, `signing:${owner.id}`);
      } finally {
        libs.memzero(keys.wrapKey);
      }
    } catch {
      libs.memzero(secret);
      return fail('The server sent key parameters this page refuses.');
    }
    this.#patch({ step: 'Storing the wrapped key…' });
    const set = await this.ask('supervisor:signing-key-set', { wrapped });
    if (!set.ok) {
      libs.memzero(secret);
      return fail(set.error.message);
    }
    this.#patch({ stored: true });
    this.#hold(libs, secret);
    return { ok: true };
  }

  /** Signs a 90-day certificate of her identity key and hands it to the server. */
  async certify(member: TeamMember, now = Date.now()): Promise<VaultResult> {
    const owner = this.owner();
    const secret = this.#secret;
    if (!owner || !secret) return { ok: false, message: 'Unlock the signing key first.' };
    const libs = await loadLibs();
    let certificate;
    try {
      const cert = libs.crypto.issueCertificate(
        {
          version: 1,
          association: owner.association,
          counsellorId: member.id,
          alias: member.alias,
          identityPublicKey: libs.crypto.fromB64(member.identityPublicKey, libs.crypto.SIGN_PUBLIC_KEY_BYTES),
          issuedAt: now,
          expiresAt: now + CERTIFICATE_DAYS * DAY_MS,
        },
        secret,
      );
      certificate = { ...libs.crypto.certificateToWire(cert), association: owner.association };
    } catch {
      return { ok: false, message: `The certificate for ${member.alias} could not be signed (malformed identity key).` };
    }
    this.#touch();
    const res = await this.ask('supervisor:certify', { counsellorId: member.id, certificate });
    return res.ok ? { ok: true } : { ok: false, message: res.error.message };
  }

  /** Signs a new revocation list: the current one plus her, dated now (and always after the current one). */
  async revoke(member: TeamMember, current: RevocationListData | null, now = Date.now()): Promise<VaultResult> {
    const owner = this.owner();
    const secret = this.#secret;
    if (!owner || !secret) return { ok: false, message: 'Unlock the signing key first.' };
    const libs = await loadLibs();
    const issuedAt = Math.max(now, (current?.issuedAt ?? 0) + 1);
    const list = libs.crypto.signRevocationList(
      { association: owner.association, issuedAt, revoked: [...(current?.revoked ?? []), member.id] },
      secret,
    );
    this.#touch();
    const res = await this.ask('supervisor:revoke', { counsellorId: member.id, list: { ...list, association: owner.association } });
    return res.ok ? { ok: true } : { ok: false, message: res.error.message };
  }

  /** Wipes the key from memory. */
  lock(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#secret) {
      if (this.#memzero) this.#memzero(this.#secret);
      this.#secret.fill(0);
    }
    this.#secret = null;
    this.#patch({ status: 'locked', step: null, wipeAt: null });
  }

  /** Sign-out: wiped, and nothing of hers remembered. */
  reset(): void {
    this.lock();
    this.store.set(LOCKED);
  }

  /**
   * Refuses a secret key whose halves disagree (the public half must derive from the seed), one that differs from
   * the key file's public key, or from the key the residents' pages pin for her association.
   */
  #checkPair(libs: Libs, association: Association, secret: Uint8Array, publicKey: Uint8Array | null): string | null {
    if (secret.length !== libs.crypto.SIGN_SECRET_KEY_BYTES) return 'The signing key has the wrong length.';
    const derived = libs.crypto.signingKeyPairFromSeed(secret.subarray(0, libs.crypto.SIGN_SEED_BYTES));
    libs.memzero(derived.secretKey);
    const derivedB64 = libs.crypto.toB64(derived.publicKey);
    if (derivedB64 !== libs.crypto.toB64(secret.subarray(libs.crypto.SIGN_SEED_BYTES)))
      return 'The signing key is damaged (its two halves do not match).';
    if (publicKey && derivedB64 !== libs.crypto.toB64(publicKey)) return 'The public key in this file does not match its secret key.';
    const pinned = Object.hasOwn(__PINNED_KEYS__, association) ? __PINNED_KEYS__[association] : undefined;
    if (pinned !== undefined && pinned !== derivedB64)
      return 'This is not the key residents’ pages trust for your association: ask your operator for the right file.';
    return null;
  }

  #hold(libs: Libs, secret: Uint8Array): void {
    if (this.#secret && this.#secret !== secret) libs.memzero(this.#secret);
    this.#secret = secret;
    this.#memzero = libs.memzero;
    this.#patch({ status: 'unlocked', step: null, error: null });
    this.#touch();
  }

  #touch(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.lock(), SIGNING_KEY_IDLE_MS);
    this.#patch({ wipeAt: Date.now() + SIGNING_KEY_IDLE_MS });
  }

  #patch(p: Partial<VaultState>): void {
    this.store.update((s) => ({ ...s, ...p }));
  }
}
