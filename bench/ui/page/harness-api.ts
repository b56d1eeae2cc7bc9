/**
 * What the in-page harness offers the Node side (bench/ui/ui-run.ts), reached inside
 * `page.evaluate` as `globalThis.parleyUiBench`. Types only, so both sides share them.
 */
import type { FrameRecording } from './frame-recorder';

export interface MountOptions {
  /** parley-app folds room events once per frame (true) or one at a time as they arrive. */
  batching: boolean;
  /** Seeds the generated messages, so every mode lays out the same rows. */
  seed: number;
  /** Every message carries Markdown (bold, code, quotes, lists, links) instead of plain words. */
  formatted: boolean;
}

export interface LoadOptions {
  messages: number;
  timeoutMs: number;
}

export interface LoadOutcome {
  /** From handing over the first history event to the frame showing the newest message. */
  shownMs: number | null;
  /** Times the room screen rendered meanwhile. */
  renders: number;
  recording: FrameRecording;
}

export interface StreamOptions {
  /** Messages per second. */
  rate: number;
  seconds: number;
  /** How long, after the last message is handed over, it may take to appear. */
  catchUpTimeoutMs: number;
}

export interface StreamOutcome {
  sent: number;
  /** From the first message handed over to the last one shown (or given up on). */
  durationMs: number;
  /** Room events the app took meanwhile (entries, conversation lists). */
  events: number;
  /** Messages handed over but not yet taken by the app when the last one was handed over. */
  backlogAtEnd: number;
  /** From handing over the last message to the frame showing it; null if it never showed. */
  catchUpMs: number | null;
  renders: number;
  recording: FrameRecording;
}

export interface UiBenchHarness {
  mount(options: MountOptions): Promise<void>;
  /** The median time between animation frames of the idle page. */
  frameInterval(sampleMs: number): Promise<number>;
  loadHistory(options: LoadOptions): Promise<LoadOutcome>;
  /** Waits for `quietFrames` short frames in a row (at most `maxMs`). */
  settle(quietFrames: number, frameMs: number, maxMs: number): Promise<void>;
  stream(options: StreamOptions): Promise<StreamOutcome>;
}

declare global {
  /** Set by bench/ui/page/ui-page.ts once the page is ready. */
  var parleyUiBench: UiBenchHarness | undefined;
}
