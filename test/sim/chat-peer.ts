// One side of an encrypted chat for headless bots: seals and sends with acknowledgements, resends identical
// envelopes after a reconnect, opens incoming messages in order, drops duplicates, fills gaps with chat:sync.
import type { Socket } from 'socket.io-client';
import { ChatSession, CryptoError, fromB64, toB64, type Envelope, type SessionKeys } from '../../crypto/index.ts';
import type { AckResult, ClientToServerEvents, RelayedMessage, ServerToClientEvents, SyncResult } from '../../protocol/index.ts';

export type BotSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Received {
  seq: number;
  text: string;
  at: number;
}

export class AckError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'AckError';
  }
}

/** Emits with an ack and a timeout; resolves the data or throws AckError. */
export async function call<T>(socket: BotSocket, event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
  const res = (await (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<AckResult<T>> }).emitWithAck(
    event,
    payload,
  )) as AckResult<T>;
  if (!res.ok) throw new AckError(res.error.code, res.error.message);
  return res.data;
}

export class ChatPeer {
  readonly session: ChatSession;
  readonly received: Received[] = [];
  readonly sentAt = new Map<number, number>();
  /** Envelopes sent but not yet acknowledged by the server; resent verbatim after a reconnect. */
  private readonly unacked = new Map<number, Envelope>();
  decryptFailures = 0;
  duplicatesDropped = 0;
  peerRead = -1;
  private syncing: Promise<void> | null = null;
  private readonly listeners: ((r: Received) => void)[] = [];

  constructor(
    private readonly socket: BotSocket,
    readonly chatId: string,
    role: 'resident' | 'counsellor',
    keys: SessionKeys,
  ) {
    this.session = new ChatSession(chatId, role, keys);
  }

  onMessage(fn: (r: Received) => void): void {
    this.listeners.push(fn);
  }

  async send(text: string): Promise<{ seq: number; duplicate: boolean }> {
    const env = this.session.seal(text);
    this.unacked.set(env.seq, env);
    this.sentAt.set(env.seq, Date.now());
    return this.push(env);
  }

  private async push(env: Envelope): Promise<{ seq: number; duplicate: boolean }> {
    const res = await call<{ seq: number; duplicate: boolean }>(this.socket, 'chat:send', {
      chatId: this.chatId,
      seq: env.seq,
      nonce: toB64(env.nonce),
      ciphertext: toB64(env.ciphertext),
    });
    this.unacked.delete(env.seq);
    return res;
  }

  /** After a reconnect: fetch what we missed, then resend what the server never acknowledged. */
  async resume(): Promise<void> {
    await this.sync();
    for (const env of [...this.unacked.values()].sort((a, b) => a.seq - b.seq)) await this.push(env);
  }

  get pendingCount(): number {
    return this.unacked.size;
  }

  async handleIncoming(m: RelayedMessage): Promise<void> {
    if (m.chatId !== this.chatId) return;
    if (m.seq > this.session.nextRecvSeq) return this.sync();
    this.openOne(m);
  }

  private openOne(m: RelayedMessage): void {
    try {
      const text = this.session.openText({ seq: m.seq, nonce: fromB64(m.nonce, 24), ciphertext: fromB64(m.ciphertext) });
      const r = { seq: m.seq, text, at: Date.now() };
      this.received.push(r);
      this.listeners.forEach((fn) => fn(r));
      void call(this.socket, 'chat:read', { chatId: this.chatId, seq: m.seq }).catch(() => undefined);
    } catch (err) {
      if (err instanceof CryptoError && err.code === 'REPLAY') this.duplicatesDropped++;
      else if (err instanceof CryptoError && err.code === 'OUT_OF_ORDER') void this.sync();
      else this.decryptFailures++;
    }
  }

  async sync(): Promise<void> {
    this.syncing ??= (async () => {
      try {
        const res = await call<SyncResult>(this.socket, 'chat:sync', { chatId: this.chatId, from: this.session.nextRecvSeq });
        this.peerRead = Math.max(this.peerRead, res.peerRead);
        for (const m of res.messages) this.openOne(m);
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  close(): void {
    if (!this.session.closed) this.session.close();
  }
}
