/**
 * Records what a user would feel while the page works: the time between animation frames, the
 * frames the browser itself reports as long (long-animation-frame, or longtask where that is
 * missing), and the JS heap at its highest.
 */
import { dom, nextFrame } from './page-dom';
import type { LongFrameEntry, PageObserver } from './page-dom';

export type LongFrameSource = 'long-animation-frame' | 'longtask' | 'none';

export interface FrameRecording {
  /** Milliseconds between consecutive animation frames. */
  deltas: number[];
  longFrames: { duration: number; blocking: number }[];
  longFrameSource: LongFrameSource;
  /** Highest performance.memory reading, sampled once a frame; null where the API is missing. */
  peakHeapBytes: number | null;
}

export function longFrameSource(): LongFrameSource {
  const supported = dom.PerformanceObserver.supportedEntryTypes;
  if (supported.includes('long-animation-frame')) return 'long-animation-frame';
  if (supported.includes('longtask')) return 'longtask';
  return 'none';
}

export class FrameRecorder {
  readonly #deltas: number[] = [];
  readonly #longFrames: LongFrameEntry[] = [];
  readonly #source = longFrameSource();
  #observer: PageObserver | undefined;
  #frame = 0;
  #last: number | undefined;
  #peakHeap: number | null = null;
  #running = false;

  start(): void {
    this.#running = true;
    if (this.#source !== 'none') {
      this.#observer = new dom.PerformanceObserver((list) => {
        this.#longFrames.push(...list.getEntries());
      });
      this.#observer.observe({ type: this.#source });
    }
    this.#frame = dom.requestAnimationFrame(this.#onFrame);
  }

  /** Stops after one more frame, so the browser has reported the long frames of the last ones. */
  async stop(): Promise<FrameRecording> {
    await nextFrame();
    this.#running = false;
    dom.cancelAnimationFrame(this.#frame);
    if (this.#observer) {
      this.#longFrames.push(...this.#observer.takeRecords());
      this.#observer.disconnect();
    }
    return {
      deltas: [...this.#deltas],
      longFrames: this.#longFrames.map((entry) => ({
        duration: entry.duration,
        blocking: entry.blockingDuration ?? Math.max(0, entry.duration - 50),
      })),
      longFrameSource: this.#source,
      peakHeapBytes: this.#peakHeap,
    };
  }

  readonly #onFrame = (time: number): void => {
    if (!this.#running) return;
    if (this.#last !== undefined) this.#deltas.push(time - this.#last);
    this.#last = time;
    const heap = dom.performance.memory?.usedJSHeapSize;
    if (heap !== undefined) this.#peakHeap = Math.max(this.#peakHeap ?? 0, heap);
    this.#frame = dom.requestAnimationFrame(this.#onFrame);
  };
}
