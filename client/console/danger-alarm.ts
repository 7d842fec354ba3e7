// The immediate-danger alert: when a resident who answered "in danger now" enters the line this counsellor
// may take, she gets an alarm sound (unless muted), a visual alert and a marker in the tab title, until she
// acknowledges it or nobody in danger is waiting any more. The sound repeats while the alert stands
// unacknowledged. Mute lives in memory only: the console never writes to browser storage.
import type { QueueEntry } from '../../protocol/events.ts';
import { Store } from '../shared/store.ts';

export interface DangerAlarmState {
  /** Residents in danger waiting in her line now, oldest first. */
  waiting: readonly string[];
  /** Shown (and sounding) until she acknowledges it; a new arrival raises it again. */
  raised: boolean;
  muted: boolean;
  /** How many times the alarm sound was started (tests and the alert's data attribute read it). */
  played: number;
  /** When the alert was last raised (ms since epoch), for the join-to-alert figure. */
  raisedAt: number | null;
}

const INITIAL: DangerAlarmState = { waiting: [], raised: false, muted: false, played: 0, raisedAt: null };

/** While the alert stands unacknowledged, the sound repeats this often. */
export const ALARM_REPEAT_MS = 30_000;

export class DangerAlarm {
  readonly store = new Store<DangerAlarmState>(INITIAL);
  #repeat: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly sound: () => boolean) {}

  /** Every new view of her line (pushed or fetched); entries in line order. */
  update(entries: readonly QueueEntry[]): void {
    const s = this.store.get();
    const waiting = entries.filter((e) => e.danger === 'yes').map((e) => e.ticketId);
    const known = new Set(s.waiting);
    const arrived = waiting.some((id) => !known.has(id));
    if (waiting.length === 0) {
      this.#stopRepeat();
      this.store.set({ ...s, waiting, raised: false });
      return;
    }
    if (!arrived) {
      if (waiting.length !== s.waiting.length || waiting.some((id, i) => id !== s.waiting[i])) this.store.set({ ...s, waiting });
      return;
    }
    this.store.set({ ...s, waiting, raised: true, raisedAt: Date.now() });
    this.#ring();
    this.#startRepeat();
  }

  /** She has seen it: the alert and the repeating sound stop; the entries stay highlighted in the line. */
  acknowledge(): void {
    this.#stopRepeat();
    this.store.set({ ...this.store.get(), raised: false });
  }

  setMuted(muted: boolean): void {
    this.store.set({ ...this.store.get(), muted });
  }

  /** Sign-out. */
  reset(): void {
    this.#stopRepeat();
    this.store.set(INITIAL);
  }

  #ring(): void {
    const s = this.store.get();
    if (s.muted || !s.raised) return;
    if (this.sound()) this.store.set({ ...this.store.get(), played: s.played + 1 });
  }

  #startRepeat(): void {
    this.#stopRepeat();
    this.#repeat = setInterval(() => this.#ring(), ALARM_REPEAT_MS);
  }

  #stopRepeat(): void {
    if (this.#repeat !== null) clearInterval(this.#repeat);
    this.#repeat = null;
  }
}
