// Explicit limits on sizes, counts and rates, shared by client and server so both sides refuse the same
// things. Documented in docs/protocol.md; change both together.

/** Plaintext is padded to one of these sizes before encryption (see crypto/padding.ts). */
export const PAD_BUCKETS = [256, 1024, 4096] as const;
/** AEAD tag length of XChaCha20-Poly1305. */
export const AEAD_TAG_BYTES = 16;
/** The only ciphertext lengths the relay accepts: padded bucket + tag. */
export const CIPHERTEXT_LENGTHS: readonly number[] = PAD_BUCKETS.map((b) => b + AEAD_TAG_BYTES);
export const NONCE_BYTES = 24;
export const KX_PUBLIC_KEY_BYTES = 32;
export const HANDSHAKE_NONCE_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const ED25519_PUBLIC_KEY_BYTES = 32;

/**
 * The only lengths of a sealed handoff note (crypto/handoff.ts): 48 bytes of sealed box, a 64-byte signature and
 * the note padded to 256 or 1024 bytes. Transfers only; the relay never sees more than which of the two it is.
 */
export const HANDOFF_NOTE_LENGTHS = [368, 1136] as const;
/**
 * `chat:transfer` per counsellor connection: bursts of this many, refilled at this many per minute. Each
 * offer alerts a colleague, so offering and withdrawing in a loop must not become a way to pester her.
 */
export const TRANSFERS_PER_MINUTE = 10;

/** Highest sequence number per direction in one chat; a chat longer than this must be restarted. */
export const MAX_SEQ = 9_999;
/** Largest Socket.IO message the server accepts (bytes); larger frames close the connection. */
export const MAX_HTTP_BUFFER_BYTES = 16 * 1024;
/** Longest JSON body accepted by the HTTP API. */
export const MAX_JSON_BODY = '8kb';
/** Messages returned by one `chat:sync`. */
export const MAX_SYNC_BATCH = 200;
/**
 * Longest free-text triage details (UTF-16 units, as a textarea's maxLength counts them). They never pass the
 * server in clear: the resident's page sends them as the first encrypted message: at most 1 500 bytes of
 * UTF-8, well inside the largest padding bucket.
 */
export const TRIAGE_DETAILS_MAX_CHARS = 500;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const ALIAS_MAX = 40;

/** Length of a base64url string (no padding) encoding `bytes` bytes. */
export function b64Length(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}
