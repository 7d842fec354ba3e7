// The Socket.IO event contract: a zod schema for every payload, TypeScript types derived from them, the
// four generic maps for `Server` and `Socket`, and the acknowledgement shape every event answers with.
import { z } from 'zod';
import type { RevocationListData } from './revocation.ts';
import type { BoardSnapshot } from './board.ts';
import type { ErrorBody } from './errors.ts';
import type { CannedReplies } from './policy.ts';
import {
  HANDSHAKE_NONCE_BYTES,
  KX_PUBLIC_KEY_BYTES,
  MAX_SEQ,
  NONCE_BYTES,
  SIGNATURE_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  ALIAS_MAX,
  HANDOFF_NOTE_LENGTHS,
} from './limits.ts';
import { b64Bytes, ciphertextSchema, idSchema, resumeTokenSchema } from './primitives.ts';
import {
  type associationChoiceSchema,
  associationSchema,
  LANGUAGES,
  languageSchema,
  type topicSchema,
  triageSchema,
  type urgencySchema,
} from './triage.ts';

// ---------- acknowledgements ----------

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type Ack<T> = (result: AckResult<T>) => void;

// ---------- shared shapes ----------

export const seqSchema = z.number().int().min(0).max(MAX_SEQ);
export const directionSchema = z.enum(['r2c', 'c2r']);
export type Direction = z.infer<typeof directionSchema>;

export const wireCertificateSchema = z.strictObject({
  v: z.literal(1),
  association: associationSchema,
  counsellorId: idSchema,
  alias: z.string().min(1).max(ALIAS_MAX),
  identityPublicKey: b64Bytes(ED25519_PUBLIC_KEY_BYTES),
  issuedAt: z.number().int().nonnegative(),
  expiresAt: z.number().int().nonnegative(),
  signature: b64Bytes(SIGNATURE_BYTES),
});
export type WireCertificateData = z.infer<typeof wireCertificateSchema>;

export const outcomeSchema = z.enum(['information', 'referred', 'emergency', 'resident-left', 'other']);
export type Outcome = z.infer<typeof outcomeSchema>;

export const endReasonSchema = z.enum([
  'resident-ended',
  'resident-exit',
  'resident-gone',
  'counsellor-ended',
  /** The chat went back to the line (no first reply in time, or the counsellor vanished); she gets another counsellor. */
  'reassigned',
  /** The counsellor handed the chat to a colleague or to the other association's line (to her side only). */
  'transferred',
]);
export type EndReason = z.infer<typeof endReasonSchema>;

// ---------- client -> server payloads ----------

export const residentJoinSchema = z.strictObject({
  triage: triageSchema,
  kxPublicKey: b64Bytes(KX_PUBLIC_KEY_BYTES),
  nonce: b64Bytes(HANDSHAKE_NONCE_BYTES),
});
export type ResidentJoin = z.infer<typeof residentJoinSchema>;

export const residentResumeSchema = z.strictObject({ resumeToken: resumeTokenSchema });
export type ResidentResume = z.infer<typeof residentResumeSchema>;

/** Leave the line or end the chat. `exit` is the quick exit; all three purge at once. */
export const residentLeaveSchema = z.strictObject({ reason: z.enum(['ended', 'exit', 'abandon']) });
export type ResidentLeave = z.infer<typeof residentLeaveSchema>;

/** After `chat:requeued`: fresh key material for the handshake with the next counsellor. */
export const residentRekeySchema = z.strictObject({
  kxPublicKey: b64Bytes(KX_PUBLIC_KEY_BYTES),
  nonce: b64Bytes(HANDSHAKE_NONCE_BYTES),
});
export type ResidentRekey = z.infer<typeof residentRekeySchema>;

export const availabilitySchema = z.enum(['available', 'away']);
export const counsellorStatusSchema = z.strictObject({ availability: availabilitySchema });
export type CounsellorStatus = z.infer<typeof counsellorStatusSchema>;

export const emptySchema = z.strictObject({});

// ---------- counsellor shift profile (issue 5: the console workspace) ----------

/** Absolute bounds of a counsellor's capacity; her association's cap (server side) is usually lower. */
export const CAPACITY_LIMITS = { min: 1, max: 10 } as const;

/**
 * Her languages and capacity for the shift, as a partial change: `{}` only reads them (and the cap). Saved on
 * her account and applied to the live shift at once, so matching uses them for the next resident.
 */
export const counsellorProfileSchema = z.strictObject({
  languages: z
    .array(languageSchema)
    .min(1, { error: 'choose at least one language' })
    .max(LANGUAGES.length)
    .refine((l) => new Set(l).size === l.length, { error: 'a language is listed twice' })
    .optional(),
  capacity: z.number().int().min(CAPACITY_LIMITS.min).max(CAPACITY_LIMITS.max).optional(),
});
export type CounsellorProfileChange = z.infer<typeof counsellorProfileSchema>;

export interface CounsellorShiftProfile {
  languages: z.infer<typeof languageSchema>[];
  capacity: number;
  /** The highest capacity her association lets her set. */
  maxCapacity: number;
}

/** Her association's own canned replies by language (its supervisors edit them); other languages use the console's built-in set. */
export interface CounsellorCannedReplies {
  replies: CannedReplies;
}

// ---------- end of the counsellor shift profile block ----------

export const queueClaimSchema = z.strictObject({ ticketId: idSchema.optional() });
export type QueueClaim = z.infer<typeof queueClaimSchema>;

export const chatHandshakeSchema = z.strictObject({
  chatId: idSchema,
  kxPublicKey: b64Bytes(KX_PUBLIC_KEY_BYTES),
  signature: b64Bytes(SIGNATURE_BYTES),
});
export type ChatHandshake = z.infer<typeof chatHandshakeSchema>;

export const chatSendSchema = z.strictObject({
  chatId: idSchema,
  seq: seqSchema,
  nonce: b64Bytes(NONCE_BYTES),
  ciphertext: ciphertextSchema,
});
export type ChatSend = z.infer<typeof chatSendSchema>;

/** Receipt: the sender of this event has read the peer's messages up to and including `seq`. */
export const chatReadSchema = z.strictObject({ chatId: idSchema, seq: seqSchema });
export type ChatRead = z.infer<typeof chatReadSchema>;

export const chatRefSchema = z.strictObject({ chatId: idSchema });
export type ChatRef = z.infer<typeof chatRefSchema>;

/** Fetch the peer's messages from `from` on (the receiver's next expected sequence number). */
export const chatSyncSchema = z.strictObject({ chatId: idSchema, from: seqSchema });
export type ChatSync = z.infer<typeof chatSyncSchema>;

export const chatEndSchema = z.strictObject({ chatId: idSchema, outcome: outcomeSchema.optional() });
export type ChatEnd = z.infer<typeof chatEndSchema>;

// ---------- server -> client payloads and ack data ----------

export const etaSchema = z.strictObject({ lowMinutes: z.number().int().nonnegative(), highMinutes: z.number().int().nonnegative() });

export interface QueuePosition {
  ticketId: string;
  /** 1 = next. */
  position: number;
  /** A range, never a promise; null when there is not enough data to estimate. */
  eta: z.infer<typeof etaSchema> | null;
}

export interface JoinResult {
  ticketId: string;
  resumeToken: string;
  /** Null until the triage worker has placed her in the line; `queue:position` events follow. */
  position: QueuePosition | null;
}

export interface QueueEntry {
  ticketId: string;
  urgency: z.infer<typeof urgencySchema>;
  language: z.infer<typeof languageSchema>;
  association: z.infer<typeof associationChoiceSchema>;
  danger: 'yes' | 'no' | 'unsure';
  canWrite: 'yes' | 'briefly' | 'no';
  topics: z.infer<typeof topicSchema>[];
  waitingSince: number;
}

export interface CounsellorPublic {
  alias: string;
  association: z.infer<typeof associationSchema>;
}

/** What the counsellor gets when she claims a resident: enough to answer the handshake. */
export interface ClaimResult {
  chatId: string;
  entry: QueueEntry;
  residentKxPublicKey: string;
  residentNonce: string;
}

/** The counsellor's half of the handshake, as relayed to the resident with her certificate. */
export interface HandshakeOffer {
  chatId: string;
  counsellor: CounsellorPublic;
  kxPublicKey: string;
  signature: string;
  certificate: WireCertificateData;
  /** The association's newest signed revocation list; the resident refuses a counsellor it names. */
  revocations: RevocationListData | null;
}

export interface RelayedMessage {
  chatId: string;
  direction: Direction;
  seq: number;
  nonce: string;
  ciphertext: string;
}

export interface SendResult {
  seq: number;
  /** True when this exact ciphertext had already been stored (a resend after reconnect). */
  duplicate: boolean;
}

export type ResidentState =
  | {
      state: 'waiting';
      ticketId: string;
      position: QueuePosition | null;
      /** Her association choice now: a transfer she missed while offline may have moved her to the other one. */
      association?: z.infer<typeof associationChoiceSchema>;
    }
  | { state: 'assigned'; ticketId: string; chatId: string; counsellor: CounsellorPublic }
  | { state: 'active'; ticketId: string; chatId: string; handshake: HandshakeOffer; peerRead: number };

export interface CounsellorChat {
  chatId: string;
  entry: QueueEntry;
  residentKxPublicKey: string;
  residentNonce: string;
  /** Highest seq of hers the resident has read, -1 if none. */
  peerRead: number;
  handshakeDone: boolean;
}

export interface SyncResult {
  messages: RelayedMessage[];
  /** Highest seq of the caller's own messages the peer has read, -1 if none. */
  peerRead: number;
  /** Next seq the server expects from the caller (her own messages it already holds). */
  nextOwnSeq: number;
}

export interface ChatEnded {
  chatId: string;
  reason: EndReason;
}

// ---------- transfer (issue 5, item 6): to a named colleague or to the other association's line ----------

/** A sealed handoff note (crypto/handoff.ts): only its two padded sizes are accepted, never its content. */
export const handoffNoteSchema = z.strictObject({
  ciphertext: z.union([b64Bytes(HANDOFF_NOTE_LENGTHS[0]), b64Bytes(HANDOFF_NOTE_LENGTHS[1])]),
});

/** A named colleague on shift, or the line of an association (the other one: see docs/queue.md). */
export const transferTargetSchema = z.union([
  z.strictObject({ counsellorId: idSchema }),
  z.strictObject({ association: associationSchema }),
]);

/** Only to a named colleague can a note be sent: nobody holds a key for "the line". */
export const chatTransferSchema = z.strictObject({ chatId: idSchema, to: transferTargetSchema, note: handoffNoteSchema.optional() });
export type ChatTransfer = z.infer<typeof chatTransferSchema>;

export const transferAnswerSchema = z.strictObject({ offerId: idSchema, accept: z.boolean() });
export type TransferAnswer = z.infer<typeof transferAnswerSchema>;

/** A colleague she may hand a chat to; her identity key is in the certificate, to be verified before use. */
export interface Colleague {
  counsellorId: string;
  alias: string;
  association: z.infer<typeof associationSchema>;
  languages: z.infer<typeof languageSchema>[];
  availability: 'available' | 'away';
  /** Capacity minus current chats, never below 0. */
  freeSlots: number;
  certificate: WireCertificateData;
}

export type TransferStarted =
  { kind: 'offered'; offerId: string; expiresInSeconds: number } | { kind: 'requeued'; association: z.infer<typeof associationSchema> };

/** To the named colleague: accept or decline with `transfer:answer` before it expires. */
export interface TransferOffer {
  offerId: string;
  /** The chat being handed over; bound into the note's signature. */
  chatId: string;
  from: { counsellorId: string; alias: string; association: z.infer<typeof associationSchema>; certificate: WireCertificateData };
  /** Categorical triage only, as in the line. */
  entry: QueueEntry;
  /** Sealed note (base64url), or null. */
  note: string | null;
  expiresInSeconds: number;
}

/** To the sender: what became of her offer. On 'accepted' her side of the chat ends ('transferred'). */
export interface TransferResult {
  chatId: string;
  offerId: string;
  outcome: 'accepted' | 'declined' | 'expired' | 'withdrawn';
  colleague: { alias: string };
}

/** To the colleague: the offer is no longer open (it expired, the sender withdrew it, or the chat ended). */
export interface TransferWithdrawn {
  offerId: string;
  reason: 'expired' | 'withdrawn' | 'ended';
}

export interface ChatRequeued {
  chatId: string;
  reason: 'no-reply' | 'counsellor-gone' | 'transfer';
  /** On a transfer to a counsellor of another association than she chose: accept that association's certificate. */
  association?: z.infer<typeof associationSchema>;
}

// ---------- end of the transfer block ----------

// ---------- the four maps ----------

export interface ClientToServerEvents {
  'resident:join': (payload: ResidentJoin, ack: Ack<JoinResult>) => void;
  'resident:resume': (payload: ResidentResume, ack: Ack<ResidentState>) => void;
  'resident:leave': (payload: ResidentLeave, ack: Ack<Record<string, never>>) => void;
  'resident:rekey': (payload: ResidentRekey, ack: Ack<Record<string, never>>) => void;
  'counsellor:status': (payload: CounsellorStatus, ack: Ack<Record<string, never>>) => void;
  'counsellor:profile': (payload: CounsellorProfileChange, ack: Ack<CounsellorShiftProfile>) => void;
  'counsellor:canned': (payload: Record<string, never>, ack: Ack<CounsellorCannedReplies>) => void;
  'counsellor:chats': (payload: Record<string, never>, ack: Ack<{ chats: CounsellorChat[] }>) => void;
  'queue:list': (payload: Record<string, never>, ack: Ack<{ entries: QueueEntry[] }>) => void;
  'queue:claim': (payload: QueueClaim, ack: Ack<ClaimResult>) => void;
  'chat:handshake': (payload: ChatHandshake, ack: Ack<Record<string, never>>) => void;
  'chat:send': (payload: ChatSend, ack: Ack<SendResult>) => void;
  'chat:read': (payload: ChatRead, ack: Ack<Record<string, never>>) => void;
  'chat:typing': (payload: ChatRef, ack: Ack<Record<string, never>>) => void;
  'chat:sync': (payload: ChatSync, ack: Ack<SyncResult>) => void;
  'chat:end': (payload: ChatEnd, ack: Ack<Record<string, never>>) => void;
  'counsellor:colleagues': (payload: Record<string, never>, ack: Ack<{ colleagues: Colleague[] }>) => void;
  'chat:transfer': (payload: ChatTransfer, ack: Ack<TransferStarted>) => void;
  'chat:transfer-cancel': (payload: ChatRef, ack: Ack<Record<string, never>>) => void;
  'transfer:answer': (payload: TransferAnswer, ack: Ack<{ accepted: boolean }>) => void;
}

export type ClientEventName = keyof ClientToServerEvents;

export interface ServerToClientEvents {
  'queue:position': (payload: QueuePosition) => void;
  'queue:changed': (payload: { entries: QueueEntry[] }) => void;
  'chat:assigned': (payload: { chatId: string; counsellor: CounsellorPublic }) => void;
  /** To the resident: her counsellor did not answer or vanished; she is back at the front of her class. Send `resident:rekey`. */
  'chat:requeued': (payload: ChatRequeued) => void;
  /** To a counsellor: the association assigns automatically and gave her this resident; answer the handshake. */
  'queue:assigned': (payload: ClaimResult) => void;
  'chat:handshake': (payload: HandshakeOffer) => void;
  'chat:message': (payload: RelayedMessage) => void;
  'chat:read': (payload: { chatId: string; seq: number }) => void;
  'chat:typing': (payload: { chatId: string }) => void;
  'chat:peer': (payload: { chatId: string; state: 'away' | 'back' }) => void;
  'chat:ended': (payload: ChatEnded) => void;
  'transfer:offer': (payload: TransferOffer) => void;
  'transfer:withdrawn': (payload: TransferWithdrawn) => void;
  'chat:transfer-result': (payload: TransferResult) => void;
  /** To an association's supervisors room: the live board, once per BOARD_INTERVAL_MS while someone watches. */
  'board:snapshot': (payload: BoardSnapshot) => void;
}

/** Node-to-node nudges through the adapter (workers send them through the Redis emitter too). */
export interface InterServerEvents {
  /** The line or the shift changed somewhere: recompute and push to local sockets. */
  'line:changed': () => void;
}

export type SocketData =
  | { role: 'resident'; ticketId: string | null }
  | {
      role: 'counsellor';
      counsellorId: string;
      /** For the audit log only (entries name people by username); residents see the alias. */
      username: string;
      association: z.infer<typeof associationSchema>;
      alias: string;
      sessionHash: string;
      languages: z.infer<typeof languageSchema>[];
      capacity: number;
    }
  | {
      /** Sees her association's board, team, policy and audit log; never a chat, a ciphertext or a resident. */
      role: 'supervisor';
      supervisorId: string;
      username: string;
      association: z.infer<typeof associationSchema>;
      alias: string;
      sessionHash: string;
    };

/** Schemas of every client event, so the edge can parse each one by name. */
export const clientEventSchemas = {
  'resident:join': residentJoinSchema,
  'resident:resume': residentResumeSchema,
  'resident:leave': residentLeaveSchema,
  'resident:rekey': residentRekeySchema,
  'counsellor:status': counsellorStatusSchema,
  'counsellor:profile': counsellorProfileSchema,
  'counsellor:canned': emptySchema,
  'counsellor:chats': emptySchema,
  'queue:list': emptySchema,
  'queue:claim': queueClaimSchema,
  'chat:handshake': chatHandshakeSchema,
  'chat:send': chatSendSchema,
  'chat:read': chatReadSchema,
  'chat:typing': chatRefSchema,
  'chat:sync': chatSyncSchema,
  'chat:end': chatEndSchema,
  'counsellor:colleagues': emptySchema,
  'chat:transfer': chatTransferSchema,
  'chat:transfer-cancel': chatRefSchema,
  'transfer:answer': transferAnswerSchema,
} as const satisfies Record<ClientEventName, z.ZodType>;

/** Which role may send which event; checked before the payload is even parsed. */
export const eventRoles: Readonly<Record<ClientEventName, 'resident' | 'counsellor' | 'both'>> = {
  'resident:join': 'resident',
  'resident:resume': 'resident',
  'resident:leave': 'resident',
  'resident:rekey': 'resident',
  'counsellor:status': 'counsellor',
  'counsellor:profile': 'counsellor',
  'counsellor:canned': 'counsellor',
  'counsellor:chats': 'counsellor',
  'queue:list': 'counsellor',
  'queue:claim': 'counsellor',
  'chat:handshake': 'counsellor',
  'chat:send': 'both',
  'chat:read': 'both',
  'chat:typing': 'both',
  'chat:sync': 'both',
  'chat:end': 'both',
  'counsellor:colleagues': 'counsellor',
  'chat:transfer': 'counsellor',
  'chat:transfer-cancel': 'counsellor',
  'transfer:answer': 'counsellor',
};
