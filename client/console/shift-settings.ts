// Her shift settings besides availability: the languages she takes chats in and her capacity (concurrent
// chats, capped by her association). Read from the server on every (re)connect, saved with
// `counsellor:profile`; the server applies them to matching at once. Nothing is kept in browser storage.
import type { CounsellorProfileChange, CounsellorShiftProfile } from '../../protocol/events.ts';
import type { Language } from '../../protocol/triage.ts';
import { Store } from '../shared/store.ts';
import type { Transport } from '../shared/transport.ts';

export interface ShiftSettingsState {
  languages: readonly Language[];
  capacity: number;
  /** Null until the server has told the association's cap. */
  maxCapacity: number | null;
  saving: boolean;
  /** Plain words for her after a refused or failed save. */
  error: string | null;
  /** Confirmation after a save, announced politely. */
  saved: boolean;
}

export class ShiftSettings {
  readonly store: Store<ShiftSettingsState>;

  constructor(
    private readonly transport: () => Transport | null,
    initial: { languages: readonly Language[]; capacity: number } = { languages: [], capacity: 1 },
  ) {
    this.store = new Store<ShiftSettingsState>({ ...initial, maxCapacity: null, saving: false, error: null, saved: false });
  }

  /** Sign-in: what the login response said, until the server's answer to `load`. */
  reset(initial: { languages: readonly Language[]; capacity: number }): void {
    this.store.set({ ...initial, maxCapacity: null, saving: false, error: null, saved: false });
  }

  /** On every (re)connect: the server's view (another tab or device may have changed it). */
  async load(): Promise<void> {
    const t = this.transport();
    if (!t) return;
    const res = await t.request('counsellor:profile', {});
    if (res.ok && this.transport() === t && !this.store.get().saving) this.#apply(res.data);
  }

  async save(change: CounsellorProfileChange): Promise<boolean> {
    const t = this.transport();
    if (!t || this.store.get().saving) return false;
    this.#patch({ saving: true, error: null, saved: false });
    const res = await t.request('counsellor:profile', change);
    if (this.transport() !== t) return false;
    if (!res.ok) {
      const offline = res.error.code === 'OFFLINE' || res.error.code === 'TIMEOUT';
      this.#patch({ saving: false, error: offline ? 'Not saved: the connection is down. Try again when it is back.' : res.error.message });
      return false;
    }
    this.#apply(res.data);
    this.#patch({ saving: false, saved: true });
    return true;
  }

  dismiss(): void {
    this.#patch({ error: null, saved: false });
  }

  #apply(p: CounsellorShiftProfile): void {
    this.#patch({ languages: p.languages, capacity: p.capacity, maxCapacity: p.maxCapacity });
  }

  #patch(partial: Partial<ShiftSettingsState>): void {
    this.store.set({ ...this.store.get(), ...partial });
  }
}
