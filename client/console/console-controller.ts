// The counsellor's session: password-derived sign-in, the identity key unwrapped into memory only, the live
// line, her availability, claiming or being assigned, answering handshakes and the open chats (one
// ChatController each). Sign-out wipes it all.
import type * as Crypto from '../../crypto/index.ts';
import type * as Keywrap from '../../crypto/keywrap.ts';
import type {
  ChatHandshake,
  ClaimResult,
  CounsellorChat,
  CounsellorStatus,
  EndReason,
  Outcome,
  QueueEntry,
} from '../../protocol/events.ts';
import type { ChatTransfer, TransferOffer, TransferResult, TransferWithdrawn } from '../../protocol/events.ts';
import type { Association } from '../../protocol/triage.ts';
import { ChatController } from '../shared/chat-controller.ts';
import { isEndReason } from '../shared/contract.ts';
import { Store } from '../shared/store.ts';
import { Transport, isRetryable, type ConnectionState } from '../shared/transport.ts';
import { changePassword, fetchKdfParams, login, logout, logoutEverywhere, type CounsellorProfile } from './auth-api.ts';
import { Chime } from './chime.ts';
import { rewrapIdentityKey } from './password-change.ts';
import {
  decodePins,
  EMPTY_COLLEAGUES,
  outgoingAfter,
  readOffer,
  sealNote,
  verifyColleagues,
  type ColleagueList,
  type Handoff,
  type IncomingOffer,
  type OutgoingTransfer,
  type VerifiedColleague,
} from './transfer.ts';
import { DangerAlarm } from './danger-alarm.ts';
import { OwnCannedReplies } from './own-canned-replies.ts';
import { ShiftSettings } from './shift-settings.ts';

export type Availability = CounsellorStatus['availability'];

export type TabStatus = 'handshaking' | 'active' | 'lost-keys' | 'failed' | 'ended';

export type Banner =
  | { kind: 'ended'; reason: EndReason | null }
  | { kind: 'lost-keys' }
  | { kind: 'handshake-failed'; message: string }
  | { kind: 'peer'; state: 'away' | 'back' }
  | { kind: 'error'; message: string };

export interface ChatTab {
  chatId: string;
  entry: QueueEntry;
  status: TabStatus;
  banner: Banner | null;
  /** null when this page holds no keys for the chat (reloaded page, failed handshake). */
  controller: ChatController | null;
  /** Given to her by automatic assignment (or found on reconnect) and not looked at yet. */
  unseen: boolean;
  /** A transfer of this chat she started and what became of it (transfer.ts). */
  transfer?: OutgoingTransfer | null;
  /** She took this chat over from a colleague, maybe with a note only she could open. */
  handoff?: Handoff | null;
}

export interface ConsoleSnapshot {
  auth: 'signed-out' | 'signing-in' | 'signed-in';
  loginStep: string | null;
  loginError: string | null;
  me: CounsellorProfile | null;
  certified: boolean;
  connection: ConnectionState;
  queue: readonly QueueEntry[];
  claiming: boolean;
  notice: string | null;
  tabs: readonly ChatTab[];
  activeChatId: string | null;
  /** What she chose; sent on every (re)connect so the server and this page agree. */
  availability: Availability;
  /** The server has not confirmed `availability` yet. */
  availabilityPending: boolean;
  /** A chat was given to her without her asking: shown until she opens it or dismisses the alert. */
  assignedAlert: { chatId: string } | null;
  /** A short sound on automatic assignment; off unless she turns it on. */
  sound: boolean;
  /** Transfers colleagues offered her, waiting for her answer. */
  offers: readonly IncomingOffer[];
  /** Colleagues she may transfer a chat to, loaded when she opens the transfer dialog. */
  colleagues: ColleagueList;
}

interface Libs {
  crypto: typeof Crypto;
  keywrap: typeof Keywrap;
  memzero: (bytes: Uint8Array) => void;
}

const RETRY_MS = 3_000;

const INITIAL: ConsoleSnapshot = {
  auth: 'signed-out',
  loginStep: null,
  loginError: null,
  me: null,
  certified: false,
  connection: 'idle',
  queue: [],
  claiming: false,
  notice: null,
  tabs: [],
  activeChatId: null,
  availability: 'available',
  availabilityPending: false,
  assignedAlert: null,
  sound: false,
  offers: [],
  colleagues: EMPTY_COLLEAGUES,
};

const CLAIM_MESSAGES: Partial<Record<string, string>> = {
  ALREADY_TAKEN: 'Someone else has just taken this chat.',
  NOTHING_WAITING: 'Nobody you can take is waiting.',
  AT_CAPACITY: 'You already have as many chats as your capacity allows.',
  NOT_CERTIFIED: 'Your key is not certified yet, so you cannot take chats.',
};

export class ConsoleController {
  readonly store = new Store<ConsoleSnapshot>(INITIAL);
  #libs: Promise<Libs> | null = null;
  #token: string | null = null;
  #identitySecretKey: Uint8Array | null = null;
  /** As the server stores it (useless without her password); kept for a password change. */
  #wrappedIdentityKey: Keywrap.WrappedSecret | null = null;
  #memzero: ((bytes: Uint8Array) => void) | null = null;
  #transport: Transport | null = null;
  /** Our signed half of each handshake not yet acknowledged, resent verbatim after a reconnect. */
  readonly #pendingHandshakes = new Map<string, ChatHandshake>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #chime = new Chime();
  /** Colleagues whose certificates verified, with the key a note to each is sealed to. */
  #colleagueKeys = new Map<string, VerifiedColleague>();
  /** Offers she accepted, by ticket: the note goes on the chat's tab when the resident's new keys arrive. */
  readonly #handoffs = new Map<string, Handoff>();
  #pins: Record<string, Uint8Array> | null = null;
  /** The "you accepted" notice, cleared once the chat it announces has opened. */
  #acceptedNotice: string | null = null;
  /** The immediate-danger alert over her line (sound, visual, title); fed by every view of the line. */
  readonly danger = new DangerAlarm(() => this.#chime.alarm());
  /** Her languages and capacity, read on every connect and saved with counsellor:profile. */
  readonly shift = new ShiftSettings(() => this.#transport);
  /** Her association's canned replies (its supervisors edit them). */
  readonly canned = new OwnCannedReplies(() => this.#transport);

  constructor() {
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') this.#activeTab()?.controller?.markRead();
    });
  }

  /** Starts fetching libsodium while she types her password. */
  preload(): void {
    void this.#loadLibs().catch(() => {
      this.#libs = null;
    });
  }

  // ---------- sign-in / sign-out ----------

  /** `totp`: the 6-digit code of her authenticator app, or one of her single-use recovery codes. */
  async signIn(username: string, password: string, totp: string): Promise<void> {
    if (this.store.get().auth !== 'signed-out') return;
    this.#patch({ auth: 'signing-in', loginError: null, loginStep: 'Preparing…' });
    const fail = (message: string) => this.#patch({ auth: 'signed-out', loginStep: null, loginError: message });
    let libs: Libs;
    try {
      libs = await this.#loadLibs();
    } catch {
      this.#libs = null;
      fail('The encryption library could not be loaded. Reload the page and try again.');
      return;
    }
    const { crypto, keywrap, memzero } = libs;
    const params = await fetchKdfParams(username);
    if (!params.ok) return fail(params.code === 'BAD_REQUEST' ? 'Wrong username, password or code.' : params.message);

    this.#patch({ loginStep: 'Deriving keys from your password…' });
    // Let the step text paint before Argon2id blocks the main thread for a moment.
    await new Promise((resolve) => setTimeout(resolve, 30));
    let keys: { authKey: Uint8Array; wrapKey: Uint8Array };
    try {
      keys = keywrap.derivePasswordKeys(password, params.data.kdf);
    } catch {
      return fail('The server sent sign-in parameters this page refuses.');
    }
    const authKey = crypto.toB64(keys.authKey);
    memzero(keys.authKey);

    this.#patch({ loginStep: 'Signing in…' });
    const res = await login(username, authKey, totp);
    if (!res.ok) {
      memzero(keys.wrapKey);
      return fail(res.code === 'BAD_REQUEST' ? 'Wrong username, password or code.' : res.message);
    }
    const { token, counsellor, wrappedIdentityKey, identityPublicKey, certificate } = res.data;
    let identity: Uint8Array;
    try {
      identity = keywrap.unwrapSecret(wrappedIdentityKey, keys.wrapKey, `identity:${counsellor.id}`);
      // Ed25519 secret keys end with their public key: refuse a blob that does not match her published key.
      const published = crypto.fromB64(identityPublicKey, crypto.SIGN_PUBLIC_KEY_BYTES);
      if (identity.length !== crypto.SIGN_SECRET_KEY_BYTES || crypto.toB64(identity.subarray(32)) !== crypto.toB64(published)) {
        memzero(identity);
        throw new Error('identity key mismatch');
      }
    } catch {
      void logout(token);
      return fail('Your identity key could not be unlocked. Contact your supervisor.');
    } finally {
      memzero(keys.wrapKey);
    }

    this.#token = token;
    this.#identitySecretKey = identity;
    this.#wrappedIdentityKey = wrappedIdentityKey;
    this.#memzero = memzero;
    this.#patch({ auth: 'signed-in', loginStep: null, loginError: null, me: counsellor, certified: certificate !== null });
    this.#connect();
  }

  /**
   * Her browser unwraps her identity key with the old password and re-wraps it with the new one; the server
   * swaps the stored values and ends her other sessions. The key, and so its certificate, stay the same.
   */
  async changePassword(
    current: string,
    next: string,
    totp: string,
  ): Promise<{ ok: true; otherSessionsEnded: number } | { ok: false; message: string }> {
    const token = this.#token;
    const me = this.store.get().me;
    const wrapped = this.#wrappedIdentityKey;
    if (!token || !me || !wrapped) return { ok: false, message: 'Sign in first.' };
    const { keywrap, crypto, memzero } = await this.#loadLibs();
    const rewrapped = await rewrapIdentityKey(
      { keywrap, toB64: crypto.toB64, memzero },
      { username: me.username, counsellorId: me.id, wrapped, current, next },
    );
    if (!rewrapped.ok) return rewrapped;
    const res = await changePassword(token, { ...rewrapped.body, totp });
    if (this.#token !== token) return { ok: false, message: 'You were signed out meanwhile.' };
    if (!res.ok) return { ok: false, message: res.message };
    this.#wrappedIdentityKey = rewrapped.body.newWrappedIdentityKey;
    return { ok: true, otherSessionsEnded: res.data.otherSessionsEnded };
  }

  /** Ends every session of hers (another computer left signed in, too), then this one. */
  async signOutEverywhere(): Promise<void> {
    const token = this.#token;
    const pending = token ? logoutEverywhere(token) : null;
    this.#wipe(null);
    await pending;
  }

  async signOut(): Promise<void> {
    const token = this.#token;
    // Started before wiping, awaited after: a slow or failed logout must not keep keys in memory.
    const pending = token ? logout(token) : null;
    this.#wipe(null);
    await pending;
  }

  // ---------- her actions ----------

  async claim(ticketId?: string): Promise<void> {
    const t = this.#transport;
    const s = this.store.get();
    if (!t || !s.certified || s.claiming) return;
    this.#patch({ claiming: true, notice: null });
    const res = await t.request('queue:claim', ticketId === undefined ? {} : { ticketId });
    if (this.#transport !== t) return;
    this.#patch({ claiming: false });
    if (!res.ok) {
      this.#patch({ notice: CLAIM_MESSAGES[res.error.code] ?? res.error.message });
      return;
    }
    const { chatId, entry, residentKxPublicKey, residentNonce } = res.data;
    await this.#answer(chatId, entry, residentKxPublicKey, residentNonce, 'claimed');
  }

  selectChat(chatId: string): void {
    if (!this.#tab(chatId)) return;
    const alert = this.store.get().assignedAlert;
    this.#patch({ activeChatId: chatId, assignedAlert: alert?.chatId === chatId ? null : alert });
    this.#updateTab(chatId, (x) => (x.unseen ? { ...x, unseen: false } : x));
    this.#tab(chatId)?.controller?.markRead();
  }

  /** 'away': she keeps her chats and may still take someone by hand, but is not counted for new residents. */
  async setAvailability(availability: Availability): Promise<void> {
    if (this.store.get().auth !== 'signed-in') return;
    this.#patch({ availability, availabilityPending: true });
    const t = this.#transport;
    if (t?.connected) await this.#sendAvailability(t);
  }

  dismissAssignedAlert(): void {
    this.#patch({ assignedAlert: null });
  }

  /** Called from her click, so the browser lets the sound start. */
  setSound(on: boolean): void {
    if (on) this.#chime.enable();
    else this.#chime.disable();
    this.#patch({ sound: on });
  }

  async endChat(chatId: string, outcome: Outcome): Promise<void> {
    const t = this.#transport;
    const tab = this.#tab(chatId);
    if (!t || !tab) return;
    if (tab.status === 'ended') {
      this.closeTab(chatId);
      return;
    }
    const res = await t.request('chat:end', { chatId, outcome });
    if (this.#transport !== t) return;
    if (res.ok || res.error.code === 'NOT_FOUND') {
      this.closeTab(chatId);
      return;
    }
    this.#updateTab(chatId, (x) => ({ ...x, banner: { kind: 'error', message: `Could not end the chat: ${res.error.message}` } }));
  }

  /** Wipes that chat's keys and removes the tab. */
  closeTab(chatId: string): void {
    const tab = this.#tab(chatId);
    if (!tab) return;
    tab.controller?.close();
    this.#pendingHandshakes.delete(chatId);
    const tabs = this.store.get().tabs.filter((x) => x.chatId !== chatId);
    const activeChatId = this.store.get().activeChatId === chatId ? (tabs[0]?.chatId ?? null) : this.store.get().activeChatId;
    const alert = this.store.get().assignedAlert;
    this.#patch({ tabs, activeChatId, assignedAlert: alert?.chatId === chatId ? null : alert });
    if (activeChatId) this.#tab(activeChatId)?.controller?.markRead();
  }

  dismissNotice(): void {
    this.#patch({ notice: null });
  }

  // ---------- transfer ----------

  /** Colleagues on shift she may hand a chat to; only those whose certificate verifies here are offered. */
  async loadColleagues(): Promise<void> {
    const t = this.#transport;
    if (!t) return;
    this.#patch({ colleagues: { ...this.store.get().colleagues, loading: true, error: null } });
    const [res, libs] = await Promise.all([t.request('counsellor:colleagues', {}), this.#loadLibs()]);
    if (this.#transport !== t) return;
    if (!res.ok) {
      this.#patch({ colleagues: { ...EMPTY_COLLEAGUES, error: `The list of colleagues could not be loaded: ${res.error.message}` } });
      return;
    }
    const { verified, refused } = verifyColleagues(libs.crypto, this.#pinned(libs.crypto), res.data.colleagues);
    this.#colleagueKeys = new Map(verified.map((c) => [c.counsellorId, c]));
    const list = verified.map((c) => ({
      counsellorId: c.counsellorId,
      alias: c.alias,
      association: c.association,
      languages: c.languages,
      availability: c.availability,
      freeSlots: c.freeSlots,
    }));
    this.#patch({ colleagues: { loading: false, list, refused, error: null } });
  }

  /**
   * Offers the chat to a colleague (the note sealed to her verified key) or hands it to the other association's
   * line. Returns null when it went through, or a message for her; nothing changes on a refusal.
   */
  async transferChat(
    chatId: string,
    to: { counsellorId: string } | { association: Association },
    noteText: string,
  ): Promise<string | null> {
    const t = this.#transport;
    const identity = this.#identitySecretKey;
    if (!t || !identity || this.#tab(chatId)?.status !== 'active') return 'This chat cannot be transferred now.';
    const libs = await this.#loadLibs();
    const payload: ChatTransfer = { chatId, to };
    let alias = '';
    if ('counsellorId' in to) {
      const colleague = this.#colleagueKeys.get(to.counsellorId);
      if (!colleague) return 'Choose a colleague from the list.';
      alias = colleague.alias;
      const note = noteText.trim();
      if (note !== '') {
        try {
          payload.note = { ciphertext: sealNote(libs.crypto, { text: note, chatId, identitySecretKey: identity, recipient: colleague }) };
        } catch {
          return 'The note is too long: keep it under about 1,000 characters.';
        }
      }
    }
    const res = await t.request('chat:transfer', payload);
    if (this.#transport !== t) return null;
    if (!res.ok) return res.error.message;
    if (res.data.kind === 'offered') {
      const ms = res.data.expiresInSeconds * 1000;
      this.#updateTab(chatId, (x) => ({ ...x, transfer: { state: 'pending', alias, deadline: Date.now() + ms } }));
      // The server says when it expires; if that word is lost (a node died), the offer is over at its deadline anyway.
      this.#after(ms + 5_000, () =>
        this.#updateTab(chatId, (x) =>
          x.transfer?.state === 'pending' && Date.now() >= x.transfer.deadline ? { ...x, transfer: { state: 'expired', alias } } : x,
        ),
      );
    }
    return null;
  }

  async cancelTransfer(chatId: string): Promise<void> {
    const t = this.#transport;
    if (!t) return;
    const res = await t.request('chat:transfer-cancel', { chatId });
    if (this.#transport !== t) return;
    if (res.ok || res.error.code === 'NOT_FOUND') {
      this.#updateTab(chatId, (x) =>
        x.transfer?.state === 'pending' ? { ...x, transfer: { state: 'withdrawn', alias: x.transfer.alias } } : x,
      );
      return;
    }
    this.#patch({ notice: `The transfer could not be withdrawn: ${res.error.message}` });
  }

  dismissTransfer(chatId: string): void {
    this.#updateTab(chatId, (x) => (x.transfer && x.transfer.state !== 'pending' ? { ...x, transfer: null } : x));
  }

  async answerOffer(offerId: string, accept: boolean): Promise<void> {
    const t = this.#transport;
    const offer = this.store.get().offers.find((o) => o.offerId === offerId);
    if (!t || !offer || offer.answering) return;
    this.#updateOffer(offerId, (o) => ({ ...o, answering: true, error: null }));
    const res = await t.request('transfer:answer', { offerId, accept });
    if (this.#transport !== t) return;
    if (!res.ok && res.error.code !== 'NOT_FOUND') {
      this.#updateOffer(offerId, (o) => ({ ...o, answering: false, error: res.error.message }));
      return;
    }
    this.#dropOffer(offerId);
    if (!res.ok) {
      this.#patch({ notice: res.error.message });
      return;
    }
    if (accept) {
      this.#handoffs.set(offer.entry.ticketId, { fromAlias: offer.fromAlias, note: offer.note });
      const notice = `You accepted ${offer.fromAlias}'s transfer. The chat opens as soon as the resident's new keys arrive.`;
      this.#acceptedNotice = notice;
      this.#patch({ notice });
    }
  }

  async #onOffer(t: Transport, offer: TransferOffer): Promise<void> {
    if (typeof offer !== 'object' || offer === null || typeof offer.offerId !== 'string') return;
    const libs = await this.#loadLibs();
    const identity = this.#identitySecretKey;
    if (this.#transport !== t || !identity) return;
    const incoming = readOffer(libs.crypto, this.#pinned(libs.crypto), identity, offer, Date.now());
    this.#patch({ offers: [...this.store.get().offers.filter((o) => o.offerId !== offer.offerId), incoming] });
    if (this.store.get().sound) this.#chime.play();
    this.#after(Math.max(0, incoming.deadline - Date.now()), () => this.#dropOffer(offer.offerId));
  }

  #onWithdrawn(w: TransferWithdrawn): void {
    const offer = this.store.get().offers.find((o) => o.offerId === w.offerId);
    if (!offer) return;
    this.#dropOffer(w.offerId);
    const why = w.reason === 'expired' ? 'expired' : w.reason === 'withdrawn' ? 'was withdrawn' : 'ended: the chat is over';
    this.#patch({ notice: `${offer.fromAlias}'s transfer offer ${why}.` });
  }

  #onTransferResult(r: TransferResult): void {
    if (typeof r !== 'object' || r === null || typeof r.chatId !== 'string') return;
    this.#updateTab(r.chatId, (x) => ({ ...x, transfer: outgoingAfter(r) }));
  }

  #updateOffer(offerId: string, fn: (o: IncomingOffer) => IncomingOffer): void {
    this.#patch({ offers: this.store.get().offers.map((o) => (o.offerId === offerId ? fn(o) : o)) });
  }

  #dropOffer(offerId: string): void {
    const offers = this.store.get().offers;
    if (offers.some((o) => o.offerId === offerId)) this.#patch({ offers: offers.filter((o) => o.offerId !== offerId) });
  }

  #pinned(crypto: typeof Crypto): Record<string, Uint8Array> {
    this.#pins ??= decodePins(crypto, __PINNED_KEYS__);
    return this.#pins;
  }

  #after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  // ---------- connection ----------

  #connect(): void {
    const token = this.#token;
    if (!token) return;
    const t = new Transport({ token });
    this.#transport = t;
    const current = () => this.#transport === t;
    const tabFor = (chatId: string) => (current() ? (this.#tab(chatId)?.controller ?? null) : null);
    t.onState((change) => {
      if (!current()) return;
      this.#patch({ connection: change.state });
      if (change.state === 'online') {
        this.#patch({ availabilityPending: true });
        void this.#sendAvailability(t);
        void this.#refresh(t);
        void this.shift.load();
        void this.canned.load();
      }
      if (change.state === 'offline' && change.reason === 'io server disconnect') t.reconnect();
    });
    t.onRefusal((refusal) => {
      // The server refused the token itself (expired, revoked): only a new sign-in helps.
      if (current() && !refusal.willRetry) this.#wipe('Your session has ended. Sign in again.');
    });
    // The server's order (class, requeued residents at the front of theirs, then arrival) is the line.
    t.on('queue:changed', (p) => current() && Array.isArray(p.entries) && this.#patch({ queue: p.entries }));
    t.on('queue:assigned', (claim) => current() && void this.#onAssigned(t, claim));
    t.on('chat:message', (m) => tabFor(m.chatId)?.receive(m));
    t.on('chat:read', (r) => tabFor(r.chatId)?.peerHasRead(r.seq));
    t.on('chat:typing', (r) => tabFor(r.chatId)?.peerTyping());
    t.on('chat:peer', (p) => {
      if (!current()) return;
      tabFor(p.chatId)?.peerPresence(p.state);
      this.#updateTab(p.chatId, (x) => (x.status === 'ended' ? x : { ...x, banner: { kind: 'peer', state: p.state } }));
    });
    t.on('chat:ended', (e) => current() && this.#ended(e.chatId, isEndReason(e.reason) ? e.reason : null));
    t.on('transfer:offer', (o) => current() && void this.#onOffer(t, o));
    t.on('transfer:withdrawn', (w) => current() && this.#onWithdrawn(w));
    t.on('chat:transfer-result', (r) => current() && this.#onTransferResult(r));
    this.#patch({ connection: 'connecting' });
    t.connect();
  }

  /** On every (re)connect: the line, and her chats as the server knows them. */
  async #refresh(t: Transport): Promise<void> {
    const [queue, chats] = await Promise.all([t.request('queue:list', {}), t.request('counsellor:chats', {})]);
    if (this.#transport !== t) return;
    if (queue.ok) this.#patch({ queue: queue.data.entries });
    if (chats.ok) await this.#reconcile(chats.data.chats);
    if ((!queue.ok && isRetryable(queue.error)) || (!chats.ok && isRetryable(chats.error))) {
      this.#later(() => {
        if (t.connected && this.#transport === t) void this.#refresh(t);
      });
    }
  }

  async #reconcile(chats: readonly CounsellorChat[]): Promise<void> {
    const onServer = new Set(chats.map((c) => c.chatId));
    for (const c of chats) {
      const tab = this.#tab(c.chatId);
      if (!tab) {
        // No keys here for a chat whose handshake is done (the page was reloaded): it cannot continue.
        if (c.handshakeDone)
          this.#addTab({
            chatId: c.chatId,
            entry: c.entry,
            status: 'lost-keys',
            banner: { kind: 'lost-keys' },
            controller: null,
            unseen: false,
          });
        // Not answered yet: given to her while she was offline (automatic assignment), or the page reloaded.
        else await this.#answer(c.chatId, c.entry, c.residentKxPublicKey, c.residentNonce, 'given');
        continue;
      }
      const controller = tab.controller;
      if (!controller || controller.closed) continue;
      if (tab.status === 'handshaking') {
        if (c.handshakeDone) this.#markActive(c.chatId);
        else void this.#sendHandshake(c.chatId);
      }
      controller.peerHasRead(c.peerRead);
      void controller.resync();
    }
    for (const tab of this.store.get().tabs) {
      if (!onServer.has(tab.chatId) && tab.status !== 'ended' && tab.status !== 'failed') this.#ended(tab.chatId, null);
    }
  }

  /** The association assigns automatically and gave her this resident: same as after her own claim. */
  async #onAssigned(t: Transport, claim: ClaimResult): Promise<void> {
    if (typeof claim !== 'object' || claim === null || typeof claim.chatId !== 'string' || typeof claim.entry !== 'object') return;
    if (this.#transport !== t) return;
    await this.#answer(claim.chatId, claim.entry, claim.residentKxPublicKey, claim.residentNonce, 'given');
  }

  /** A chat she did not ask for: a visible alert, the tab marked new, and a sound only if she turned it on. */
  #announce(chatId: string): void {
    if (!this.#tab(chatId)) return;
    const seen = this.store.get().activeChatId === chatId && document.visibilityState === 'visible';
    this.#updateTab(chatId, (x) => ({ ...x, unseen: !seen }));
    this.#patch({ assignedAlert: { chatId } });
    if (this.store.get().sound) this.#chime.play();
  }

  async #sendAvailability(t: Transport): Promise<void> {
    const availability = this.store.get().availability;
    const res = await t.request('counsellor:status', { availability });
    if (this.#transport !== t || this.store.get().availability !== availability) return;
    if (res.ok) {
      this.#patch({ availabilityPending: false });
      return;
    }
    // Offline: the reconnect sends it. Otherwise retry while it is worth it, or tell her.
    if (res.error.code === 'OFFLINE') return;
    if (isRetryable(res.error)) {
      this.#later(() => {
        if (t.connected && this.#transport === t && this.store.get().availabilityPending) void this.#sendAvailability(t);
      });
      return;
    }
    this.#patch({ notice: `Your availability could not be changed: ${res.error.message}` });
  }

  /**
   * Signs a fresh key-exchange answer with her identity key and sends it; the session exists before the ack.
   * `claimed`: she took this resident, so the tab opens in front. `given`: it came without her asking
   * (automatic assignment, or found on reconnect), so it is announced instead of stealing her focus.
   */
  async #answer(chatId: string, entry: QueueEntry, residentKx: string, residentNonce: string, how: 'claimed' | 'given'): Promise<void> {
    const t = this.#transport;
    const identity = this.#identitySecretKey;
    const libs = await this.#loadLibs();
    if (!t || !identity || this.#transport !== t || this.#tab(chatId)) return;
    const { crypto } = libs;
    let answer: ReturnType<typeof crypto.counsellorRespond>;
    try {
      answer = crypto.counsellorRespond({
        chatId,
        residentKxPublicKey: crypto.fromB64(residentKx, crypto.KX_PUBLIC_KEY_BYTES),
        residentNonce: crypto.fromB64(residentNonce, crypto.HANDSHAKE_NONCE_BYTES),
        identitySecretKey: identity,
      });
    } catch {
      this.#addTab({
        chatId,
        entry,
        status: 'failed',
        banner: { kind: 'handshake-failed', message: "The resident's key is unusable. End this chat." },
        controller: null,
        unseen: false,
      });
      if (how === 'given') this.#announce(chatId);
      return;
    }
    // Created before sending: her first message may arrive before our acknowledgement does.
    const controller = new ChatController({
      chatId,
      session: new crypto.ChatSession(chatId, 'counsellor', answer.keys),
      transport: t,
      codec: crypto,
      isReading: () => this.#isReading(chatId),
    });
    this.#pendingHandshakes.set(chatId, {
      chatId,
      kxPublicKey: crypto.toB64(answer.kxPublicKey),
      signature: crypto.toB64(answer.signature),
    });
    const handoff = this.#handoffs.get(entry.ticketId) ?? null;
    this.#handoffs.delete(entry.ticketId);
    if (handoff && this.#acceptedNotice !== null && this.store.get().notice === this.#acceptedNotice) this.#patch({ notice: null });
    this.#addTab({ chatId, entry, status: 'handshaking', banner: null, controller, unseen: false, handoff });
    if (how === 'claimed') this.#patch({ activeChatId: chatId });
    else this.#announce(chatId);
    await this.#sendHandshake(chatId);
  }

  async #sendHandshake(chatId: string): Promise<void> {
    const t = this.#transport;
    const payload = this.#pendingHandshakes.get(chatId);
    if (!t || !payload) return;
    const res = await t.request('chat:handshake', payload);
    if (this.#transport !== t || !this.#pendingHandshakes.has(chatId)) return;
    // WRONG_STATE after a timed-out first try: that try landed (only she can answer her own claim).
    if (res.ok || res.error.code === 'WRONG_STATE') {
      this.#markActive(chatId);
      return;
    }
    if (isRetryable(res.error)) {
      // Offline: the reconnect's reconcile resends it. Timeout while online: try again shortly.
      if (res.error.code !== 'OFFLINE') this.#later(() => void this.#sendHandshake(chatId));
      return;
    }
    this.#pendingHandshakes.delete(chatId);
    this.#tab(chatId)?.controller?.close();
    this.#updateTab(chatId, (x) => ({
      ...x,
      status: 'failed',
      controller: null,
      banner: { kind: 'handshake-failed', message: `The secure connection could not be set up (${res.error.message}). End this chat.` },
    }));
  }

  #markActive(chatId: string): void {
    this.#pendingHandshakes.delete(chatId);
    this.#updateTab(chatId, (x) => (x.status === 'handshaking' ? { ...x, status: 'active' } : x));
  }

  #ended(chatId: string, reason: EndReason | null): void {
    const tab = this.#tab(chatId);
    if (!tab) return;
    this.#pendingHandshakes.delete(chatId);
    // Keys are wiped now; the transcript stays readable until she closes the tab.
    tab.controller?.closeKeepingTranscript();
    this.#updateTab(chatId, (x) => ({ ...x, status: 'ended', banner: { kind: 'ended', reason } }));
  }

  // ---------- wiping ----------

  /** Closes every chat (wiping keys), zeroes the identity key, drops the token and disconnects. */
  #wipe(loginError: string | null): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#transport?.close();
    this.#transport = null;
    for (const tab of this.store.get().tabs) tab.controller?.close();
    this.#pendingHandshakes.clear();
    this.#handoffs.clear();
    this.#colleagueKeys = new Map();
    this.#chime.close();
    this.danger.reset();
    this.shift.reset({ languages: [], capacity: 1 });
    this.canned.reset();
    if (this.#identitySecretKey) (this.#memzero ?? ((b: Uint8Array) => b.fill(0)))(this.#identitySecretKey);
    this.#identitySecretKey = null;
    this.#wrappedIdentityKey = null;
    this.#token = null;
    this.store.set({ ...INITIAL, loginError });
  }

  // ---------- helpers ----------

  #loadLibs(): Promise<Libs> {
    this.#libs ??= Promise.all([import('../../crypto/index.ts'), import('../../crypto/keywrap.ts')]).then(async ([crypto, keywrap]) => {
      const sodium = await crypto.sodiumReady();
      await keywrap.sumoReady();
      return { crypto, keywrap, memzero: (bytes: Uint8Array) => sodium.memzero(bytes) };
    });
    return this.#libs;
  }

  #isReading(chatId: string): boolean {
    return this.store.get().activeChatId === chatId && document.visibilityState === 'visible';
  }

  #later(fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, RETRY_MS);
    this.#timers.add(timer);
  }

  #tab(chatId: string): ChatTab | undefined {
    return this.store.get().tabs.find((x) => x.chatId === chatId);
  }

  #activeTab(): ChatTab | undefined {
    const id = this.store.get().activeChatId;
    return id === null ? undefined : this.#tab(id);
  }

  /** A new tab is selected when none is, so a chat never sits unseen behind an empty panel. */
  #addTab(tab: ChatTab): void {
    const s = this.store.get();
    if (this.#tab(tab.chatId)) return;
    this.#patch({ tabs: [...s.tabs, tab], activeChatId: s.activeChatId ?? tab.chatId });
  }

  #updateTab(chatId: string, fn: (tab: ChatTab) => ChatTab): void {
    const tabs = this.store.get().tabs;
    if (!tabs.some((x) => x.chatId === chatId)) return;
    this.#patch({ tabs: tabs.map((x) => (x.chatId === chatId ? fn(x) : x)) });
  }

  #patch(partial: Partial<ConsoleSnapshot>): void {
    this.store.set({ ...this.store.get(), ...partial });
    if (partial.queue) this.danger.update(partial.queue);
  }
}
