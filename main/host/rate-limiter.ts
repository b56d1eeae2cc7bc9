/**
 * Token buckets keyed by peer id: `burst` messages at once, refilled at `perSecond`.
 * Keyed by peer rather than by socket so a reconnect that resumes the session keeps its bucket.
 *
 * While the host catches up after a stall of its own loop (loop-stalls.ts), a bucket may refill
 * past `burst` by what the stall lasted: an honest sender's messages of that time arrive together
 * and must not count as a burst. They still refill at `perSecond` only, so a sender gets no more
 * than it would have had with the host running all along; the excess goes with the catch-up.
 */
import { processLoopStalls, type LoopStalls } from './loop-stalls';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** The longest a sweep is put off, whatever the rate (a rate of 0 would never refill). */
const MAX_PRUNE_INTERVAL_MS = 60_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private nextPruneAt = -Infinity;

  private readonly now: () => number;
  private readonly stalls: LoopStalls | undefined;

  /** With a clock of its own (tests), stalls only count when given too. */
  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    now?: () => number,
    stalls?: LoopStalls,
  ) {
    this.now = now ?? (() => performance.now());
    this.stalls = stalls ?? (now ? undefined : processLoopStalls());
  }

  /** Takes one token for `key`; false when the bucket is empty (the caller refuses the message). */
  take(key: string): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: now };
    this.refill(bucket, now);
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /**
   * Forgets buckets that have refilled completely: a fresh bucket behaves exactly the same.
   * Sweeps at most once per refill time (a bucket emptied now is full again after it), so a storm
   * of N leaves, each calling this, costs O(N) rather than O(N²).
   */
  prune(): void {
    const now = this.now();
    if (now < this.nextPruneAt) return;
    const refillMs = this.perSecond > 0 ? (this.burst / this.perSecond) * 1000 : Infinity;
    this.nextPruneAt = now + Math.min(refillMs, MAX_PRUNE_INTERVAL_MS);
    for (const [key, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.burst) this.buckets.delete(key);
    }
  }

  /** Buckets currently remembered (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsedSeconds = Math.max(0, now - bucket.updatedAt) / 1000;
    const stalledSeconds = (this.stalls?.recentStallMs(now) ?? 0) / 1000;
    const cap = this.burst + stalledSeconds * this.perSecond;
    bucket.tokens = Math.min(cap, bucket.tokens + elapsedSeconds * this.perSecond);
    bucket.updatedAt = now;
  }
}
