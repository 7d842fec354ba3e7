// The supervisor's session: sign-in with password and second factor (the console's HTTP calls; only a supervisor
// account gets further), the socket, the live board pushed by the server (re-watched after every reconnect),
// the alert sound, which view is shown, and the signing-key vault. Everything lives in memory and goes with the
// tab: nothing is written to browser storage.
import type { BoardSnapshot } from '../../protocol/board.ts';
import type { SupervisorEventName } from '../../protocol/supervisor.ts';
import type { Association } from '../../protocol/triage.ts';
import { fetchKdfParams, login, logout } from '../console/auth-api.ts';
import { Chime } from '../console/chime.ts';
import { Store } from '../shared/store.ts';
import type { ConnectionState, RequestResult } from '../shared/transport.ts';
import { loadLibs, paint, type Libs } from './libs.ts';
import { SigningKeyVault } from './signing-key-vault.ts';
import { SupervisorTransport, type Ask, type SupervisorData, type SupervisorPayload } from './supervisor-transport.ts';

export const VIEWS = ['board', 'charts', 'team', 'policy', 'audit'] as const;
export type SupervisorView = (typeof VIEWS)[number];

export interface SupervisorMe {
  id: string;
  username: string;
  alias: string;
  association: Association;
}

export interface SupervisorState {
  auth: 'signed-out' | 'signing-in' | 'signed-in';
  loginStep: string | null;
  loginError: string | null;
  me: SupervisorMe | null;
  connection: ConnectionState;
  /** Why the server refused the connection, when it did. */
  connectionError: string | null;
  board: BoardSnapshot | null;
  /** This page's clock when `board` arrived: times tick, and staleness counts, from here (not the server's clock). */
  boardReceivedAt: number | null;
  view: SupervisorView;
  /** A beep when the board turns to alert; off unless she turns it on. */
  sound: boolean;
}

const INITIAL: SupervisorState = {
  auth: 'signed-out',
  loginStep: null,
  loginError: null,
  me: null,
  connection: 'idle',
  connectionError: null,
  board: null,
  boardReceivedAt: null,
  view: 'board',
  sound: false,
};

const NOT_SUPERVISOR = 'This is not a supervisor account. Counsellors sign in to the console at /console.';

export class SupervisorController {
  readonly store = new Store<SupervisorState>(INITIAL);
  readonly vault: SigningKeyVault;
  #token: string | null = null;
  #transport: SupervisorTransport | null = null;
  readonly #chime = new Chime();

  constructor() {
    this.vault = new SigningKeyVault(this.ask, () => {
      const me = this.store.get().me;
      return me ? { id: me.id, association: me.association } : null;
    });
  }

  /** Starts fetching libsodium while she types her password. */
  preload(): void {
    void loadLibs().catch(() => undefined);
  }

  // ---------- sign-in / sign-out ----------

  async signIn(username: string, password: string, code: string): Promise<void> {
    if (this.store.get().auth !== 'signed-out') return;
    this.#patch({ auth: 'signing-in', loginError: null, loginStep: 'Preparing…' });
    const fail = (message: string) => this.#patch({ auth: 'signed-out', loginStep: null, loginError: message });
    let libs: Libs;
    try {
      libs = await loadLibs();
    } catch {
      return fail('The encryption library could not be loaded. Reload the page and try again.');
    }
    const params = await fetchKdfParams(username);
    if (!params.ok) return fail(params.code === 'BAD_REQUEST' ? 'Wrong username, password or code.' : params.message);

    this.#patch({ loginStep: 'Deriving keys from your password…' });
    await paint();
    let authKey: string;
    try {
      const keys = libs.keywrap.derivePasswordKeys(password, params.data.kdf);
      // The wrapping key is not needed to supervise: the signing key is unlocked later with her password again.
      libs.memzero(keys.wrapKey);
      authKey = libs.crypto.toB64(keys.authKey);
      libs.memzero(keys.authKey);
    } catch {
      return fail('The server sent sign-in parameters this page refuses.');
    }

    this.#patch({ loginStep: 'Signing in…' });
    const res = await login(username, authKey, code);
    if (!res.ok) return fail(res.code === 'BAD_REQUEST' ? 'Wrong username, password or code.' : res.message);
    const { token, counsellor } = res.data;
    if (counsellor.role !== 'supervisor') {
      void logout(token);
      return fail(NOT_SUPERVISOR);
    }
    this.#token = token;
    this.#patch({
      auth: 'signed-in',
      loginStep: null,
      loginError: null,
      me: { id: counsellor.id, username: counsellor.username, alias: counsellor.alias, association: counsellor.association },
    });
    this.#connect(token);
  }

  async signOut(message: string | null = null): Promise<void> {
    const token = this.#token;
    const pending = token ? logout(token) : null;
    this.#wipe(message);
    await pending;
  }

  // ---------- what she does ----------

  setView(view: SupervisorView): void {
    if (view !== 'team') this.vault.lock(); // the key is only needed, so only held, while she manages the team
    this.#patch({ view });
  }

  /** Called from her click, so the browser lets the sound start. */
  setSound(on: boolean): void {
    if (on) this.#chime.enable();
    else this.#chime.disable();
    this.#patch({ sound: on });
    if (on && this.store.get().board?.alert) this.#chime.alarm();
  }

  /** A supervisor request; OFFLINE at once when there is no connection. */
  readonly ask: Ask = <E extends SupervisorEventName>(
    event: E,
    payload: SupervisorPayload<E>,
  ): Promise<RequestResult<SupervisorData<E>>> => {
    const t = this.#transport;
    if (!t) return Promise.resolve({ ok: false, error: { code: 'OFFLINE', message: 'Not connected.' } });
    return t.ask(event, payload);
  };

  // ---------- the socket and the board ----------

  #connect(token: string): void {
    const t = new SupervisorTransport({ token });
    this.#transport = t;
    t.onState((change) => {
      if (this.#transport !== t) return;
      this.#patch({ connection: change.state, ...(change.state === 'online' ? { connectionError: null } : {}) });
      // Room membership does not survive a reconnect: watch again every time.
      if (change.state === 'online') void this.#watch(t);
      if (change.state === 'offline' && change.reason === 'io server disconnect') t.reconnect();
    });
    t.onRefusal((refusal) => {
      if (this.#transport !== t) return;
      if (!refusal.willRetry) void this.signOut(refusal.message);
      else this.#patch({ connectionError: refusal.message });
    });
    t.on('board:snapshot', (snapshot) => {
      if (this.#transport === t) this.#receive(snapshot);
    });
    t.connect();
  }

  async #watch(t: SupervisorTransport): Promise<void> {
    const res = await t.ask('supervisor:watch', {});
    if (this.#transport !== t) return;
    if (!res.ok) {
      if (res.error.code === 'FORBIDDEN') return void this.signOut(NOT_SUPERVISOR);
      this.#patch({ connectionError: res.error.message });
      return;
    }
    this.vault.setStored(res.data.session.hasSigningKey);
    if (res.data.snapshot) this.#receive(res.data.snapshot);
  }

  #receive(snapshot: BoardSnapshot): void {
    const previous = this.store.get().board;
    // An older snapshot (the watch answer racing a push) never replaces a newer one.
    if (previous && snapshot.at < previous.at) return;
    const rising = snapshot.alert && !previous?.alert;
    this.#patch({ board: snapshot, boardReceivedAt: Date.now() });
    if (rising && this.store.get().sound) this.#chime.alarm();
  }

  #wipe(message: string | null): void {
    this.#transport?.close();
    this.#transport = null;
    this.#token = null;
    this.vault.reset();
    this.#chime.close();
    this.store.set({ ...INITIAL, loginError: message });
  }

  #patch(partial: Partial<SupervisorState>): void {
    this.store.set({ ...this.store.get(), ...partial });
  }
}
