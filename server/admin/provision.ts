// Account provisioning shared by the admin CLI and the tests: associations (signing key pair; the secret to
// a 0600 file the operator keeps, the public key pinned for the resident build) and counsellors created
// directly by an operator (identity key wrapped under her password-derived key, a TOTP secret and recovery
// codes, optionally certified by her association). Counsellors normally enrol themselves by invitation
// instead (server/accounts/enrolment.ts), so that the password and identity key never leave their browser.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { certificateToWire, generateSigningKeyPair, issueCertificate, sodiumReady, toB64, fromB64 } from '../../crypto/index.ts';
import { defaultKdfParams, derivePasswordKeys, sumoReady, wrapSecret } from '../../crypto/keywrap.ts';
import {
  associationSchema,
  languageSchema,
  USERNAME_PATTERN,
  type AccountRole,
  type Association,
  type Language,
} from '../../protocol/index.ts';
import type { AccountStore, CounsellorRecord } from '../accounts/account-store.ts';
import { authHashOf } from '../accounts/credentials.ts';
import { RECOVERY_CODE_COUNT, TOTP_ISSUER } from '../accounts/enrolment.ts';
import { base32Encode, generateRecoveryCodes, generateTotpSecret, hashRecoveryCode, totpUri } from '../accounts/totp.ts';

export interface AssociationKeyFile {
  association: Association;
  publicKey: string;
  secretKey: string;
}

/** Certificates are short-lived so a leaked identity key stops working without a revocation list. */
export const CERTIFICATE_DAYS = 90;

export async function createAssociation(
  accounts: AccountStore,
  args: { association: Association; keyFile: string; pinsFile: string; now: number },
): Promise<AssociationKeyFile> {
  await sodiumReady();
  if (existsSync(args.keyFile)) throw new Error(`createAssociation: ${args.keyFile} exists already; refusing to overwrite a signing key`);
  const existing = await accounts.associationKey(args.association);
  if (existing) throw new Error(`createAssociation: association ${args.association} already has a key`);
  const kp = generateSigningKeyPair();
  const file: AssociationKeyFile = { association: args.association, publicKey: toB64(kp.publicKey), secretKey: toB64(kp.secretKey) };
  mkdirSync(dirname(args.keyFile), { recursive: true, mode: 0o700 });
  writeFileSync(args.keyFile, JSON.stringify(file, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(args.keyFile, 0o600);
  await accounts.putAssociation(args.association, file.publicKey, args.now);
  pin(args.pinsFile, args.association, file.publicKey);
  return file;
}

/** Adds (or confirms) an association's public key in the pins file the resident build inlines. */
export function pin(pinsFile: string, association: Association, publicKey: string): void {
  const pins: Record<string, string> = existsSync(pinsFile) ? JSON.parse(readFileSync(pinsFile, 'utf8')) : {};
  pins[association] = publicKey;
  mkdirSync(dirname(pinsFile), { recursive: true });
  writeFileSync(pinsFile, JSON.stringify(pins, null, 2) + '\n');
}

export function readAssociationKeyFile(path: string): AssociationKeyFile {
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const f = raw as AssociationKeyFile;
  associationSchema.parse(f.association);
  fromB64(f.publicKey, 32);
  fromB64(f.secretKey, 64);
  return f;
}

/** Passwords chosen in the console at enrolment must have at least this many characters; the CLI asks the same. */
export const MIN_PASSWORD_LENGTH = 12;

export interface NewCounsellor {
  username: string;
  password: string;
  alias: string;
  association: Association;
  role?: AccountRole;
  capacity: number;
  languages: Language[];
  /** Certify at once with this association key file's secret; otherwise the certificate stays pending. */
  associationKey: AssociationKeyFile | null;
  now: number;
}

export interface CreatedCounsellor {
  record: CounsellorRecord;
  /** Her TOTP secret (base32) and its otpauth:// URI: hand them to her once, then forget them. */
  totp: { secret: string; uri: string };
  /** Single-use codes for a lost phone; only their hashes are stored. */
  recoveryCodes: string[];
}

export async function createCounsellor(accounts: AccountStore, c: NewCounsellor): Promise<CreatedCounsellor> {
  await sumoReady();
  if (!USERNAME_PATTERN.test(c.username)) throw new Error('createCounsellor: username must be 2-32 of a-z 0-9 . _ -');
  if (c.password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`createCounsellor: the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  if (!c.alias.trim() || c.alias.length > 40) throw new Error('createCounsellor: alias must have 1-40 characters');
  c.languages.forEach((l) => languageSchema.parse(l));
  if (c.associationKey && c.associationKey.association !== c.association)
    throw new Error('createCounsellor: the key file belongs to another association');
  const id = randomBytes(16).toString('base64url');
  const kdf = defaultKdfParams();
  const { authKey, wrapKey } = derivePasswordKeys(c.password, kdf);
  const identity = generateSigningKeyPair();
  const wrapped = wrapSecret(identity.secretKey, wrapKey, `identity:${id}`);
  identity.secretKey.fill(0);
  wrapKey.fill(0);
  const rec: CounsellorRecord = {
    id,
    username: c.username,
    alias: c.alias.trim(),
    association: c.association,
    role: c.role ?? 'counsellor',
    status: 'active',
    capacity: c.capacity,
    languages: c.languages,
    kdf,
    authHash: authHashOf(toB64(authKey)),
    wrappedIdentityKey: wrapped,
    identityPublicKey: toB64(identity.publicKey),
    certificate: null,
    createdAt: c.now,
  };
  authKey.fill(0);
  if (c.associationKey) rec.certificate = certify(rec, c.associationKey, c.now);
  const secret = generateTotpSecret();
  const totp = { secret: base32Encode(secret), uri: totpUri({ secret, account: rec.username, issuer: TOTP_ISSUER }) };
  secret.fill(0);
  const recoveryCodes = generateRecoveryCodes(RECOVERY_CODE_COUNT);
  await accounts.createCounsellor(rec, { secret: totp.secret, recoveryHashes: recoveryCodes.map(hashRecoveryCode) });
  await accounts.audit({ actor: 'admin-cli', action: 'counsellor-created', target: rec.username, association: rec.association }, c.now);
  if (rec.certificate)
    await accounts.audit({ actor: 'admin-cli', action: 'counsellor-certified', target: rec.username, association: rec.association }, c.now);
  return { record: rec, totp, recoveryCodes };
}

export function certify(
  rec: Pick<CounsellorRecord, 'id' | 'alias' | 'association' | 'identityPublicKey'>,
  key: AssociationKeyFile,
  now: number,
) {
  const secret = fromB64(key.secretKey, 64);
  try {
    const cert = issueCertificate(
      {
        version: 1,
        association: rec.association,
        counsellorId: rec.id,
        alias: rec.alias,
        identityPublicKey: fromB64(rec.identityPublicKey, 32),
        issuedAt: now,
        expiresAt: now + CERTIFICATE_DAYS * 86_400_000,
      },
      secret,
    );
    const wire = certificateToWire(cert);
    return { ...wire, association: rec.association };
  } finally {
    secret.fill(0);
  }
}
