/**
 * The numbers one UI benchmark run produces, as written by `--json` and read back by the smoke
 * test. Times are milliseconds, heaps MiB; null where a part did not finish within its time.
 */
import * as v from 'valibot';

/**
 * `batched`: the app as shipped; `formatted`: as shipped, every message carrying Markdown (the
 * plain modes' words, formatted), measured right after it; `unbatched`: every room event folded
 * and rendered on its own.
 */
export const UI_MODES = ['batched', 'formatted', 'unbatched'] as const;
export type UiMode = (typeof UI_MODES)[number];

const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const amount = v.pipe(v.number(), v.minValue(0));
const maybe = v.nullable(amount);

export const frameStatsSchema = v.object({
  frames: count,
  longestMs: amount,
  p95Ms: amount,
  medianMs: amount,
  /** Frames that should have been drawn but were not (rAF gaps, in frame intervals). */
  dropped: count,
  droppedPercent: amount,
  /** Frames the browser reported as long (over 50 ms). */
  longFrames: count,
  longestLongFrameMs: amount,
  blockingMs: amount,
});
export type FrameStats = v.InferOutput<typeof frameStatsSchema>;

export const modeResultSchema = v.object({
  mode: v.picklist(UI_MODES),
  /** Median time between frames of the idle page: the yardstick for dropped frames. */
  frameIntervalMs: amount,
  longFrameSource: v.picklist(['long-animation-frame', 'longtask', 'none']),
  load: v.object({
    messages: count,
    shownMs: maybe,
    renders: count,
    frames: frameStatsSchema,
  }),
  heapAfterLoadMiB: maybe,
  stream: v.object({
    sent: count,
    durationMs: amount,
    renders: count,
    /**
     * Room events handed to the app meanwhile: an entry and the conversation list per message,
     * and the list again after each read marker the app set. Unbatched, one render each.
     */
    events: count,
    backlogAtEnd: count,
    catchUpMs: maybe,
    frames: frameStatsSchema,
    peakHeapMiB: maybe,
  }),
  heapAfterStreamMiB: maybe,
  /** What went wrong in this mode; its numbers are then partial. */
  failures: v.array(v.string()),
});
export type ModeResult = v.InferOutput<typeof modeResultSchema>;

export const uiBenchResultSchema = v.object({
  startedAt: v.string(),
  durationMs: amount,
  command: v.string(),
  tiny: v.boolean(),
  plan: v.object({ messages: count, rate: amount, seconds: amount }),
  machine: v.object({
    cpuModel: v.string(),
    cores: count,
    node: v.string(),
    chromium: v.string(),
    loadAverage: amount,
  }),
  modes: v.array(modeResultSchema),
});
export type UiBenchResult = v.InferOutput<typeof uiBenchResultSchema>;
