// The only owner of the Socket.IO connection: typed requests answered by acknowledgements (with a timeout
// turned into a retryable error), server event subscriptions and connection state. Components never see it.
import { io, type Socket } from 'socket.io-client';
import { isErrorCode } from '../../protocol/errors.ts';
import type { Ack, ClientEventName, ClientToServerEvents, ServerToClientEvents } from '../../protocol/events.ts';
import type { RequestResult } from './request-result.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type EventPayload<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
export type EventData<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[1] extends Ack<infer T> ? T : never;

export type { RequestResult, TransportError, TransportErrorCode } from './request-result.ts';
export { isRetryable } from './request-result.ts';

export const REQUEST_TIMEOUT_MS = 10_000;

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline' | 'closed';

export interface ConnectionChange {
  state: ConnectionState;
  /** True on every `online` after the first: the caller must resume what it had. */
  reconnected: boolean;
  /** Socket.IO's reason on `offline`; 'io server disconnect' means the server will not let it reconnect by itself. */
  reason?: string;
}

export interface ConnectRefusal {
  message: string;
  /** False when the server refused the handshake: Socket.IO will not retry on its own. */
  willRetry: boolean;
}

type UntypedAckSocket = { emitWithAck(event: string, payload: unknown): Promise<unknown> };
type UntypedSocket = {
  timeout(ms: number): UntypedAckSocket;
  emit(event: string, payload: unknown, ack: (result: unknown) => void): void;
};

function noop(): void {}

function normalise<T>(raw: unknown): RequestResult<T> {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    if (raw.ok === true && 'data' in raw) return { ok: true, data: raw.data as T };
    if (raw.ok === false && 'error' in raw && typeof raw.error === 'object' && raw.error !== null) {
      const { code, message } = raw.error as { code?: unknown; message?: unknown };
      if (isErrorCode(code)) return { ok: false, error: { code, message: typeof message === 'string' ? message : code } };
    }
  }
  return { ok: false, error: { code: 'INTERNAL', message: 'The server sent a reply this page does not understand.' } };
}

export class Transport {
  readonly #socket: ClientSocket;
  #state: ConnectionState = 'idle';
  #everConnected = false;
  readonly #stateListeners = new Set<(change: ConnectionChange) => void>();
  readonly #refusalListeners = new Set<(refusal: ConnectRefusal) => void>();

  /** Same origin, default path, WebSocket only (no long-polling requests that proxies might log or cache). */
  constructor(auth: Record<string, string>) {
    this.#socket = io({ transports: ['websocket'], auth, autoConnect: false });
    this.#socket.on('connect', () => {
      const reconnected = this.#everConnected;
      this.#everConnected = true;
      this.#setState({ state: 'online', reconnected });
    });
    this.#socket.on('disconnect', (reason) => {
      if (this.#state === 'closed') return;
      this.#setState({ state: 'offline', reconnected: false, reason });
    });
    this.#socket.on('connect_error', (err) => {
      if (this.#state === 'closed') return;
      const willRetry = this.#socket.active;
      if (this.#state !== 'offline' && this.#everConnected) this.#setState({ state: 'offline', reconnected: false });
      for (const listener of [...this.#refusalListeners]) listener({ message: err.message, willRetry });
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get connected(): boolean {
    return this.#state === 'online' && this.#socket.connected;
  }

  connect(): void {
    if (this.#state === 'closed') return;
    if (this.#state === 'idle') this.#setState({ state: 'connecting', reconnected: false });
    this.#socket.connect();
  }

  /** Resolves true once connected, false on timeout, on a refused handshake or when closed meanwhile. */
  waitConnected(timeoutMs: number): Promise<boolean> {
    if (this.connected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        offState();
        offRefusal();
        resolve(ok);
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const offState = this.onState((change) => {
        if (change.state === 'online') finish(true);
        else if (change.state === 'closed') finish(false);
      });
      const offRefusal = this.onRefusal((refusal) => {
        if (!refusal.willRetry) finish(false);
      });
    });
  }

  onState(listener: (change: ConnectionChange) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  onRefusal(listener: (refusal: ConnectRefusal) => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void {
    // The generic maps make Socket.IO's overloads unresolvable for a generic E; the cast keeps callers typed.
    const socket = this.#socket as unknown as {
      on(event: string, handler: (...args: unknown[]) => void): void;
      off(event: string, handler: (...args: unknown[]) => void): void;
    };
    const h = handler as unknown as (...args: unknown[]) => void;
    socket.on(event, h);
    return () => socket.off(event, h);
  }

  /** A request answered through the acknowledgement; offline fails fast so callers queue instead of piling up. */
  async request<E extends ClientEventName>(event: E, payload: EventPayload<E>): Promise<RequestResult<EventData<E>>> {
    if (!this.connected) return { ok: false, error: { code: 'OFFLINE', message: 'Not connected.' } };
    try {
      const raw = await (this.#socket as unknown as UntypedSocket).timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload);
      return normalise<EventData<E>>(raw);
    } catch {
      // emitWithAck rejects only when the timeout fires: the request may or may not have reached the server.
      return { ok: false, error: { code: 'TIMEOUT', message: 'No answer from the server in time.' } };
    }
  }

  /** Fire-and-forget (typing, read receipts): dropped when offline, the ack is ignored. */
  fire<E extends ClientEventName>(event: E, payload: EventPayload<E>): void {
    if (!this.connected) return;
    (this.#socket as unknown as UntypedSocket).emit(event, payload, noop);
  }

  /** Ask Socket.IO to try again after the server closed the connection itself (it does not retry that case). */
  reconnect(): void {
    if (this.#state === 'closed' || this.#socket.active) return;
    this.#socket.connect();
  }

  close(): void {
    if (this.#state === 'closed') return;
    this.#setState({ state: 'closed', reconnected: false });
    this.#stateListeners.clear();
    this.#refusalListeners.clear();
    this.#socket.removeAllListeners();
    this.#socket.disconnect();
  }

  #setState(change: ConnectionChange): void {
    this.#state = change.state;
    for (const listener of [...this.#stateListeners]) listener(change);
  }
}
