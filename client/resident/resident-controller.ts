// The resident's visit as a state machine: start -> line -> verified chat -> wiped, with a way back from a
// chat to the line when her counsellor does not answer (requeue: fresh keys, next counsellor). Owns the lazily
// loaded crypto and transport, keeps ticket and resume token in memory only, and wipes everything in one place.
import type * as Crypto from '../../crypto/index.ts';
import type * as TransportModule from '../shared/transport.ts';
import type { ResidentHandshake } from '../../crypto/index.ts';
import type { ChatEnded, HandshakeOffer, QueuePosition, ResidentState } from '../../protocol/events.ts';
import type { Association, Triage } from '../../protocol/triage.ts';
import { ChatController } from '../shared/chat-controller.ts';
import { ASSOCIATIONS, isAssociation } from '../shared/contract.ts';
import { Store } from '../shared/store.ts';
import type { TransportError } from '../shared/request-result.ts';
import type { ConnectionChange, Transport } from '../shared/transport.ts';
import type { Refusal } from './i18n.ts';

type CryptoModule = typeof Crypto;
type TransportClass = typeof TransportModule.Transport;

interface Engine {
  crypto: CryptoModule;
  Transport: TransportClass;
  pinned: Record<string, Uint8Array>;
}

export type Phase =
  | { name: 'start'; error: 'network' | null }
  | { name: 'joining' }
  /**
   * `requeued`: her counsellor did not answer, vanished or handed her on; she is being connected to someone else.
   * `transfer`: it was a hand-over by her counsellor (a calmer, specific message).
   */
  | { name: 'waiting'; position: QueuePosition | null; requeued: boolean; transfer?: boolean }
  | { name: 'assigned' }
  | { name: 'chat'; alias: string; association: Association; chat: ChatController }
  | { name: 'refused'; code: Refusal }
  | { name: 'unverified' }
  | { name: 'ended' };

export interface ResidentSnapshot {
  engine: 'loading' | 'ready' | 'failed';
  phase: Phase;
  /** null while there is no connection to speak of (start screen). */
  connection: 'online' | 'reconnecting' | null;
}

/** Everything one visit holds; dropping the reference (after wiping) is the whole cleanup. */
interface Visit {
  transport: Transport;
  /** Her key material for the next (or current) counsellor; the server holds its public half. */
  hs: ResidentHandshake;
  /**
   * The handshake `hs` replaced when she rekeyed without knowing whether the server wanted new keys (resumed
   * after a requeue she may have missed). Until a counsellor's signed answer shows which of the two the server
   * holds, both stay; the signature binds her public key, so only the right one can verify.
   */
  previousHs: ResidentHandshake | null;
  /** The server asked for fresh keys (`chat:requeued`) and has not acknowledged `resident:rekey` yet. */
  rekeyPending: boolean;
  rekeyInFlight: boolean;
  /** A `resident:rekey` with the current `hs` got no answer: the server may hold it even if it now refuses. */
  rekeyMayHaveLanded: boolean;
  accepted: Association[];
  ticketId: string | null;
  resumeToken: string | null;
  chatId: string | null;
  chat: ChatController | null;
  /** Chats taken away from her by a requeue: any late event about them is ignored. */
  requeuedChats: Set<string>;
  /** Her free-text triage details, or null: sent encrypted as the first message of each chat she gets. */
  details: string | null;
  off: (() => void)[];
  timers: Set<ReturnType<typeof setTimeout>>;
}

type LeaveReason = 'ended' | 'exit' | 'abandon';

const CONNECT_TIMEOUT_MS = 15_000;
const RESUME_RETRY_MS = 2_000;
const REKEY_RETRY_MS = 2_000;
/** How long an ordinary leave waits for its acknowledgement before the socket is closed anyway. */
const LEAVE_GRACE_MS = 3_000;
const REFUSALS: ReadonlySet<string> = new Set<Refusal>(['QUEUE_FULL', 'NOBODY_ON_SHIFT', 'CLOSED_HOURS']);

function isRefusal(code: string): code is Refusal {
  return REFUSALS.has(code);
}

export class ResidentController {
  readonly store = new Store<ResidentSnapshot>({ engine: 'loading', phase: { name: 'start', error: null }, connection: null });
  #engine: Engine | null = null;
  #engineLoading: Promise<void> | null = null;
  #visit: Visit | null = null;

  constructor() {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#visit?.chat?.markRead();
    });
  }

  // ---------- loading ----------

  /** Crypto and Socket.IO arrive after the first screen is interactive; the start screen never waits for them. */
  loadEngine(): void {
    if (this.#engine || this.#engineLoading) return;
    this.#patch({ engine: 'loading' });
    this.#engineLoading = Promise.all([import('../../crypto/index.ts'), import('../shared/transport.ts')])
      .then(async ([crypto, transport]) => {
        await crypto.sodiumReady();
        this.#engine = { crypto, Transport: transport.Transport, pinned: decodePins(crypto) };
        this.#patch({ engine: 'ready' });
      })
      .catch(() => {
        // Shown to her as "secure connection unavailable" with the phone numbers; a reload may try again.
        this.#engineLoading = null;
        this.#patch({ engine: 'failed' });
      });
  }

  // ---------- her actions ----------

  async join(triage: Triage, details = ''): Promise<void> {
    const engine = this.#engine;
    const phase = this.store.get().phase.name;
    if (!engine || this.#visit || (phase !== 'start' && phase !== 'refused')) return;
    const { crypto } = engine;
    const hs = crypto.createResidentHandshake();
    const transport = new engine.Transport({});
    const visit: Visit = {
      transport,
      hs,
      previousHs: null,
      rekeyPending: false,
      rekeyInFlight: false,
      rekeyMayHaveLanded: false,
      accepted: triage.association === 'either' ? [...ASSOCIATIONS] : [triage.association],
      ticketId: null,
      resumeToken: null,
      chatId: null,
      chat: null,
      requeuedChats: new Set(),
      details: details.trim() === '' ? null : details,
      off: [],
      timers: new Set(),
    };
    this.#visit = visit;
    this.#listen(visit);
    this.#setPhase({ name: 'joining' });
    transport.connect();
    const connected = await transport.waitConnected(CONNECT_TIMEOUT_MS);
    if (this.#visit !== visit) return;
    if (!connected) {
      this.#drop(null);
      this.#setPhase({ name: 'start', error: 'network' });
      return;
    }
    const res = await transport.request('resident:join', {
      triage,
      kxPublicKey: crypto.toB64(hs.kxPublicKey),
      nonce: crypto.toB64(hs.nonce),
    });
    if (this.#visit !== visit) return;
    if (!res.ok) {
      // After a timeout the server may have queued her anyway: take her out explicitly.
      this.#drop(res.error.code === 'TIMEOUT' ? 'abandon' : null);
      this.#setPhase(isRefusal(res.error.code) ? { name: 'refused', code: res.error.code } : { name: 'start', error: 'network' });
      return;
    }
    visit.ticketId = res.data.ticketId;
    visit.resumeToken = res.data.resumeToken;
    // chat:assigned may have overtaken the acknowledgement; never step back to the line.
    if (this.store.get().phase.name === 'joining') this.#setPhase({ name: 'waiting', position: res.data.position, requeued: false });
  }

  leaveLine(): void {
    this.#drop('abandon');
    this.#setPhase({ name: 'start', error: null });
  }

  /** After her confirmation: tell the server, wipe, and show the start screen again. */
  endChat(): void {
    this.#drop('ended');
    this.#setPhase({ name: 'start', error: null });
  }

  /** The quick-exit hook: must be synchronous; the page is replaced right after. */
  wipeForExit(): void {
    this.#drop('exit');
    this.#setPhase({ name: 'start', error: null });
  }

  backToStart(): void {
    this.#drop(null);
    this.#setPhase({ name: 'start', error: null });
  }

  // ---------- server events ----------

  #listen(visit: Visit): void {
    const t = visit.transport;
    const current = () => this.#visit === visit;
    const chatFor = (chatId: string) => (current() && visit.chat?.chatId === chatId ? visit.chat : null);
    visit.off.push(
      t.onState((change) => current() && this.#onConnection(visit, change)),
      t.on('queue:position', (p) => {
        if (!current() || (visit.ticketId !== null && p.ticketId !== visit.ticketId)) return;
        const phase = this.store.get().phase;
        if (phase.name === 'waiting') this.#setPhase({ ...phase, position: p });
        else if (phase.name === 'joining') this.#setPhase({ name: 'waiting', position: p, requeued: false });
      }),
      t.on('chat:assigned', (a) => {
        if (!current() || visit.chat || visit.requeuedChats.has(a.chatId)) return;
        // Assigned again: her fresh keys have reached the server, whatever became of the acknowledgement.
        visit.rekeyPending = false;
        visit.chatId = a.chatId;
        this.#setPhase({ name: 'assigned' });
      }),
      t.on(
        'chat:requeued',
        (r) => current() && this.#onRequeued(visit, r.chatId, r.reason === 'transfer' ? { association: r.association } : null),
      ),
      t.on('chat:handshake', (offer) => current() && this.#onHandshake(visit, offer)),
      t.on('chat:message', (m) => chatFor(m.chatId)?.receive(m)),
      t.on('chat:read', (r) => chatFor(r.chatId)?.peerHasRead(r.seq)),
      t.on('chat:typing', (r) => chatFor(r.chatId)?.peerTyping()),
      t.on('chat:peer', (p) => chatFor(p.chatId)?.peerPresence(p.state)),
      t.on('chat:ended', (e) => current() && this.#onEnded(visit, e)),
    );
  }

  /** Verifies the counsellor against the pinned association keys before anything can be sent. */
  #onHandshake(visit: Visit, offer: HandshakeOffer): void {
    const engine = this.#engine;
    if (!engine || visit.chat || visit.requeuedChats.has(offer.chatId)) return;
    if (visit.chatId !== null && offer.chatId !== visit.chatId) return;
    const { crypto } = engine;
    let keys: Crypto.SessionKeys | null = null;
    let cert: Crypto.Certificate | null = null;
    let used: ResidentHandshake | null = null;
    // Normally one candidate; two only while it is unknown which of her key pairs the server holds.
    for (const hs of visit.previousHs ? [visit.hs, visit.previousHs] : [visit.hs]) {
      try {
        cert = crypto.certificateFromWire(offer.certificate);
        keys = crypto.residentComplete(hs, {
          chatId: offer.chatId,
          counsellorKxPublicKey: crypto.fromB64(offer.kxPublicKey, crypto.KX_PUBLIC_KEY_BYTES),
          signature: crypto.fromB64(offer.signature, crypto.SIGNATURE_BYTES),
          certificate: cert,
          pinned: engine.pinned,
          acceptedAssociations: visit.accepted,
          now: Date.now(),
          revocations: offer.revocations,
        });
        used = hs;
        break;
      } catch {
        // Whatever failed (certificate, signature, encoding): try the other candidate, if any.
      }
    }
    if (!keys || !cert || !used) {
      // She must not write to this party.
      this.#drop('ended');
      this.#setPhase({ name: 'unverified' });
      return;
    }
    if (!isAssociation(cert.association)) {
      // Unreachable after verification against ASSOCIATIONS; kept so the type narrows without a cast.
      keys.rx.fill(0);
      keys.tx.fill(0);
      this.#drop('ended');
      this.#setPhase({ name: 'unverified' });
      return;
    }
    // The key pair that did not verify is of no use any more.
    const unused = used === visit.hs ? visit.previousHs : visit.hs;
    if (unused) crypto.wipeResidentHandshake(unused);
    visit.hs = used;
    visit.previousHs = null;
    visit.rekeyPending = false;
    visit.chatId = offer.chatId;
    const session = new crypto.ChatSession(offer.chatId, 'resident', keys);
    visit.chat = new ChatController({
      chatId: offer.chatId,
      session,
      transport: visit.transport,
      codec: crypto,
      isReading: () => document.visibilityState === 'visible',
    });
    // Never in clear to the server: her details are the chat's first encrypted message, to whoever verified.
    if (visit.details !== null) visit.chat.sendTriageDetails(visit.details);
    // Alias and association come from the signed certificate, not from the server's unsigned copy.
    this.#setPhase({ name: 'chat', alias: cert.alias, association: cert.association, chat: visit.chat });
  }

  #onEnded(visit: Visit, e: ChatEnded): void {
    if (visit.chatId === null || e.chatId !== visit.chatId) return;
    // 'reassigned' ends the counsellor's side only: she goes back to the line, never to the end screen.
    if (e.reason === 'reassigned') {
      this.#onRequeued(visit, e.chatId);
      return;
    }
    this.#drop(null);
    this.#setPhase({ name: 'ended' });
  }

  /**
   * Her counsellor did not answer in time, vanished, or transferred her: that chat is gone with its keys and
   * messages, and she waits for someone else with a handshake nobody has seen yet. A transfer may name the
   * association of the counsellor who takes her on; its certificates (pinned keys, as always) are accepted from now.
   */
  #onRequeued(visit: Visit, chatId: string, transfer: { association?: string } | null = null): void {
    const crypto = this.#engine?.crypto;
    if (!crypto || visit.requeuedChats.has(chatId)) return;
    if (visit.chatId !== null && chatId !== visit.chatId) return; // not about her current chat
    const association = transfer?.association;
    if (isAssociation(association) && !visit.accepted.includes(association)) visit.accepted = [...visit.accepted, association];
    this.#forgetChat(visit, chatId);
    crypto.wipeResidentHandshake(visit.hs);
    if (visit.previousHs) crypto.wipeResidentHandshake(visit.previousHs);
    visit.previousHs = null;
    visit.hs = crypto.createResidentHandshake();
    visit.rekeyPending = true;
    visit.rekeyMayHaveLanded = false;
    this.#setPhase({ name: 'waiting', position: null, requeued: true, transfer: transfer !== null });
    void this.#sendRekey(visit);
  }

  /** Wipes the chat's keys and messages and remembers its id, so its late events are ignored. */
  #forgetChat(visit: Visit, chatId: string | null): void {
    if (chatId !== null) visit.requeuedChats.add(chatId);
    if (visit.chat) visit.requeuedChats.add(visit.chat.chatId);
    visit.chat?.close();
    visit.chat = null;
    visit.chatId = null;
  }

  /** Sends the public half of `visit.hs`; retried while the answer is retryable, resent on resume when offline. */
  async #sendRekey(visit: Visit): Promise<void> {
    const crypto = this.#engine?.crypto;
    if (!crypto || visit.rekeyInFlight || !visit.rekeyPending) return;
    visit.rekeyInFlight = true;
    const hs = visit.hs;
    const res = await visit.transport.request('resident:rekey', {
      kxPublicKey: crypto.toB64(hs.kxPublicKey),
      nonce: crypto.toB64(hs.nonce),
    });
    visit.rekeyInFlight = false;
    if (this.#visit !== visit || !visit.rekeyPending) return;
    if (visit.hs !== hs) {
      // Requeued again meanwhile: the newer key pair must reach the server.
      void this.#sendRekey(visit);
      return;
    }
    if (res.ok) {
      visit.rekeyPending = false;
      if (visit.previousHs) crypto.wipeResidentHandshake(visit.previousHs);
      visit.previousHs = null;
      return;
    }
    switch (res.error.code) {
      case 'WRONG_STATE':
        // She was not waiting for keys: an earlier try landed, or (a guess after a resume) she was still in
        // triage. In the second case the server kept the old pair, unless an unanswered try may have landed:
        // then both stay until a counsellor's signed answer shows which one counts.
        visit.rekeyPending = false;
        if (visit.previousHs && !visit.rekeyMayHaveLanded) {
          crypto.wipeResidentHandshake(visit.hs);
          visit.hs = visit.previousHs;
          visit.previousHs = null;
        }
        return;
      case 'OFFLINE':
        return; // the reconnect's resume sends it again
      case 'TIMEOUT':
      case 'RATE_LIMITED':
      case 'INTERNAL': {
        if (res.error.code === 'TIMEOUT') visit.rekeyMayHaveLanded = true;
        const timer = setTimeout(() => {
          visit.timers.delete(timer);
          if (this.#visit === visit && visit.transport.connected) void this.#sendRekey(visit);
        }, REKEY_RETRY_MS);
        visit.timers.add(timer);
        return;
      }
      default:
        // NOT_FOUND and the like: her visit has ended meanwhile.
        this.#drop(null);
        this.#setPhase({ name: 'ended' });
    }
  }

  #onConnection(visit: Visit, change: ConnectionChange): void {
    if (change.state === 'offline') {
      this.#patch({ connection: 'reconnecting' });
      if (change.reason === 'io server disconnect') visit.transport.reconnect();
    } else if (change.state === 'online') {
      this.#patch({ connection: 'online' });
      if (change.reconnected) void this.#resume(visit);
    }
  }

  /** Same chat after a dropped connection: the server tells where she stands; the chat syncs and resends. */
  async #resume(visit: Visit): Promise<void> {
    if (visit.resumeToken === null) return; // still joining: that request fails and handles it
    const res = await visit.transport.request('resident:resume', { resumeToken: visit.resumeToken });
    if (this.#visit !== visit) return;
    if (!res.ok) {
      this.#resumeFailed(visit, res.error);
      return;
    }
    this.#applyResumed(visit, res.data);
  }

  #applyResumed(visit: Visit, st: ResidentState): void {
    if (st.state === 'waiting') {
      // A transfer to the other association while she was offline: its counsellors' certificates count now.
      if (isAssociation(st.association) && !visit.accepted.includes(st.association)) visit.accepted = [...visit.accepted, st.association];
      this.#resumedWaiting(visit, st.position);
      return;
    }
    // A chat this page holds that is not the server's current one was taken from her while she was away.
    if (visit.chat && visit.chat.chatId !== st.chatId) this.#forgetChat(visit, visit.chatId);
    if (visit.requeuedChats.has(st.chatId)) return;
    visit.rekeyPending = false;
    if (st.state === 'assigned') {
      if (!visit.chat) {
        visit.chatId = st.chatId;
        this.#setPhase({ name: 'assigned' });
      }
      return;
    }
    if (!visit.chat) this.#onHandshake(visit, st.handshake);
    const chat = this.#visit === visit ? visit.chat : null;
    if (chat) {
      chat.peerHasRead(st.peerRead);
      void chat.resync();
    }
  }

  /** Back in the line (or still there). A null position may mean the server waits for fresh keys from her. */
  #resumedWaiting(visit: Visit, position: QueuePosition | null): void {
    const phase = this.store.get().phase;
    // Her counsellor was assigned when the connection dropped: that chat went back to the line while she was away.
    const lostChatId = visit.chatId ?? visit.chat?.chatId ?? null;
    const lostChat = lostChatId !== null;
    if (lostChat && position === null) {
      this.#onRequeued(visit, lostChatId);
      return;
    }
    if (lostChat) this.#forgetChat(visit, lostChatId);
    const requeued = lostChat || visit.rekeyPending || (phase.name === 'waiting' && phase.requeued);
    this.#setPhase({ name: 'waiting', position, requeued });
    if (position !== null) {
      // In the line: whatever she sent last has landed.
      visit.rekeyPending = false;
      return;
    }
    if (visit.rekeyPending) {
      void this.#sendRekey(visit);
      return;
    }
    // No known requeue, but one may have happened while she was offline (her key pair seen by a counsellor),
    // or she may still be in triage. Offer fresh keys; WRONG_STATE means they were not needed. The old pair
    // stays as a candidate (see Visit.previousHs).
    const crypto = this.#engine?.crypto;
    if (!crypto || visit.previousHs || visit.rekeyInFlight) return;
    visit.previousHs = visit.hs;
    visit.hs = crypto.createResidentHandshake();
    visit.rekeyPending = true;
    visit.rekeyMayHaveLanded = false;
    void this.#sendRekey(visit);
  }

  #resumeFailed(visit: Visit, error: TransportError): void {
    if (error.code === 'OFFLINE') return; // the next reconnect resumes
    if (error.code === 'TIMEOUT' || error.code === 'RATE_LIMITED' || error.code === 'INTERNAL') {
      const timer = setTimeout(() => {
        visit.timers.delete(timer);
        if (this.#visit === visit && visit.transport.connected) void this.#resume(visit);
      }, RESUME_RETRY_MS);
      visit.timers.add(timer);
      return;
    }
    // NOT_FOUND and the like: her ticket or chat is gone (expired or ended while she was away).
    this.#drop(null);
    this.#setPhase({ name: 'ended' });
  }

  // ---------- wiping ----------

  /** Wipes keys and messages, tells the server (best effort) and closes the connection. Idempotent. */
  #drop(leave: LeaveReason | null): void {
    const visit = this.#visit;
    if (!visit) return;
    this.#visit = null;
    for (const off of visit.off) off();
    for (const timer of visit.timers) clearTimeout(timer);
    visit.chat?.close();
    visit.details = null;
    this.#engine?.crypto.wipeResidentHandshake(visit.hs);
    if (visit.previousHs) this.#engine?.crypto.wipeResidentHandshake(visit.previousHs);
    visit.previousHs = null;
    const { transport } = visit;
    if (leave === null || !transport.connected) {
      if (leave !== null && visit.resumeToken) sendExitBeacon(visit.resumeToken, leave);
      transport.close();
    } else if (leave === 'exit') {
      // The page is being replaced this very moment: no time to wait for an answer. A beacon survives the
      // unload (the socket frame may not), so the counsellor learns at once and everything is purged.
      if (visit.resumeToken) sendExitBeacon(visit.resumeToken);
      transport.fire('resident:leave', { reason: 'exit' });
      transport.close();
    } else {
      const grace = new Promise((resolve) => setTimeout(resolve, LEAVE_GRACE_MS));
      void Promise.race([transport.request('resident:leave', { reason: leave }), grace]).finally(() => transport.close());
    }
    this.#patch({ connection: null });
  }

  #setPhase(phase: Phase): void {
    this.#patch({ phase });
  }

  #patch(partial: Partial<ResidentSnapshot>): void {
    this.store.set({ ...this.store.get(), ...partial });
  }
}

/** Pinned association keys from the build; a malformed entry is skipped, so it can never verify anyone. */
function decodePins(crypto: CryptoModule): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const [association, b64] of Object.entries(__PINNED_KEYS__)) {
    try {
      out[association] = crypto.fromB64(b64, crypto.SIGN_PUBLIC_KEY_BYTES);
    } catch {
      // Skipped on purpose (see above).
    }
  }
  return out;
}

/** Same-origin POST that the browser delivers even while the page unloads; carries no cookie. */
function sendExitBeacon(resumeToken: string, reason: LeaveReason = 'exit'): void {
  try {
    const body = new Blob([JSON.stringify({ resumeToken, reason })], { type: 'application/json' });
    navigator.sendBeacon('/api/resident/leave', body);
  } catch {
    // Best effort: the grace period and TTLs end the visit anyway.
  }
}
