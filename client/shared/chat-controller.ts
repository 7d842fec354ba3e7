// One end-to-end encrypted chat, shared by the resident page and the console: seals and resends envelopes,
// opens incoming ones strictly in order (syncing over gaps), tracks delivery, typing and read receipts.
import type * as Crypto from '../../crypto/index.ts';
import type { ChatSession } from '../../crypto/index.ts';
import type { Direction, RelayedMessage, SyncResult } from '../../protocol/events.ts';
import { MAX_SEQ, MAX_SYNC_BATCH, PAD_BUCKETS } from '../../protocol/limits.ts';
import { decodeFrame, encodeFrame, type MessageKind } from './message-frame.ts';
import { Store } from './store.ts';
import { isRetryable, type TransportError } from './request-result.ts';
import type { Transport } from './transport.ts';

/** Only what this module needs from crypto/, injected so the resident page can load crypto lazily. */
export type ChatCodec = Pick<typeof Crypto, 'toB64' | 'fromB64' | 'CryptoError'>;

export type OwnState = 'sending' | 'sent' | 'delivered' | 'failed';

export type ChatItem =
  | { kind: 'message'; id: string; from: 'me'; seq: number; text: string; state: OwnState; details?: true }
  /** `details`: what the resident wrote on the triage screen, sent as her first message (the console pins it). */
  | { kind: 'message'; id: string; from: 'them'; seq: number; text: string; details?: true }
  /** A message that failed authentication: never displayed, only reported. */
  | { kind: 'tampered'; id: string; seq: number };

export interface ChatSnapshot {
  chatId: string;
  items: readonly ChatItem[];
  /** The peer is typing (cleared after TYPING_SHOW_MS without a new signal, or when her message arrives). */
  typing: boolean;
  peer: 'present' | 'away';
  /** Messages from the peer not yet marked read by this side. */
  unread: number;
  /** Keys wiped: nothing can be sent or opened any more. */
  closed: boolean;
}

export type SendRefusal = 'empty' | 'too-long' | 'too-many' | 'closed';

export const TYPING_SHOW_MS = 4_000;
export const TYPING_SEND_EVERY_MS = 2_000;
const SYNC_RETRY_MS = 3_000;
/** The largest padding bucket minus the one byte the padding marker takes (crypto/padding.ts). */
export const MAX_MESSAGE_BYTES = PAD_BUCKETS[PAD_BUCKETS.length - 1]! - 1;

/** Envelope as it goes on the wire; kept verbatim so a resend is byte-identical (never sealed twice). */
interface WireEnvelope {
  seq: number;
  nonce: string;
  ciphertext: string;
}

type OpenOutcome = 'opened' | 'duplicate' | 'gap' | 'tampered';

export interface ChatControllerOptions {
  chatId: string;
  session: ChatSession;
  transport: Transport;
  codec: ChatCodec;
  /** Highest own seq the peer has already read (from resume / counsellor:chats), -1 if none. */
  peerRead?: number;
  /** Whether a message opened right now counts as read (page visible, tab selected). */
  isReading: () => boolean;
}

export class ChatController {
  readonly chatId: string;
  readonly store: Store<ChatSnapshot>;
  readonly #session: ChatSession;
  readonly #transport: Transport;
  readonly #codec: ChatCodec;
  readonly #isReading: () => boolean;
  readonly #recvDirection: Direction;

  /** Own messages the server has not acknowledged yet, by seq. */
  readonly #outbox = new Map<number, WireEnvelope>();
  #pumping = false;
  #outOfOrderSeq: number | null = null;
  #syncing = false;
  #syncAgain = false;
  #peerRead: number;
  /** Highest peer seq opened, and the highest we told the server we read. */
  #lastOpened = -1;
  #lastReadSent = -1;
  #lastTypingSent = 0;
  #typingTimer: ReturnType<typeof setTimeout> | undefined;
  #syncRetryTimer: ReturnType<typeof setTimeout> | undefined;
  #closed = false;

  constructor(options: ChatControllerOptions) {
    this.chatId = options.chatId;
    this.#session = options.session;
    this.#transport = options.transport;
    this.#codec = options.codec;
    this.#isReading = options.isReading;
    this.#peerRead = options.peerRead ?? -1;
    this.#recvDirection = options.session.role === 'resident' ? 'c2r' : 'r2c';
    this.store = new Store<ChatSnapshot>({
      chatId: this.chatId,
      items: [],
      typing: false,
      peer: 'present',
      unread: 0,
      closed: false,
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  // ---------- sending ----------

  send(text: string): SendRefusal | null {
    return this.#sendFrame('text', text);
  }

  /**
   * The resident's free-text triage details, end-to-end encrypted like any message but marked, so the
   * counsellor's console shows them pinned above the chat. Sent once, first, right after the handshake.
   */
  sendTriageDetails(text: string): SendRefusal | null {
    return this.#sendFrame('triage-details', text);
  }

  #sendFrame(kind: MessageKind, text: string): SendRefusal | null {
    if (this.#closed) return 'closed';
    if (text.trim() === '') return 'empty';
    const frame = encodeFrame(kind, text);
    if (frame.length > MAX_MESSAGE_BYTES) {
      frame.fill(0);
      return 'too-long';
    }
    if (this.#session.nextSendSeq > MAX_SEQ) return 'too-many';
    let env: Crypto.Envelope;
    try {
      env = this.#session.seal(frame);
    } catch (err) {
      if (err instanceof this.#codec.CryptoError) return err.code === 'TOO_LARGE' ? 'too-long' : 'closed';
      throw err;
    } finally {
      frame.fill(0);
    }
    const wire: WireEnvelope = {
      seq: env.seq,
      nonce: this.#codec.toB64(env.nonce),
      ciphertext: this.#codec.toB64(env.ciphertext),
    };
    this.#outbox.set(wire.seq, wire);
    // Her message clears the peer's "typing…"; the next keystroke must be able to signal again at once.
    this.#lastTypingSent = 0;
    const item: ChatItem = { kind: 'message', id: `me:${wire.seq}`, from: 'me', seq: wire.seq, text, state: 'sending' };
    this.#addItem(kind === 'triage-details' ? { ...item, details: true } : item);
    // A new message cannot be stored before the failed ones ahead of it, so sending it retries them too.
    this.#requeueFailed();
    void this.#pump();
    return null;
  }

  /** Retry button: resend every failed message, in order, as the identical envelopes. */
  retry(): void {
    if (this.#closed) return;
    this.#requeueFailed();
    void this.#pump();
  }

  /** She is typing: tell the peer, at most every TYPING_SEND_EVERY_MS. */
  noteTyping(): void {
    if (this.#closed) return;
    const now = Date.now();
    if (now - this.#lastTypingSent < TYPING_SEND_EVERY_MS) return;
    this.#lastTypingSent = now;
    this.#transport.fire('chat:typing', { chatId: this.chatId });
  }

  /** Sends one envelope at a time, lowest seq first: the server refuses a seq before its predecessor. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (!this.#closed && this.#transport.connected) {
        const next = this.#nextToSend();
        if (next === undefined) break;
        const res = await this.#transport.request('chat:send', { chatId: this.chatId, ...next });
        if (this.#closed) return;
        if (res.ok) {
          this.#outOfOrderSeq = null;
          this.#acknowledge(next.seq);
          continue;
        }
        this.#failFrom(next.seq);
        // The server holds a different idea of our sequence: let a sync reconcile (it reports nextOwnSeq).
        // Once per seq only, or a server that keeps refusing would have us send and sync in a loop.
        if (res.error.code === 'OUT_OF_ORDER' && this.#outOfOrderSeq !== next.seq) {
          this.#outOfOrderSeq = next.seq;
          void this.resync();
        }
        break;
      }
    } finally {
      this.#pumping = false;
    }
  }

  #nextToSend(): WireEnvelope | undefined {
    let lowest: WireEnvelope | undefined;
    for (const env of this.#outbox.values()) {
      if (this.#ownState(env.seq) !== 'sending') continue;
      if (lowest === undefined || env.seq < lowest.seq) lowest = env;
    }
    return lowest;
  }

  #acknowledge(seq: number): void {
    this.#outbox.delete(seq);
    this.#setOwnState(seq, seq <= this.#peerRead ? 'delivered' : 'sent');
  }

  /** This message failed; later ones cannot be stored before it, so they fail with it. */
  #failFrom(seq: number): void {
    for (const s of this.#outbox.keys()) if (s >= seq) this.#setOwnState(s, 'failed');
  }

  #requeueFailed(): void {
    for (const s of this.#outbox.keys()) if (this.#ownState(s) === 'failed') this.#setOwnState(s, 'sending');
  }

  // ---------- receiving ----------

  receive(msg: RelayedMessage): void {
    if (this.#closed || msg.chatId !== this.chatId || msg.direction !== this.#recvDirection) return;
    const outcome = this.#open(msg);
    if (outcome === 'gap') void this.resync();
    // A tampered live copy may have been injected in transit; the stored copy could still be genuine.
    if (outcome === 'tampered') void this.resync();
    this.#afterOpening();
  }

  /** Receipt from the peer: she has read our messages up to and including seq. */
  peerHasRead(seq: number): void {
    if (this.#closed || !Number.isSafeInteger(seq) || seq <= this.#peerRead) return;
    this.#peerRead = seq;
    for (const item of this.store.get().items) {
      if (item.kind === 'message' && item.from === 'me' && item.seq <= seq && item.state !== 'delivered') {
        // If she read it, the server had it, whatever happened to our acknowledgement.
        this.#outbox.delete(item.seq);
        this.#setOwnState(item.seq, 'delivered');
      }
    }
  }

  peerTyping(): void {
    if (this.#closed) return;
    clearTimeout(this.#typingTimer);
    this.#typingTimer = setTimeout(() => this.#patch({ typing: false }), TYPING_SHOW_MS);
    this.#patch({ typing: true });
  }

  peerPresence(state: 'away' | 'back'): void {
    if (this.#closed) return;
    this.#patch({ peer: state === 'away' ? 'away' : 'present' });
  }

  /** Tell the server we read everything opened so far (the view calls this when she can see the chat). */
  markRead(): void {
    if (this.#closed) return;
    if (this.store.get().unread !== 0) this.#patch({ unread: 0 });
    if (this.#lastOpened > this.#lastReadSent && this.#transport.connected) {
      this.#lastReadSent = this.#lastOpened;
      this.#transport.fire('chat:read', { chatId: this.chatId, seq: this.#lastOpened });
    }
  }

  #open(msg: RelayedMessage): OpenOutcome {
    const { CryptoError, fromB64 } = this.#codec;
    let frame: ReturnType<typeof decodeFrame>;
    try {
      const bytes = this.#session.open({ seq: msg.seq, nonce: fromB64(msg.nonce), ciphertext: fromB64(msg.ciphertext) });
      try {
        frame = decodeFrame(bytes);
      } catch {
        // Authentic but not UTF-8: a broken client; shown like a forged message, never as mojibake.
        this.#reportTampered(msg.seq);
        return 'tampered';
      } finally {
        bytes.fill(0);
      }
    } catch (err) {
      if (!(err instanceof CryptoError)) throw err;
      switch (err.code) {
        case 'REPLAY':
        case 'CLOSED':
          return 'duplicate';
        case 'OUT_OF_ORDER':
          return 'gap';
        default:
          // DECRYPT_FAILED, BAD_LENGTH, BAD_ENCODING: altered or forged; report it once, show nothing of it.
          this.#reportTampered(msg.seq);
          return 'tampered';
      }
    }
    this.#lastOpened = msg.seq;
    const s = this.store.get();
    const item: ChatItem = { kind: 'message', id: `them:${msg.seq}`, from: 'them', seq: msg.seq, text: frame.text };
    this.#patch({
      items: [...s.items, frame.kind === 'triage-details' ? { ...item, details: true } : item],
      typing: false,
      unread: s.unread + 1,
    });
    clearTimeout(this.#typingTimer);
    return 'opened';
  }

  #reportTampered(seq: number): void {
    const id = `tampered:${seq}`;
    if (this.store.get().items.some((i) => i.id === id)) return;
    this.#addItem({ kind: 'tampered', id, seq });
  }

  #afterOpening(): void {
    if (this.#isReading()) this.markRead();
  }

  // ---------- reconnect ----------

  /**
   * Fetches what the peer sent from our next expected seq, opens it in order, applies her read receipts and
   * resends our own unacknowledged envelopes. Called on reconnect and whenever a gap shows up.
   */
  async resync(): Promise<void> {
    if (this.#closed) return;
    if (this.#syncing) {
      this.#syncAgain = true;
      return;
    }
    this.#syncing = true;
    try {
      do {
        this.#syncAgain = false;
        const from = this.#session.nextRecvSeq;
        const res = await this.#transport.request('chat:sync', { chatId: this.chatId, from });
        if (this.#closed) return;
        if (!res.ok) {
          this.#syncFailed(res.error);
          break;
        }
        this.#applySync(res.data);
        const full = res.data.messages.length >= MAX_SYNC_BATCH;
        // Stop when nothing moved: an undecryptable stored message would otherwise be fetched forever.
        if (this.#session.nextRecvSeq === from) break;
        if (full) this.#syncAgain = true;
      } while (this.#syncAgain && !this.#closed);
    } finally {
      this.#syncing = false;
    }
    if (this.#closed) return;
    this.#afterOpening();
    void this.#pump();
  }

  #syncFailed(error: TransportError): void {
    // Offline: the reconnect will sync. Not retryable (NOT_FOUND, FORBIDDEN): the chat is gone, and the
    // server announces that with chat:ended. A timeout while online is worth another try shortly.
    if (error.code !== 'TIMEOUT' && !(isRetryable(error) && this.#transport.connected)) return;
    clearTimeout(this.#syncRetryTimer);
    this.#syncRetryTimer = setTimeout(() => void this.resync(), SYNC_RETRY_MS);
  }

  #applySync(data: SyncResult): void {
    const ordered = [...data.messages]
      .filter((m) => m.chatId === this.chatId && m.direction === this.#recvDirection)
      .sort((a, b) => a.seq - b.seq);
    for (const msg of ordered) {
      if (this.#open(msg) === 'gap') break;
    }
    this.peerHasRead(data.peerRead);
    this.#reconcileOutbox(data.nextOwnSeq);
  }

  /** The server holds our messages below nextOwnSeq; everything from there on is resent, if contiguous. */
  #reconcileOutbox(nextOwnSeq: number): void {
    if (!Number.isSafeInteger(nextOwnSeq)) return;
    for (const seq of [...this.#outbox.keys()]) if (seq < nextOwnSeq) this.#acknowledge(seq);
    const pending = [...this.#outbox.keys()].sort((a, b) => a - b);
    if (pending.length === 0) return;
    if (pending[0] === nextOwnSeq) {
      for (const seq of pending) this.#setOwnState(seq, 'sending');
    } else {
      // A hole the server cannot fill: resending would be refused forever, so show them failed instead.
      for (const seq of pending) this.#setOwnState(seq, 'failed');
    }
  }

  // ---------- teardown ----------

  /** Stops timers, drops the outbox and wipes the session keys; false if that already happened. */
  #wipe(): boolean {
    if (this.#closed) return false;
    this.#closed = true;
    clearTimeout(this.#typingTimer);
    clearTimeout(this.#syncRetryTimer);
    this.#outbox.clear();
    this.#session.close();
    return true;
  }

  /** Wipes the session keys and drops every message; idempotent. */
  close(): void {
    if (!this.#wipe()) return;
    this.store.set({ chatId: this.chatId, items: [], typing: false, peer: 'present', unread: 0, closed: true });
  }

  /** Wipes the keys but leaves the transcript on screen (console: she may still need to read the last line). */
  closeKeepingTranscript(): void {
    if (!this.#wipe()) return;
    const s = this.store.get();
    const items = s.items.map((i) =>
      i.kind === 'message' && i.from === 'me' && (i.state === 'sending' || i.state === 'failed') ? { ...i, state: 'failed' as const } : i,
    );
    this.store.set({ ...s, items, typing: false, closed: true });
  }

  // ---------- snapshot helpers ----------

  #ownState(seq: number): OwnState | undefined {
    for (const item of this.store.get().items) {
      if (item.kind === 'message' && item.from === 'me' && item.seq === seq) return item.state;
    }
    return undefined;
  }

  #setOwnState(seq: number, state: OwnState): void {
    const s = this.store.get();
    let changed = false;
    const items = s.items.map((item) => {
      if (item.kind !== 'message' || item.from !== 'me' || item.seq !== seq || item.state === state) return item;
      // Delivered is final: a late acknowledgement must not turn it back into "sent".
      if (item.state === 'delivered') return item;
      changed = true;
      return { ...item, state };
    });
    if (changed) this.#patch({ items });
  }

  #addItem(item: ChatItem): void {
    this.#patch({ items: [...this.store.get().items, item] });
  }

  #patch(partial: Partial<ChatSnapshot>): void {
    if (this.#closed && partial.closed !== true) return;
    this.store.set({ ...this.store.get(), ...partial });
  }
}
