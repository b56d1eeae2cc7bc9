/**
 * The one stream of RoomEvents the window sees. The room controller, room discovery and the
 * desktop comforts all publish into it; the IPC forwarder and the attention model read it.
 */
import type { RoomEvent } from '../../../protocol/bridge';

export type RoomEventListener = (event: RoomEvent) => void;

/** What a reader of the stream needs: subscribe returns its unsubscribe function. */
export interface RoomEventSource {
  subscribe(listener: RoomEventListener): () => void;
}

export class RoomEventHub implements RoomEventSource {
  readonly #listeners = new Set<RoomEventListener>();
  readonly #log: (message: string, detail?: unknown) => void;

  constructor(log: (message: string, detail?: unknown) => void = console.warn) {
    this.#log = log;
  }

  /** Hands `event` to every listener, in subscription order. */
  emit(event: RoomEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One broken listener (a closed window, say) must not starve the others.
        this.#log('parley: a room event listener failed', error);
      }
    }
  }

  subscribe(listener: RoomEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
