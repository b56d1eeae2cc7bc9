/**
 * Notices a host that went silent. Browsers cannot see WebSocket pings, so liveness is judged
 * from application traffic: after `2 × intervalMs` of silence the watch asks for a `ping` frame
 * (the host answers `pong`), and if another interval passes without a single frame the host is
 * declared dead. Any inbound frame counts as a sign of life.
 */
export interface HeartbeatWatchOptions {
  intervalMs: number;
  /** Called once per silence, when it is time to send a `ping` frame. */
  onQuiet: () => void;
  /** Called when the `ping` got no answer either. */
  onDead: () => void;
}

export class HeartbeatWatch {
  readonly #options: HeartbeatWatchOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running = false;

  constructor(options: HeartbeatWatchOptions) {
    this.#options = options;
  }

  start(): void {
    this.#running = true;
    this.#waitForQuiet();
  }

  /** Traffic arrived: the host is alive, silence starts counting again. */
  touch(): void {
    if (this.#running) this.#waitForQuiet();
  }

  stop(): void {
    this.#running = false;
    this.#clear();
  }

  #waitForQuiet(): void {
    this.#clear();
    this.#timer = setTimeout(() => {
      this.#options.onQuiet();
      this.#waitForAnswer();
    }, 2 * this.#options.intervalMs);
  }

  #waitForAnswer(): void {
    // onQuiet may have stopped the watch (e.g. the send failed and the socket was dropped).
    if (!this.#running) return;
    this.#timer = setTimeout(() => {
      this.stop();
      this.#options.onDead();
    }, this.#options.intervalMs);
  }

  #clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
