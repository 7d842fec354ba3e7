// Headless resident and counsellor bots speaking the real protocol and crypto over real Socket.IO
// connections. They drive the integration tests and the simulator (`npm run simulate`).
import { io } from 'socket.io-client';
import {
  certificateFromWire,
  counsellorRespond,
  createResidentHandshake,
  fromB64,
  residentComplete,
  sodiumReady,
  toB64,
  wipeResidentHandshake,
  type ResidentHandshake,
} from '../../crypto/index.ts';
import { derivePasswordKeys, sumoReady, unwrapSecret } from '../../crypto/keywrap.ts';
import {
  urgencyOf,
  type ClaimResult,
  type EndReason,
  type HandshakeOffer,
  type JoinResult,
  type QueueEntry,
  type QueuePosition,
  type ResidentState,
  type Triage,
} from '../../protocol/index.ts';
import { authenticatorFor, type Authenticator } from './authenticator.ts';
import { call, ChatPeer, type BotSocket } from './chat-peer.ts';
import {
  certificateFromWire as certFromWire,
  openHandoffNote,
  sealHandoffNote,
  toB64 as b64,
  verifyCertificate,
  type SessionKeys,
} from '../../crypto/index.ts';
import type { Colleague, TransferOffer, TransferResult, TransferStarted, TransferWithdrawn } from '../../protocol/index.ts';

export interface Pins {
  [association: string]: Uint8Array;
}

export function decodePins(pins: Record<string, string>): Pins {
  return Object.fromEntries(Object.entries(pins).map(([k, v]) => [k, fromB64(v, 32)]));
}

function connect(url: string, auth: Record<string, string>): BotSocket {
  return io(url, { transports: ['websocket'], auth, reconnectionDelay: 100, reconnectionDelayMax: 500, forceNew: true });
}

function once<T>(socket: BotSocket, event: string, timeoutMs = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${event}`)), timeoutMs);
    (socket as unknown as { once(e: string, f: (p: T) => void): void }).once(event, (p: T) => {
      clearTimeout(timer);
      resolve(p);
    });
  });
}

export const DEFAULT_TRIAGE: Triage = { danger: 'no', canWrite: 'yes', topics: [], language: 'it', association: 'either' };

export class ResidentBot {
  readonly socket: BotSocket;
  private hs: ResidentHandshake | null = null;
  ticket: JoinResult | null = null;
  peer: ChatPeer | null = null;
  offer: HandshakeOffer | null = null;
  positions: QueuePosition[] = [];
  requeues: { chatId: string; reason: string }[] = [];
  ended: EndReason | null = null;
  joinedAt = 0;
  chatAt = 0;
  private chatReady!: Promise<ChatPeer>;
  private resolveChat!: (p: ChatPeer) => void;
  private rejectChat!: (e: Error) => void;

  private armChat(): void {
    this.chatReady = new Promise((res, rej) => {
      this.resolveChat = res;
      this.rejectChat = rej;
    });
    this.chatReady.catch(() => undefined);
  }

  constructor(
    readonly url: string,
    private readonly pins: Pins,
    readonly triage: Triage = DEFAULT_TRIAGE,
  ) {
    this.socket = connect(url, {});
    this.armChat();
    this.socket.on('queue:position', (p) => this.positions.push(p));
    this.socket.on('chat:requeued', (r) => void this.rekey(r));
    this.socket.on('chat:handshake', (offer) => this.complete(offer));
    this.socket.on('chat:message', (m) => void this.peer?.handleIncoming(m));
    this.socket.on('chat:read', (r) => {
      if (this.peer) this.peer.peerRead = Math.max(this.peer.peerRead, r.seq);
    });
    this.socket.on('chat:ended', (e) => {
      this.ended = e.reason;
      this.wipe();
    });
    this.socket.io.on('reconnect', () => void this.resume());
  }

  /** Joins; by default resolves once the triage worker has placed her in the line (first position event). */
  async join(opts: { waitForPosition?: boolean } = {}): Promise<JoinResult> {
    await sodiumReady();
    this.hs = createResidentHandshake();
    this.joinedAt = Date.now();
    const placed = new Promise<QueuePosition>((resolve) => this.socket.once('queue:position', resolve));
    this.ticket = await call<JoinResult>(this.socket, 'resident:join', {
      triage: this.triage,
      kxPublicKey: toB64(this.hs.kxPublicKey),
      nonce: toB64(this.hs.nonce),
    });
    if (opts.waitForPosition !== false) {
      const p = await Promise.race([placed, new Promise<null>((r) => setTimeout(() => r(null), 15_000))]);
      if (!p) throw new Error('resident: no position within 15 s of joining (is a triage worker running?)');
    }
    return this.ticket;
  }

  get urgency(): number {
    return urgencyOf(this.triage);
  }

  /** Associations whose counsellors she accepts beyond her choice: a transfer to the other one adds it. */
  readonly alsoAccepted = new Set<string>();
  /** Tests of the reserved claim hold her fresh keys back until they call rekeyNow(). */
  holdRekey = false;
  private heldRekey: (() => Promise<void>) | null = null;

  async rekeyNow(): Promise<void> {
    const go = this.heldRekey;
    this.heldRekey = null;
    await go?.();
  }

  /** Her counsellor did not answer, vanished, or transferred her: fresh keys, for the next counsellor. */
  private async rekey(r: { chatId: string; reason: string; association?: string }): Promise<void> {
    this.requeues.push(r);
    if (r.reason === 'transfer' && r.association) this.alsoAccepted.add(r.association);
    if (this.hs) wipeResidentHandshake(this.hs);
    this.peer?.close();
    this.peer = null;
    this.offer = null;
    this.armChat();
    this.hs = createResidentHandshake();
    const hs = this.hs;
    const send = () =>
      call(this.socket, 'resident:rekey', { kxPublicKey: toB64(hs.kxPublicKey), nonce: toB64(hs.nonce) }).then(
        () => undefined,
        () => undefined,
      );
    if (this.holdRekey) this.heldRekey = send;
    else await send();
  }

  /** Resolves once the counsellor's certificate and signature verified and the session keys exist. */
  waitForChat(timeoutMs = 20_000): Promise<ChatPeer> {
    return Promise.race([
      this.chatReady,
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('resident: no chat in time')), timeoutMs)),
    ]);
  }

  private complete(offer: HandshakeOffer): void {
    if (!this.hs || this.peer) return;
    try {
      const accepted = this.triage.association === 'either' ? ['telefono-donna', 'ebano'] : [this.triage.association, ...this.alsoAccepted];
      const keys = residentComplete(this.hs, {
        chatId: offer.chatId,
        counsellorKxPublicKey: fromB64(offer.kxPublicKey, 32),
        signature: fromB64(offer.signature, 64),
        certificate: certificateFromWire(offer.certificate),
        pinned: this.pins,
        acceptedAssociations: accepted,
        now: Date.now(),
        revocations: offer.revocations,
      });
      this.offer = offer;
      this.peer = new ChatPeer(this.socket, offer.chatId, 'resident', keys);
      this.chatAt = Date.now();
      this.resolveChat(this.peer);
    } catch (err) {
      this.rejectChat(err as Error);
    }
  }

  private async resume(): Promise<void> {
    if (!this.ticket) return;
    try {
      const state = await call<ResidentState>(this.socket, 'resident:resume', { resumeToken: this.ticket.resumeToken });
      if (state.state === 'active') {
        if (!this.peer) this.complete(state.handshake);
        await this.peer?.resume();
      }
    } catch {
      // ended while away: chat:ended or a NOT_FOUND tells the test
    }
  }

  async leave(reason: 'ended' | 'exit' | 'abandon'): Promise<void> {
    await call(this.socket, 'resident:leave', { reason });
    this.wipe();
  }

  private wipe(): void {
    this.peer?.close();
    if (this.hs) wipeResidentHandshake(this.hs);
  }

  close(): void {
    this.wipe();
    this.socket.close();
  }
}

export interface CounsellorLogin {
  token: string;
  counsellor: { id: string; username: string; alias: string; association: string; role: string; capacity: number };
  wrappedIdentityKey: { nonce: string; ciphertext: string };
  identityPublicKey: string;
  certificate: unknown;
}

/**
 * Signs in as her console does: Argon2id on the password, the authentication key and a second factor sent, the
 * identity key unwrapped. `second` is a code (TOTP or recovery), an authenticator, or omitted to use the one
 * registered for the username (test/support/cluster.ts registers one per counsellor it creates).
 */
export async function login(
  url: string,
  username: string,
  password: string,
  second?: string | Authenticator,
): Promise<{ login: CounsellorLogin; identitySecretKey: Uint8Array }> {
  await sumoReady();
  const post = async (path: string, body: unknown) => {
    const res = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`login ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const authenticator = typeof second === 'string' ? null : (second ?? authenticatorFor(username));
  if (second === undefined && !authenticator)
    throw new Error(`login: no second factor for ${username}; pass a code or register an Authenticator`);
  const { kdf } = (await post('/api/auth/params', { username })) as { kdf: Parameters<typeof derivePasswordKeys>[1] };
  const { authKey, wrapKey } = derivePasswordKeys(password, kdf);
  // Taken after Argon2id, so the code is as fresh as possible when it arrives.
  const totp = typeof second === 'string' ? second : authenticator!.next();
  try {
    const result = (await post('/api/auth/login', { username, authKey: toB64(authKey), totp })) as unknown as CounsellorLogin;
    const identitySecretKey = unwrapSecret(result.wrappedIdentityKey, wrapKey, `identity:${result.counsellor.id}`);
    return { login: result, identitySecretKey };
  } finally {
    wrapKey.fill(0);
    authKey.fill(0);
  }
}

export class CounsellorBot {
  readonly socket: BotSocket;
  readonly chats = new Map<string, ChatPeer>();
  readonly ended = new Map<string, EndReason>();
  readonly peerStates: { chatId: string; state: 'away' | 'back' }[] = [];
  line: QueueEntry[] = [];
  readonly assigned: ClaimResult[] = [];
  /** When the association assigns automatically: answer the handshake of every chat given to her. */
  autoAnswer = true;
  /** Transfer offers made to her, what became of the ones she made, and offers withdrawn from her. */
  readonly offers: TransferOffer[] = [];
  readonly transferResults: TransferResult[] = [];
  readonly withdrawnOffers: TransferWithdrawn[] = [];
  /** Copies of each chat's session keys, kept only when a test asks (to prove the old keys open nothing new). */
  readonly keyCopies = new Map<string, SessionKeys>();
  keepKeyCopies = false;

  private constructor(
    readonly url: string,
    readonly session: CounsellorLogin,
    private readonly identitySecretKey: Uint8Array,
  ) {
    this.socket = connect(url, { token: session.token });
    this.socket.on('chat:message', (m) => void this.chats.get(m.chatId)?.handleIncoming(m));
    this.socket.on('queue:changed', (q) => (this.line = q.entries));
    this.socket.on('queue:assigned', (claim) => {
      this.assigned.push(claim);
      if (this.autoAnswer) void this.answer(claim).catch(() => undefined);
    });
    this.socket.on('chat:peer', (p) => this.peerStates.push(p));
    this.socket.on('transfer:offer', (o) => this.offers.push(o));
    this.socket.on('chat:transfer-result', (r) => this.transferResults.push(r));
    this.socket.on('transfer:withdrawn', (w) => this.withdrawnOffers.push(w));
    this.socket.on('chat:read', (r) => {
      const c = this.chats.get(r.chatId);
      if (c) c.peerRead = Math.max(c.peerRead, r.seq);
    });
    this.socket.on('chat:ended', (e) => {
      this.ended.set(e.chatId, e.reason);
      this.chats.get(e.chatId)?.close();
    });
    this.socket.io.on('reconnect', () => {
      void call(this.socket, 'counsellor:chats', {})
        .then(() => Promise.all([...this.chats.values()].map((c) => c.resume())))
        .catch(() => undefined);
    });
  }

  static async connect(url: string, username: string, password: string, second?: string | Authenticator): Promise<CounsellorBot> {
    await sodiumReady();
    const { login: l, identitySecretKey } = await login(url, username, password, second);
    const bot = new CounsellorBot(url, l, identitySecretKey);
    await new Promise<void>((resolve, reject) => {
      bot.socket.once('connect', () => resolve());
      bot.socket.once('connect_error', (e) => reject(e));
    });
    return bot;
  }

  get id(): string {
    return this.session.counsellor.id;
  }

  /** Claims a resident (a specific one, or the next) and completes the handshake. */
  async claim(ticketId?: string): Promise<ChatPeer> {
    const claim = await call<ClaimResult>(this.socket, 'queue:claim', ticketId ? { ticketId } : {});
    return this.answer(claim);
  }

  async answer(claim: ClaimResult): Promise<ChatPeer> {
    const r = counsellorRespond({
      chatId: claim.chatId,
      residentKxPublicKey: fromB64(claim.residentKxPublicKey, 32),
      residentNonce: fromB64(claim.residentNonce, 32),
      identitySecretKey: this.identitySecretKey,
    });
    // ChatSession wipes the very arrays it is given; the copy survives for the test that tries them later.
    if (this.keepKeyCopies) this.keyCopies.set(claim.chatId, { rx: r.keys.rx.slice(), tx: r.keys.tx.slice() });
    const peer = new ChatPeer(this.socket, claim.chatId, 'counsellor', r.keys);
    this.chats.set(claim.chatId, peer);
    await call(this.socket, 'chat:handshake', { chatId: claim.chatId, kxPublicKey: toB64(r.kxPublicKey), signature: toB64(r.signature) });
    return peer;
  }

  async setAvailability(availability: 'available' | 'away'): Promise<void> {
    await call(this.socket, 'counsellor:status', { availability });
  }

  // ---------- transfer ----------

  async colleagues(): Promise<Colleague[]> {
    return (await call<{ colleagues: Colleague[] }>(this.socket, 'counsellor:colleagues', {})).colleagues;
  }

  /**
   * Offers a chat to a colleague (with a note sealed to her key, taken from her certificate once it verifies
   * against the pinned association keys, as the console does), or hands it to an association's line.
   */
  async transfer(
    chatId: string,
    to: { colleague: Colleague; note?: string; pins?: Pins } | { association: string },
  ): Promise<TransferStarted> {
    if ('association' in to) return call<TransferStarted>(this.socket, 'chat:transfer', { chatId, to: { association: to.association } });
    const payload: Record<string, unknown> = { chatId, to: { counsellorId: to.colleague.counsellorId } };
    if (to.note !== undefined) {
      if (!to.pins) throw new Error('transfer: a note needs the pinned keys to check her certificate');
      const cert = certFromWire(to.colleague.certificate);
      verifyCertificate(cert, to.pins, ['telefono-donna', 'ebano'], Date.now());
      if (cert.counsellorId !== to.colleague.counsellorId) throw new Error('transfer: certificate names someone else');
      const sealed = sealHandoffNote({
        text: to.note,
        chatId,
        senderIdentitySecretKey: this.identitySecretKey,
        recipientIdentityPublicKey: cert.identityPublicKey,
      });
      payload.note = { ciphertext: b64(sealed) };
    }
    return call<TransferStarted>(this.socket, 'chat:transfer', payload);
  }

  async answerOffer(offerId: string, accept: boolean): Promise<{ accepted: boolean }> {
    return call<{ accepted: boolean }>(this.socket, 'transfer:answer', { offerId, accept });
  }

  /** The handoff note of an offer made to her, after checking the sender's certificate and signature. */
  openNote(offer: TransferOffer, pins: Pins): string | null {
    if (offer.note === null) return null;
    const cert = certFromWire(offer.from.certificate);
    verifyCertificate(cert, pins, ['telefono-donna', 'ebano'], Date.now());
    return openHandoffNote({
      sealed: fromB64(offer.note),
      chatId: offer.chatId,
      recipientIdentitySecretKey: this.identitySecretKey,
      senderIdentityPublicKey: cert.identityPublicKey,
    });
  }

  async end(chatId: string): Promise<void> {
    await call(this.socket, 'chat:end', { chatId, outcome: 'information' });
    this.chats.get(chatId)?.close();
  }

  close(): void {
    for (const k of this.keyCopies.values()) [k.rx, k.tx].forEach((b) => b.fill(0));
    for (const c of this.chats.values()) c.close();
    this.identitySecretKey.fill(0);
    this.socket.close();
  }
}

export { once };
