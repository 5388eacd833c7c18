/** One forecast compared with the value that arrived. */
export interface ForecastEvaluation {
  readonly actual: number;
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
}

/** Accuracy over the recent window; undefined where the figure is not defined (never a sentinel). */
export interface ForecastMetrics {
  /** Evaluations in the window. */
  readonly count: number;
  readonly mae: number | undefined;
  /**
   * Mean absolute percentage error, in percent. Defined only when every actual in the window is
   * strictly positive: one zero (an idle minute) would otherwise make it infinite or huge.
   */
  readonly mape: number | undefined;
  /** MAE divided by the in-sample seasonal-naive MAE of the last fit; undefined when that is 0 or unknown. */
  readonly mase: number | undefined;
  /** Share of actuals inside the prediction interval, in [0, 1]. */
  readonly coverage: number | undefined;
}

/**
 * The last `capacity` forecast evaluations in a ring buffer, with running sums so that a
 * summary costs O(1). Zero or negative actuals are counted, so MAPE is known to be undefined
 * exactly while one of them is inside the window.
 */
export class RollingForecastMetrics {
  readonly capacity: number;
  #ring: ForecastEvaluation[] = [];
  #next = 0;
  #absError = 0;
  #ape = 0;
  #nonPositive = 0;
  #inside = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer (got ${String(capacity)})`);
    }
    this.capacity = capacity;
  }

  get count(): number {
    return this.#ring.length;
  }

  add(e: ForecastEvaluation): void {
    if (![e.actual, e.point, e.lower, e.upper].every(Number.isFinite)) {
      throw new RangeError('forecast evaluations must be finite (missing actuals are not evaluated)');
    }
    if (this.#ring.length === this.capacity) {
      this.#account(this.#ring[this.#next] as ForecastEvaluation, -1);
      this.#ring[this.#next] = e;
      this.#next = (this.#next + 1) % this.capacity;
    } else {
      this.#ring.push(e);
    }
    this.#account(e, 1);
  }

  clear(): void {
    this.#ring = [];
    this.#next = 0;
    this.#absError = 0;
    this.#ape = 0;
    this.#nonPositive = 0;
    this.#inside = 0;
  }

  summary(maseScale: number | undefined): ForecastMetrics {
    const n = this.#ring.length;
    if (n === 0) {
      return { count: 0, mae: undefined, mape: undefined, mase: undefined, coverage: undefined };
    }
    // Running sums drift by rounding over millions of updates; clamp the tiny negatives that can leave.
    const mae = Math.max(0, this.#absError) / n;
    return {
      count: n,
      mae,
      mape: this.#nonPositive === 0 ? (100 * Math.max(0, this.#ape)) / n : undefined,
      mase: maseScale !== undefined && maseScale > 0 ? mae / maseScale : undefined,
      coverage: this.#inside / n,
    };
  }

  #account(e: ForecastEvaluation, sign: 1 | -1): void {
    const err = Math.abs(e.actual - e.point);
    this.#absError += sign * err;
    if (e.actual > 0) {
      this.#ape += (sign * err) / e.actual;
    } else {
      this.#nonPositive += sign;
    }
    if (e.actual >= e.lower && e.actual <= e.upper) {
      this.#inside += sign;
    }
  }
}
