/**
 * The last `capacity` finite values in arrival order plus the same values kept sorted, so the
 * median and the MAD cost O(capacity) per update without re-sorting. Memory is bounded by the
 * capacity whatever the length of the stream.
 */
export class RollingWindow {
  readonly capacity: number;
  #fifo: Float64Array;
  #head = 0; // index of the oldest value
  #size = 0;
  #sorted: number[] = [];

  constructor(capacity: number, values: readonly number[] = []) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    }
    this.capacity = capacity;
    this.#fifo = new Float64Array(capacity);
    for (const v of values.slice(-capacity)) {
      this.push(v);
    }
  }

  get size(): number {
    return this.#size;
  }

  /** Appends a finite value, dropping the oldest when full. Non-finite values are ignored. */
  push(value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    if (this.#size === this.capacity) {
      const oldest = this.#fifo[this.#head]!;
      this.#sorted.splice(this.#position(oldest), 1);
      this.#fifo[this.#head] = value;
      this.#head = (this.#head + 1) % this.capacity;
    } else {
      this.#fifo[(this.#head + this.#size) % this.capacity] = value;
      this.#size++;
    }
    this.#sorted.splice(this.#position(value), 0, value);
  }

  /** Empties the window and refills it with `values` (e.g. after a confirmed level shift). */
  reset(values: readonly number[] = []): void {
    this.#head = 0;
    this.#size = 0;
    this.#sorted = [];
    for (const v of values.slice(-this.capacity)) {
      this.push(v);
    }
  }

  /** Median of the window (NaN when empty). */
  median(): number {
    return quantileOfSorted(this.#sorted, 0.5);
  }

  /**
   * Median absolute deviation from `center`. The deviations of a sorted array from a point are
   * two sorted runs (to its left, reversed, and to its right); merging them up to the middle
   * rank avoids sorting again.
   */
  mad(center: number): number {
    const s = this.#sorted;
    const n = s.length;
    if (n === 0) {
      return Number.NaN;
    }
    let right = this.#position(center);
    let left = right - 1;
    const take = () => {
      const dl = left >= 0 ? center - s[left]! : Number.POSITIVE_INFINITY;
      const dr = right < n ? s[right]! - center : Number.POSITIVE_INFINITY;
      if (dl <= dr) {
        left--;
        return dl;
      }
      right++;
      return dr;
    };
    const lower = (n - 1) >> 1;
    let d = 0;
    for (let k = 0; k <= lower; k++) {
      d = take();
    }
    return n % 2 === 1 ? d : (d + take()) / 2;
  }

  /** Value at quantile q in [0, 1] with linear interpolation (NaN when empty). */
  quantile(q: number): number {
    return quantileOfSorted(this.#sorted, q);
  }

  /** Values in arrival order, oldest first. */
  values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.#size; i++) {
      out.push(this.#fifo[(this.#head + i) % this.capacity]!);
    }
    return out;
  }

  /** The most recent `count` values, oldest first. */
  latest(count: number): number[] {
    const k = Math.min(count, this.#size);
    const out: number[] = [];
    for (let i = this.#size - k; i < this.#size; i++) {
      out.push(this.#fifo[(this.#head + i) % this.capacity]!);
    }
    return out;
  }

  /** Number of values ≥ v. */
  countAtLeast(v: number): number {
    return this.#sorted.length - this.#position(v);
  }

  /** First index whose value is ≥ v (binary search). */
  #position(v: number): number {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#sorted[mid]! < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

function quantileOfSorted(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) {
    return Number.NaN;
  }
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
