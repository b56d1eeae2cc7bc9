/**
 * A log-linear latency histogram in integer microseconds (the HdrHistogram layout, small):
 * values below 2 * SUB_BUCKETS are exact, larger ones keep ~1.6 % relative precision.
 * Recording is O(1) with no allocation, so the load generator can record every delivery
 * without becoming the bottleneck it is meant to measure.
 */

const SUB_BUCKET_BITS = 6;
const SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
/** Covers up to 2^40 µs (~12 days): anything longer is clamped to the top bucket. */
const MAX_EXPONENT = 40;
const BUCKET_COUNT = 2 * SUB_BUCKETS + (MAX_EXPONENT - SUB_BUCKET_BITS) * SUB_BUCKETS;

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function bucketIndex(micros: number): number {
  const value = micros <= 0 ? 0 : Math.floor(micros);
  if (value < 2 * SUB_BUCKETS) return value;
  let exponent: number;
  let mantissa: number;
  if (value < 2 ** 31) {
    // Every real latency (< 35 min): integer bit operations, on the generator's hot path.
    exponent = 31 - Math.clz32(value);
    mantissa = (value >>> (exponent - SUB_BUCKET_BITS)) - SUB_BUCKETS;
  } else {
    // log2 of a double can land one off near powers of two; the two checks make it exact.
    exponent = Math.floor(Math.log2(value));
    if (2 ** exponent > value) exponent -= 1;
    else if (2 ** (exponent + 1) <= value) exponent += 1;
    mantissa = Math.floor(value / 2 ** (exponent - SUB_BUCKET_BITS)) - SUB_BUCKETS;
  }
  const shift = exponent - SUB_BUCKET_BITS;
  const index = 2 * SUB_BUCKETS + (shift - 1) * SUB_BUCKETS + mantissa;
  return Math.min(index, BUCKET_COUNT - 1);
}

/** The largest value that lands in a bucket: percentiles report this upper edge (never flattering). */
export function bucketUpperBound(index: number): number {
  if (index < 2 * SUB_BUCKETS) return index;
  const shift = Math.floor((index - 2 * SUB_BUCKETS) / SUB_BUCKETS) + 1;
  const mantissa = ((index - 2 * SUB_BUCKETS) % SUB_BUCKETS) + SUB_BUCKETS;
  return (mantissa + 1) * 2 ** shift - 1;
}

export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKET_COUNT);
  private total = 0;
  private maxMicros = 0;

  record(micros: number): void {
    this.counts[bucketIndex(micros)]! += 1;
    this.total += 1;
    if (micros > this.maxMicros) this.maxMicros = micros;
  }

  get count(): number {
    return this.total;
  }

  /** The value (µs) at or below which `percent` of recordings fall; 0 when empty. */
  percentile(percent: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((percent / 100) * this.total));
    let seen = 0;
    for (let index = 0; index < BUCKET_COUNT; index++) {
      seen += this.counts[index]!;
      if (seen >= rank) return Math.min(bucketUpperBound(index), this.maxMicros);
    }
    return this.maxMicros;
  }

  summary(): LatencySummary {
    const toMs = (micros: number) => Math.round(micros) / 1000;
    return {
      count: this.total,
      p50Ms: toMs(this.percentile(50)),
      p95Ms: toMs(this.percentile(95)),
      p99Ms: toMs(this.percentile(99)),
      maxMs: toMs(this.maxMicros),
    };
  }
}
