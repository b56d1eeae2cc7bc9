/**
 * Bookkeeping of one load phase: which message reached how many clients, how late, and how
 * many deliveries landed inside the measurement window. Message indexes are dense (0..sent-1),
 * so counts and send times live in typed arrays: a delivery is a few array reads and adds,
 * nothing allocated, no digits parsed.
 */
import { LatencyHistogram } from './histogram';

export class PhaseTracker {
  private readonly counts: Uint32Array;
  /** How many clients each message should reach. */
  private readonly wanted: Uint32Array;
  /** When each message was handed to its sender's socket (µs, performance.now() clock). */
  private readonly sentAt: Float64Array;
  private readonly latency = new LatencyHistogram();
  private delivered = 0;
  private expected = 0;
  private windowOpen = false;
  private windowDeliveryCount = 0;
  private readonly errors = new Map<string, number>();
  private allDelivered: (() => void) | undefined;
  sent = 0;

  constructor(
    readonly phase: number,
    readonly capacity: number,
    readonly receivers: number,
    /** Messages with an index at or above this one were sent inside the window. */
    private firstWindowIndex: number,
  ) {
    this.counts = new Uint32Array(capacity);
    this.wanted = new Uint32Array(capacity);
    this.sentAt = new Float64Array(capacity);
  }

  /**
   * Called right after the next message (index `sent`) was handed to its sender's socket;
   * `receivers` is how many clients it should reach (default: every receiver of the phase).
   */
  markSent(sentMicros: number, receivers = this.receivers): void {
    if (this.sent < this.capacity) {
      this.sentAt[this.sent] = sentMicros;
      this.wanted[this.sent] = receivers;
    }
    this.sent += 1;
    this.expected += receivers;
  }

  setFirstWindowIndex(index: number): void {
    this.firstWindowIndex = index;
  }

  openWindow(): void {
    this.windowOpen = true;
  }

  closeWindow(): void {
    this.windowOpen = false;
  }

  get windowDeliveries(): number {
    return this.windowDeliveryCount;
  }

  delivery(index: number, nowMicros: number): void {
    // Indexes come off the wire: one the phase never sent is not a delivery of it.
    if (index >= this.sent) return;
    this.counts[index]! += 1;
    this.delivered += 1;
    if (this.windowOpen) this.windowDeliveryCount += 1;
    if (index >= this.firstWindowIndex) this.latency.record(nowMicros - this.sentAt[index]!);
    if (this.delivered >= this.expected && this.allDelivered) this.allDelivered();
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /**
   * Resolves true once every expected delivery arrived; false when the target stops sending
   * anything for `stallMs` (what is missing by then counts as lost) or `maxMs` passes. A target
   * still working off older frames (`lastFrameAt`, any phase) is behind, not losing messages,
   * so the wait goes on.
   */
  waitForAll(
    maxMs: number,
    stallMs: number,
    lastFrameAt: () => number = () => 0,
  ): Promise<boolean> {
    if (this.delivered >= this.expected) return Promise.resolve(true);
    return new Promise((resolve) => {
      const started = performance.now();
      // Polled: the absence of frames is not an event that can be awaited.
      const check = setInterval(
        () => {
          const now = performance.now();
          const lastActivity = Math.max(started, lastFrameAt());
          if (now - lastActivity >= stallMs || now - started >= maxMs) finish(false);
        },
        Math.max(5, Math.min(100, stallMs / 4)),
      );
      const finish = (complete: boolean) => {
        clearInterval(check);
        this.allDelivered = undefined;
        resolve(complete);
      };
      this.allDelivered = () => finish(true);
    });
  }

  /** Deliveries missing and deliveries received more than once, over every message sent. */
  losses(): { lost: number; duplicates: number } {
    let lost = 0;
    let duplicates = 0;
    for (let index = 0; index < Math.min(this.sent, this.capacity); index++) {
      const got = this.counts[index]!;
      const wanted = this.wanted[index]!;
      if (got < wanted) lost += wanted - got;
      else duplicates += got - wanted;
    }
    return { lost, duplicates };
  }

  errorCounts(): Record<string, number> {
    return Object.fromEntries(this.errors);
  }

  latencySummary() {
    return this.latency.summary();
  }
}
