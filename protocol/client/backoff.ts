/**
 * Jittered exponential backoff for reconnects and re-sends. "Equal jitter": each delay is between
 * half and all of the exponential step, so clients that lost the same host spread out without
 * ever retrying faster than half the step.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Source of randomness in [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions) {
    this.#initialMs = Math.max(0, options.initialMs);
    this.#maxMs = Math.max(this.#initialMs, options.maxMs);
    this.#random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call doubles the step up to the cap. */
  next(): number {
    const step = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    // Stop counting once capped so the exponent cannot overflow on a retry-forever loop.
    if (step < this.#maxMs) this.#attempt++;
    return Math.round(step / 2 + (this.#random() * step) / 2);
  }

  reset(): void {
    this.#attempt = 0;
  }
}
