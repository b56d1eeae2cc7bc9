/**
 * Collects what arrives between two animation frames (room events, one IPC message or WebSocket
 * frame each) and hands it over in one call, in arrival order, just before the next frame is
 * drawn. Five hundred messages a second then cost one state fold and one render per frame instead
 * of one of each per message.
 */

export interface FrameBatcherOptions {
  /** False hands every item over at once, as it arrives: only to measure what batching saves. */
  enabled: boolean;
  /**
   * Hands the batch over after this long even without a frame: a hidden or minimised window gets
   * no animation frames, and its state must still keep up (and its queue must not grow forever).
   */
  fallbackMs: number;
  requestFrame: (callback: () => void) => number;
  cancelFrame: (handle: number) => void;
  setTimer: (callback: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer: (handle: ReturnType<typeof setTimeout>) => void;
}

/** The page's frame clock, typed here so this file also compiles where the DOM is not typed. */
const page = globalThis as unknown as {
  requestAnimationFrame(callback: () => void): number;
  cancelAnimationFrame(handle: number): void;
};

export const FRAME_BATCHER_DEFAULTS: FrameBatcherOptions = {
  enabled: true,
  fallbackMs: 250,
  requestFrame: (callback) => page.requestAnimationFrame(callback),
  cancelFrame: (handle) => page.cancelAnimationFrame(handle),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle),
};

export class FrameBatcher<T> {
  readonly #deliver: (items: T[]) => void;
  readonly #options: FrameBatcherOptions;
  #enabled: boolean;
  #queue: T[] = [];
  #frame: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(deliver: (items: T[]) => void, options: Partial<FrameBatcherOptions> = {}) {
    this.#deliver = deliver;
    this.#options = { ...FRAME_BATCHER_DEFAULTS, ...options };
    this.#enabled = this.#options.enabled;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Turning batching off hands over what is already waiting, so nothing is held back. */
  set enabled(value: boolean) {
    this.#enabled = value;
    if (!value) this.flush();
  }

  /** How many items wait for the next frame. */
  get pending(): number {
    return this.#queue.length;
  }

  push(item: T): void {
    if (!this.#enabled) {
      this.#deliver([item]);
      return;
    }
    this.#queue.push(item);
    if (this.#frame !== undefined) return;
    this.#frame = this.#options.requestFrame(this.#onFrame);
    this.#timer = this.#options.setTimer(this.#onFrame, this.#options.fallbackMs);
  }

  /**
   * Hands over everything queued, now. Callers that act on the state outside the event stream
   * (a join answered, the user leaving) flush first, so events that came before stay before.
   */
  flush(): void {
    this.#unschedule();
    if (this.#queue.length === 0) return;
    const items = this.#queue;
    // Swapped out before delivery: items pushed while delivering wait for the next frame.
    this.#queue = [];
    this.#deliver(items);
  }

  /** Forgets the schedule and whatever waits; the batcher can be used again afterwards. */
  clear(): void {
    this.#unschedule();
    this.#queue = [];
  }

  readonly #onFrame = (): void => {
    this.flush();
  };

  #unschedule(): void {
    if (this.#frame !== undefined) this.#options.cancelFrame(this.#frame);
    if (this.#timer !== undefined) this.#options.clearTimer(this.#timer);
    this.#frame = undefined;
    this.#timer = undefined;
  }
}
