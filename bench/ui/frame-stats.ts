/** Turns a recording of frame times into what a user notices: stutter, dropped and long frames. */
import type { FrameStats } from './ui-results';

export interface RecordedFrames {
  deltas: readonly number[];
  longFrames: readonly { duration: number; blocking: number }[];
}

/** `intervalMs` is the idle page's frame interval: a gap of n intervals is n - 1 dropped frames. */
export function summarizeFrames(recording: RecordedFrames, intervalMs: number): FrameStats {
  const sorted = [...recording.deltas].sort((a, b) => a - b);
  const interval = intervalMs > 0 ? intervalMs : 1000 / 60;
  let dropped = 0;
  for (const delta of recording.deltas) dropped += Math.max(0, Math.round(delta / interval) - 1);
  const drawn = recording.deltas.length;
  return {
    frames: drawn,
    longestMs: round(sorted[sorted.length - 1] ?? 0),
    p95Ms: round(percentile(sorted, 0.95)),
    medianMs: round(percentile(sorted, 0.5)),
    dropped,
    droppedPercent: drawn + dropped > 0 ? round((dropped / (drawn + dropped)) * 100) : 0,
    longFrames: recording.longFrames.length,
    longestLongFrameMs: round(
      recording.longFrames.reduce((longest, entry) => Math.max(longest, entry.duration), 0),
    ),
    blockingMs: round(recording.longFrames.reduce((sum, entry) => sum + entry.blocking, 0)),
  };
}

/** Nearest-rank percentile of ascending values (0 for none). */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function round(value: number, digits = 1): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
