import { largestInto } from './largestInto.js';
import { normalTail } from './normalTail.js';
import { normalUpperQuantile } from './normalUpperQuantile.js';
import { quantileOfUnsorted } from './quantileOfUnsorted.js';

/** Most upper order statistics kept up to date push by push; beyond, the quantile is recomputed. */
const TOP_LIMIT = 64;

/**
 * Turns a test statistic u ≥ 0 (a robust |z|) into a tail probability calibrated on the
 * statistic's own recent history, so one threshold means the same for a smooth series and a
 * bursty one.
 *
 * Two corrections to the normal tail 2·Q(u):
 * - **Tail width.** When the history's q-quantile (99 % by default) is wider than a normal
 *   distribution's, u is divided by the ratio. A series whose residuals are heavy-tailed or
 *   autocorrelated (a band that is too narrow) then needs a proportionally larger deviation.
 *   The factor never drops below 1, so a quiet history does not sharpen the test.
 * - **Frequency.** The probability is never below the share of history points at least as
 *   extreme. A burst that this series produced ten times in the calibration window is not a
 *   one-in-a-million event however far it lies in normal terms; only deviations the series has
 *   (almost) never shown get extreme scores. This is what keeps recurring, harmless spikes from
 *   paging again and again.
 *
 * Memory: the history is a ring of numbers (8 bytes a value, in storage a detector may hand in)
 * plus, for a high quantile, its few largest values kept sorted (16 for the 99th percentile of
 * 1440). The quantile is read from those; a count of values at least as large as u scans the
 * ring unless u is among the largest. Half the memory of a sorted copy of the history, exactly
 * the same answers.
 */
export class TailCalibrator {
  readonly quantile: number;
  readonly capacity: number;
  readonly #normalAtQuantile: number;
  readonly #a: Float64Array;
  readonly #ring: number;
  /** Offset of the run of the largest values (ascending) after the ring; its capacity. */
  readonly #top: number;
  readonly #topCapacity: number;
  readonly #scratch: Float64Array;
  #head = 0; // ring index of the oldest value
  #size = 0;
  /** How many largest values the run holds now (they cover the quantile's order statistics); -1 when stale. */
  #topCount = -1;
  /** widening() of the current history; NaN until asked after a push. */
  #widening = Number.NaN;

  /** Numbers of storage a calibrator of `capacity` values for `quantile` needs. */
  static storageLength(capacity: number, quantile: number): number {
    return capacity + topCapacity(capacity, quantile);
  }

  /**
   * @param options.normalAtQuantile the normal distribution's two-sided `quantile` point, when
   *   the caller has it already (it costs a bisection).
   * @param options.storage where the history lives: `storageLength(capacity, quantile)` numbers
   *   from `offset` (default: its own).
   * @param options.scratch at least `capacity` numbers of working space, shareable between
   *   calibrators used from one thread (default: its own).
   */
  constructor(
    capacity: number,
    quantile: number,
    values: readonly number[] = [],
    options: {
      readonly normalAtQuantile?: number;
      readonly storage?: Float64Array;
      readonly offset?: number;
      readonly scratch?: Float64Array;
    } = {}
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    }
    if (!(quantile > 0 && quantile < 1)) {
      throw new RangeError(`quantile must be in (0, 1) (got ${quantile})`);
    }
    const length = TailCalibrator.storageLength(capacity, quantile);
    const offset = options.offset ?? 0;
    if (
      options.storage !== undefined &&
      (!Number.isInteger(offset) || offset < 0 || offset + length > options.storage.length)
    ) {
      throw new RangeError(`storage holds ${options.storage.length} numbers; ${length} are needed from ${offset}`);
    }
    if (options.scratch !== undefined && options.scratch.length < capacity) {
      throw new RangeError(`scratch must hold at least ${capacity} numbers`);
    }
    this.quantile = quantile;
    this.capacity = capacity;
    this.#normalAtQuantile = options.normalAtQuantile ?? normalUpperQuantile((1 - quantile) / 2);
    this.#a = options.storage ?? new Float64Array(length);
    this.#ring = options.storage === undefined ? 0 : offset;
    this.#top = this.#ring + capacity;
    this.#topCapacity = topCapacity(capacity, quantile);
    this.#scratch = options.scratch ?? new Float64Array(capacity);
    this.reset(values);
  }

  get size(): number {
    return this.#size;
  }

  /** How much wider than normal the history's tail is (≥ 1; 1 while the history is empty). */
  widening(): number {
    if (Number.isNaN(this.#widening)) {
      const w = this.#historyQuantile() / this.#normalAtQuantile;
      this.#widening = Number.isFinite(w) ? Math.max(1, w) : 1;
    }
    return this.#widening;
  }

  /** Two-sided tail probability of u given the history (1 when u is not finite). */
  pValue(u: number): number {
    if (!Number.isFinite(u)) {
      return 1;
    }
    const normal = 2 * normalTail(u / this.widening());
    const n = this.#size;
    const frequency = n === 0 ? 0 : this.countAtLeast(u) / n;
    return Math.min(1, Math.max(normal, frequency));
  }

  /** Number of history values ≥ u. */
  countAtLeast(u: number): number {
    const a = this.#a;
    const k = this.#topCount;
    if (k > 0 && u > a[this.#top]!) {
      // Every value above the smallest of the largest few is one of them.
      let count = 0;
      for (let i = this.#top + k - 1; i >= this.#top && a[i]! >= u; i--) {
        count++;
      }
      return count;
    }
    // The order of the ring does not matter here, and until it is full its values sit at the start.
    const end = this.#ring + this.#size;
    let count = 0;
    for (let i = this.#ring; i < end; i++) {
      if (a[i]! >= u) {
        count++;
      }
    }
    return count;
  }

  /** Appends a finite value, dropping the oldest when full. Non-finite values are ignored. */
  push(u: number): void {
    if (!Number.isFinite(u)) {
      return;
    }
    const a = this.#a;
    const k = this.#topCount;
    if (this.#size === this.capacity) {
      const slot = this.#ring + this.#head;
      const evicted = a[slot]!;
      a[slot] = u;
      this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
      if (k > 0 && evicted >= a[this.#top]!) {
        // The value leaving may be one of the largest: find them again when next needed.
        this.#topCount = -1;
      } else if (k > 0 && u > a[this.#top]!) {
        this.#offerTop(u, k);
      }
    } else {
      let tail = this.#head + this.#size;
      if (tail >= this.capacity) {
        tail -= this.capacity;
      }
      a[this.#ring + tail] = u;
      this.#size++;
      if (k >= 0 && tailCount(this.#size, this.quantile) === k) {
        if (k > 0 && u > a[this.#top]!) {
          this.#offerTop(u, k);
        }
      } else {
        this.#topCount = -1;
      }
    }
    this.#widening = Number.NaN;
  }

  /** Empties the history and refills it with the newest `capacity` of `values`. */
  reset(values: readonly number[] = []): void {
    this.#head = 0;
    this.#size = 0;
    this.#topCount = this.#topCapacity > 0 ? 0 : -1;
    this.#widening = Number.NaN;
    for (let i = Math.max(0, values.length - this.capacity); i < values.length; i++) {
      this.push(values[i]!);
    }
  }

  /** The history in arrival order, oldest first. */
  values(): number[] {
    const out: number[] = [];
    let ring = this.#head;
    for (let i = 0; i < this.#size; i++) {
      out.push(this.#a[this.#ring + ring]!);
      ring = ring + 1 === this.capacity ? 0 : ring + 1;
    }
    return out;
  }

  /** The history's `quantile` with linear interpolation between order statistics (NaN when empty). */
  #historyQuantile(): number {
    const n = this.#size;
    if (n === 0 || this.#topCapacity === 0) {
      // Until the ring is full its values sit at the start of its range (the oldest at 0).
      return quantileOfUnsorted(this.#a, this.#ring, n, this.quantile, this.#scratch);
    }
    const a = this.#a;
    if (this.#topCount < 0) {
      this.#topCount = tailCount(n, this.quantile);
      largestInto(a, this.#ring, n, this.#topCount, a, this.#top);
    }
    const pos = (n - 1) * this.quantile;
    const lo = Math.floor(pos);
    // The run holds ranks lo..n-1 in ascending order: rank lo first, rank lo + 1 after it.
    const below = a[this.#top]!;
    const above = Math.ceil(pos) === lo ? below : a[this.#top + 1]!;
    return below + (above - below) * (pos - lo);
  }

  /** Puts u (larger than the smallest of the k largest) into their run, dropping that smallest. */
  #offerTop(u: number, k: number): void {
    const a = this.#a;
    const top = this.#top;
    let j = 0;
    while (j + 1 < k && a[top + j + 1]! < u) {
      a[top + j] = a[top + j + 1]!;
      j++;
    }
    a[top + j] = u;
  }
}

/** How many of n values lie at or above the quantile's lower order statistic (ranks lo..n-1). */
function tailCount(n: number, quantile: number): number {
  return n === 0 ? 0 : n - Math.floor((n - 1) * quantile);
}

/** Room for the largest values of a full history, or 0 when there are too many to keep up to date. */
function topCapacity(capacity: number, quantile: number): number {
  const k = tailCount(capacity, quantile);
  return k <= TOP_LIMIT ? k : 0;
}
