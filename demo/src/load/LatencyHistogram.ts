/** Quantiles and other figures of the latencies seen so far, in milliseconds (NaN when none). */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
}

const MIN_MS = 0.001;
const RATIO = 1.01;
const LOG_RATIO = Math.log(RATIO);
/** Enough buckets to reach past a day, so any realistic latency has a bucket of its own. */
const BUCKETS = Math.ceil(Math.log(86_400_000 / MIN_MS) / LOG_RATIO) + 2;

/**
 * Latency quantiles in constant memory, however long the run: log-spaced buckets 1 % wide, so
 * a quantile is reported at most about 1 % above the true sample (exact min and max are kept). A
 * sample store would grow with the run; a random reservoir would make the stats depend on a
 * random stream.
 */
export class LatencyHistogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sum = 0;
  private min = Infinity;
  private maxSeen = -Infinity;

  record(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      return;
    }
    this.counts[bucketOf(ms)]! += 1;
    this.n += 1;
    this.sum += ms;
    this.min = Math.min(this.min, ms);
    this.maxSeen = Math.max(this.maxSeen, ms);
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank quantile, q in [0, 1]. */
  quantile(q: number): number {
    if (this.n === 0) {
      return NaN;
    }
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) {
        const upper = i === 0 ? MIN_MS : MIN_MS * Math.pow(RATIO, i);
        return Math.min(this.maxSeen, Math.max(this.min, upper));
      }
    }
    return this.maxSeen;
  }

  summary(): LatencySummary {
    return {
      count: this.n,
      mean: this.n === 0 ? NaN : this.sum / this.n,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p95: this.quantile(0.95),
      p99: this.quantile(0.99),
      max: this.n === 0 ? NaN : this.maxSeen,
    };
  }
}

function bucketOf(ms: number): number {
  if (ms <= MIN_MS) {
    return 0;
  }
  // Bucket i holds (MIN_MS * RATIO^(i-1), MIN_MS * RATIO^i].
  return Math.min(BUCKETS - 1, Math.max(1, Math.ceil(Math.log(ms / MIN_MS) / LOG_RATIO)));
}
