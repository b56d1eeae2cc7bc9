/**
 * Speed and time left of one transfer, from its progress over the last few seconds (a moving
 * window, so a stall shows at once and a burst does not promise too much).
 */

/** How far back the speed looks. */
const WINDOW_MS = 3_000;

interface Sample {
  at: number;
  bytes: number;
}

export class TransferMeter {
  readonly #samples: Sample[] = [];

  /** Records that `bytes` in all are transferred at time `at` (ms). */
  sample(bytes: number, at: number): void {
    const last = this.#samples.at(-1);
    // Bytes can go back (a resumed upload restarts at the host's offset): start over from there.
    if (last && bytes < last.bytes) this.#samples.length = 0;
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[1]!.at >= WINDOW_MS)
      this.#samples.shift();
  }

  /** Forgets the window (a pause): the next speed is measured afresh. */
  reset(): void {
    this.#samples.length = 0;
  }

  /** Bytes per second over the window; 0 without two samples at different times. */
  bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (!first || !last || last.at <= first.at) return 0;
    return Math.max(0, ((last.bytes - first.bytes) * 1000) / (last.at - first.at));
  }

  /** Seconds until `size` bytes at the current speed; undefined without a speed. */
  etaSeconds(size: number): number | undefined {
    const speed = this.bytesPerSecond();
    const done = this.#samples.at(-1)?.bytes ?? 0;
    if (speed <= 0) return undefined;
    return Math.max(0, Math.ceil((size - done) / speed));
  }
}
