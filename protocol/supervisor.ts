// The supervisor's events (role 'supervisor', her own association only): the live board, charts of the
// anonymous aggregates, team management with certification and revocation signed in her browser, policy and
// canned replies, and the audit log. Nothing here carries chat content, ciphertext or a resident's id.
import { z } from 'zod';
import type { BoardSnapshot } from './board.ts';
import { wireCertificateSchema, type Ack } from './events.ts';
import { accountRoleSchema, usernameSchema, type KdfParamsData } from './http.ts';
import { ALIAS_MAX } from './limits.ts';
import { cannedRepliesSchema, type CannedReplies, type Policy } from './policy.ts';
import { b64Bytes, idSchema } from './primitives.ts';
import { OUTCOME_KEYS, type OutcomeKey } from './supervisor-constants.ts';
import { MAX_REVOKED, revocationListSchema, type RevocationListData } from './revocation.ts';

export { revocationListSchema, type RevocationListData };
import { languageSchema, type Association, type Language } from './triage.ts';

export const SUPERVISOR_LIMITS = {
  /** Rows of one aggregates read: 48 hours, 62 days or 53 weeks. */
  maxRows: { hour: 48, day: 62, week: 53 },
  /** Audit entries per page. */
  auditPage: 200,
  /** Counsellors one signed revocation list may name. */
  maxRevoked: MAX_REVOKED,
  /** Level samples kept for the "waiting and active" chart (one a minute for a day). */
  levelSamples: 1_440,
} as const;

// ---------- charts ----------

export const aggregatesRequestSchema = z.strictObject({
  granularity: z.enum(['hour', 'day', 'week']),
  /** How many rows back from now, the current (partial) one included. */
  count: z.number().int().min(1).max(62),
});
export type AggregatesRequest = z.infer<typeof aggregatesRequestSchema>;

export { OUTCOME_KEYS, type OutcomeKey };

export interface AggregateRow {
  /** Start of the hour, day or week (UTC hours; days and weeks start at midnight in Europe/Rome). */
  start: number;
  joined: number;
  answered: number;
  abandoned: number;
  refused: { full: number; closed: number; nobody: number };
  requeued: number;
  ended: number;
  outcomes: Record<OutcomeKey, number>;
  /**
   * Wait percentiles from the wait buckets: the upper bound of the bucket holding the percentile (ms), so
   * "p50 ≤ 3 min"; null when nobody was answered; Infinity is sent as null with `openEnded` true.
   */
  wait: { p50Ms: number | null; p90Ms: number | null; openEnded: boolean };
}

export interface AggregatesResult {
  granularity: AggregatesRequest['granularity'];
  rows: AggregateRow[];
}

export const levelsRequestSchema = z.strictObject({ hours: z.number().int().min(1).max(24) });

/** One sample of the board per minute: how many waited and how many chats were active. */
export interface LevelSample {
  at: number;
  waiting: number;
  active: number;
}

// ---------- team ----------

export interface TeamMember {
  /** Account id (not a resident's): the handle of the team actions below. */
  id: string;
  username: string;
  alias: string;
  role: z.infer<typeof accountRoleSchema>;
  status: 'active' | 'disabled';
  capacity: number;
  languages: Language[];
  /** Her identity public key, for the supervisor's browser to certify. */
  identityPublicKey: string;
  certificate: { issuedAt: number; expiresAt: number } | null;
  revoked: boolean;
  /** On shift now (any state), from the shift store. */
  onShift: boolean;
}

export const inviteRequestSchema = z.strictObject({
  username: usernameSchema,
  alias: z.string().trim().min(1).max(ALIAS_MAX),
  role: accountRoleSchema,
  capacity: z.number().int().min(1).max(10),
  languages: z.array(languageSchema).min(1).max(6),
});
export type InviteRequest = z.infer<typeof inviteRequestSchema>;

export interface InviteResult {
  /** The enrolment link; the token is in the fragment, shown once, stored only hashed. */
  link: string;
  expiresAt: number;
}

export interface SecondFactorReset {
  totp: { secret: string; uri: string };
  recoveryCodes: string[];
}

export const memberRefSchema = z.strictObject({ counsellorId: idSchema });

export const memberStatusSchema = z.strictObject({ counsellorId: idSchema, status: z.enum(['active', 'disabled']) });

export const memberProfileSchema = z
  .strictObject({
    counsellorId: idSchema,
    capacity: z.number().int().min(1).max(10).optional(),
    languages: z.array(languageSchema).min(1).max(6).optional(),
  })
  .refine((p) => p.capacity !== undefined || p.languages !== undefined, { error: 'set capacity or languages' });

/** A certificate the supervisor's browser signed with the association key; the server checks it before storing. */
export const certifyRequestSchema = z.strictObject({ counsellorId: idSchema, certificate: wireCertificateSchema });

export const revokeRequestSchema = z.strictObject({ counsellorId: idSchema, list: revocationListSchema });

/** The association signing key, wrapped in her browser under her own password-derived key (see docs/threat-model.md, "Signing key custody"). */
export const wrappedSigningKeySchema = z.strictObject({ nonce: b64Bytes(24), ciphertext: b64Bytes(64 + 16) });
export const signingKeySetSchema = z.strictObject({ wrapped: wrappedSigningKeySchema });

// ---------- policy and audit ----------

/** The patch is checked by the server's policy service (policyPatchSchema), which also audits a refusal. */
export const policySetSchema = z.strictObject({ patch: z.record(z.string().max(40), z.unknown()) });
export const cannedSetSchema = z.strictObject({ replies: cannedRepliesSchema });

export interface PolicyView {
  policy: Policy;
  cannedReplies: CannedReplies;
}

export const auditRequestSchema = z.strictObject({
  /** Entries older than this audit id (paging back); omitted = newest. */
  before: z
    .string()
    .regex(/^[0-9]{1,20}-[0-9]{1,20}$/)
    .optional(),
  count: z.number().int().min(1).max(SUPERVISOR_LIMITS.auditPage),
});

export interface AuditEntry {
  id: string;
  at: number;
  /** Username of whoever acted, 'admin-cli', or the username typed at a failed sign-in. */
  actor: string;
  action: string;
  target?: string;
  outcome?: string;
}

export interface SupervisorSession {
  association: Association;
  alias: string;
  /** Whether she has stored the association signing key wrapped under her password (certify/revoke possible). */
  hasSigningKey: boolean;
}

// ---------- the supervisor's event map (checked at the edge like every other event) ----------

const empty = z.strictObject({});

export interface SupervisorToServerEvents {
  /** Joins her association's board room; answers the current snapshot (null until the first is computed). */
  'supervisor:watch': (payload: Record<string, never>, ack: Ack<{ session: SupervisorSession; snapshot: BoardSnapshot | null }>) => void;
  'supervisor:aggregates': (payload: AggregatesRequest, ack: Ack<AggregatesResult>) => void;
  'supervisor:levels': (payload: z.infer<typeof levelsRequestSchema>, ack: Ack<{ samples: LevelSample[] }>) => void;
  'supervisor:team': (payload: Record<string, never>, ack: Ack<{ members: TeamMember[]; revocations: RevocationListData | null }>) => void;
  'supervisor:invite': (payload: InviteRequest, ack: Ack<InviteResult>) => void;
  'supervisor:member-status': (payload: z.infer<typeof memberStatusSchema>, ack: Ack<Record<string, never>>) => void;
  'supervisor:member-profile': (payload: z.infer<typeof memberProfileSchema>, ack: Ack<Record<string, never>>) => void;
  /**
   * Replaces her second factor: a new TOTP secret and new recovery codes, shown once to the supervisor to hand
   * over in person (she scans the QR code from the supervisor's screen); her sessions end.
   */
  'supervisor:reset-2fa': (payload: z.infer<typeof memberRefSchema>, ack: Ack<SecondFactorReset>) => void;
  'supervisor:certify': (payload: z.infer<typeof certifyRequestSchema>, ack: Ack<Record<string, never>>) => void;
  'supervisor:revoke': (payload: z.infer<typeof revokeRequestSchema>, ack: Ack<Record<string, never>>) => void;
  /** Her wrapped copy of the association signing key (null when she has not stored one). */
  'supervisor:signing-key': (
    payload: Record<string, never>,
    ack: Ack<{ wrapped: z.infer<typeof wrappedSigningKeySchema> | null; kdf: KdfParamsData }>,
  ) => void;
  'supervisor:signing-key-set': (payload: z.infer<typeof signingKeySetSchema>, ack: Ack<Record<string, never>>) => void;
  'supervisor:policy': (payload: Record<string, never>, ack: Ack<PolicyView>) => void;
  'supervisor:policy-set': (payload: z.infer<typeof policySetSchema>, ack: Ack<PolicyView>) => void;
  'supervisor:canned-set': (payload: z.infer<typeof cannedSetSchema>, ack: Ack<PolicyView>) => void;
  'supervisor:audit': (payload: z.infer<typeof auditRequestSchema>, ack: Ack<{ entries: AuditEntry[] }>) => void;
}

export type SupervisorEventName = keyof SupervisorToServerEvents;

export interface SupervisorFromServerEvents {
  'board:snapshot': (payload: BoardSnapshot) => void;
}

export const supervisorEventSchemas = {
  'supervisor:watch': empty,
  'supervisor:aggregates': aggregatesRequestSchema,
  'supervisor:levels': levelsRequestSchema,
  'supervisor:team': empty,
  'supervisor:invite': inviteRequestSchema,
  'supervisor:member-status': memberStatusSchema,
  'supervisor:member-profile': memberProfileSchema,
  'supervisor:reset-2fa': memberRefSchema,
  'supervisor:certify': certifyRequestSchema,
  'supervisor:revoke': revokeRequestSchema,
  'supervisor:signing-key': empty,
  'supervisor:signing-key-set': signingKeySetSchema,
  'supervisor:policy': empty,
  'supervisor:policy-set': policySetSchema,
  'supervisor:canned-set': cannedSetSchema,
  'supervisor:audit': auditRequestSchema,
} as const satisfies Record<SupervisorEventName, z.ZodType>;
