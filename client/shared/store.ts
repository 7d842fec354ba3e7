// A minimal observable value for useSyncExternalStore: controllers own one and replace its snapshot
// immutably, so React re-renders only when a snapshot actually changes.

export type Listener = () => void;

export class Store<T> {
  #state: T;
  readonly #listeners = new Set<Listener>();

  constructor(initial: T) {
    this.#state = initial;
  }

  readonly get = (): T => this.#state;

  readonly subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  set(next: T): void {
    if (Object.is(next, this.#state)) return;
    this.#state = next;
    // Copy first: a listener may unsubscribe (or subscribe) while we iterate.
    for (const listener of [...this.#listeners]) listener();
  }

  update(fn: (current: T) => T): void {
    this.set(fn(this.#state));
  }
}
