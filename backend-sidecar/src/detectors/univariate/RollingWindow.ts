/**
 * The last `capacity` finite values in arrival order plus the same values kept sorted, so the
 * median and the MAD cost O(capacity) per update without re-sorting. Both live in one
 * Float64Array (2 × capacity numbers, 16 bytes a value), which a detector can hand in as a slice
 * of its own storage: thousands of windows then cost their numbers and nothing else.
 */
export class RollingWindow {
  readonly capacity: number;
  readonly #a: Float64Array;
  /** Offsets of the arrival-order ring and of the sorted run inside `#a`. */
  readonly #fifo: number;
  readonly #sorted: number;
  #head = 0; // ring index of the oldest value
  #size = 0;

  /** Numbers of storage a window of `capacity` values needs. */
  static storageLength(capacity: number): number {
    return 2 * capacity;
  }

  /**
   * @param storage where the values live: `storageLength(capacity)` numbers from `offset`
   *   (default: its own array). The window owns that range.
   */
  constructor(capacity: number, values: readonly number[] = [], storage?: Float64Array, offset = 0) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer (got ${capacity})`);
    }
    this.capacity = capacity;
    const length = RollingWindow.storageLength(capacity);
    if (storage !== undefined && (!Number.isInteger(offset) || offset < 0 || offset + length > storage.length)) {
      throw new RangeError(`storage holds ${storage.length} numbers; ${length} are needed from offset ${offset}`);
    }
    this.#a = storage ?? new Float64Array(length);
    this.#fifo = storage === undefined ? 0 : offset;
    this.#sorted = this.#fifo + capacity;
    this.reset(values);
  }

  get size(): number {
    return this.#size;
  }

  /** Appends a finite value, dropping the oldest when full. Non-finite values are ignored. */
  push(value: number): void {
    if (!Number.isFinite(value)) {
      return;
    }
    const a = this.#a;
    const s = this.#sorted;
    if (this.#size === this.capacity) {
      const ring = this.#fifo + this.#head;
      const removed = this.#position(a[ring]!);
      a[ring] = value;
      this.#head = this.#head + 1 === this.capacity ? 0 : this.#head + 1;
      // Drop the oldest and insert the new value with one shift of the run between them.
      const inserted = this.#position(value);
      if (inserted <= removed) {
        a.copyWithin(s + inserted + 1, s + inserted, s + removed);
        a[s + inserted] = value;
      } else {
        a.copyWithin(s + removed, s + removed + 1, s + inserted);
        a[s + inserted - 1] = value;
      }
      return;
    }
    const n = this.#size;
    let tail = this.#head + n;
    if (tail >= this.capacity) {
      tail -= this.capacity;
    }
    a[this.#fifo + tail] = value;
    const inserted = this.#position(value);
    a.copyWithin(s + inserted + 1, s + inserted, s + n);
    a[s + inserted] = value;
    this.#size = n + 1;
  }

  /** Empties the window and refills it with `values` (e.g. after a confirmed level shift). */
  reset(values: readonly number[] = []): void {
    this.#head = 0;
    this.#size = 0;
    for (let i = Math.max(0, values.length - this.capacity); i < values.length; i++) {
      this.push(values[i]!);
    }
  }

  /** Keeps only the newest `count` values, as `reset(latest(count))` would, without allocating. */
  keepLatest(count: number, scratch: Float64Array): void {
    const k = this.latestInto(count, scratch);
    this.#head = 0;
    this.#size = 0;
    for (let i = 0; i < k; i++) {
      this.push(scratch[i]!);
    }
  }

  /** Median of the window (NaN when empty). */
  median(): number {
    return this.quantile(0.5);
  }

  /**
   * Median absolute deviation from `center`. The deviations of a sorted array from a point are
   * two sorted runs (to its left, reversed, and to its right); merging them up to the middle
   * rank avoids sorting again.
   */
  mad(center: number): number {
    const n = this.#size;
    if (n === 0) {
      return Number.NaN;
    }
    const a = this.#a;
    const s = this.#sorted;
    let right = this.#position(center);
    let left = right - 1;
    const lower = (n - 1) >> 1;
    let d = 0;
    // Takes the next smallest deviation (the left one on a tie) until the middle rank.
    for (let k = 0; k <= lower + (n % 2 === 0 ? 1 : 0); k++) {
      const dl = left >= 0 ? center - a[s + left]! : Number.POSITIVE_INFINITY;
      const dr = right < n ? a[s + right]! - center : Number.POSITIVE_INFINITY;
      let next: number;
      if (dl <= dr) {
        left--;
        next = dl;
      } else {
        right++;
        next = dr;
      }
      if (k <= lower) {
        d = next;
      } else {
        return (d + next) / 2;
      }
    }
    return d;
  }

  /** Value at quantile q in [0, 1] with linear interpolation (NaN when empty). */
  quantile(q: number): number {
    const n = this.#size;
    if (n === 0) {
      return Number.NaN;
    }
    const a = this.#a;
    const s = this.#sorted;
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return a[s + lo]! + (a[s + hi]! - a[s + lo]!) * (pos - lo);
  }

  /** Values in arrival order, oldest first. */
  values(): number[] {
    return this.latest(this.#size);
  }

  /** The most recent `count` values, oldest first. */
  latest(count: number): number[] {
    const out = new Float64Array(Math.min(Math.max(0, count), this.#size));
    this.latestInto(count, out);
    return Array.from(out);
  }

  /** Writes the most recent `count` values (oldest first) to `target`; returns how many. */
  latestInto(count: number, target: Float64Array, targetOffset = 0): number {
    const k = Math.min(Math.max(0, count), this.#size);
    const a = this.#a;
    let ring = this.#head + this.#size - k;
    if (ring >= this.capacity) {
      ring -= this.capacity;
    }
    for (let i = 0; i < k; i++) {
      target[targetOffset + i] = a[this.#fifo + ring]!;
      ring = ring + 1 === this.capacity ? 0 : ring + 1;
    }
    return k;
  }

  /** Number of values ≥ v. */
  countAtLeast(v: number): number {
    return this.#size - this.#position(v);
  }

  /** First index of the sorted run whose value is ≥ v (binary search). */
  #position(v: number): number {
    const a = this.#a;
    const s = this.#sorted;
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (a[s + mid]! < v) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
