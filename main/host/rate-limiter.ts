/**
 * Token buckets keyed by peer id: `burst` messages at once, refilled at `perSecond`.
 * Keyed by peer rather than by socket so a reconnect that resumes the session keeps its bucket.
 */

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

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

  /** Forgets buckets that have refilled completely: a fresh bucket behaves exactly the same. */
  prune(): void {
    const now = this.now();
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
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedSeconds * this.perSecond);
    bucket.updatedAt = now;
  }
}
