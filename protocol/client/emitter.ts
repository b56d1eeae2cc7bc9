/**
 * A small typed event emitter that runs in Node, Electron and the browser alike.
 * `on` returns its own unsubscribe function, so callers never keep a listener reference around.
 */
type Listener<Args extends unknown[]> = (...args: Args) => void;

export class Emitter<Events extends { [E in keyof Events]: unknown[] }> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    const stored = listener as unknown as Listener<never>;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  }

  /** Resolves with the arguments of the next `event`. */
  once<E extends keyof Events>(event: E): Promise<Events[E]> {
    return new Promise((resolve) => {
      const off = this.on(event, (...args) => {
        off();
        resolve(args);
      });
    });
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    // A copy, so listeners may unsubscribe (or subscribe) while the event is being delivered.
    for (const listener of [...set]) {
      try {
        (listener as unknown as Listener<Events[E]>)(...args);
      } catch (error) {
        // A faulty listener must not corrupt the emitter's owner mid-update; report it the way
        // EventTarget does, outside the current call stack.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
