/** Accuracy of a set of forecasts. Percentages are on a 0–100 scale (sMAPE on 0–200). */
export interface ErrorSummary {
  /** Number of (actual, forecast) pairs. */
  n: number;
  mae: number;
  /** MAE divided by the in-sample seasonal-naive MAE; undefined when that scale is 0 or unknown. */
  mase: number | undefined;
  /** Symmetric MAPE, mean of 200·|e| / (|actual| + |forecast|); a pair of exact zeros counts as 0. */
  smape: number;
  /** Weighted APE: 100 · Σ|e| / Σ|actual|; undefined when every actual is 0. */
  wape: number | undefined;
  /** Only when every actual was strictly positive; otherwise undefined, never a huge number. */
  mape: number | undefined;
}

/** Sums absolute, symmetric and relative errors over forecast/actual pairs; missing actuals are skipped. */
export class ErrorTotals {
  #n = 0;
  #abs = 0;
  #sym = 0;
  #actualAbs = 0;
  #ape = 0;
  #allPositive = true;

  add(actual: number, forecast: number): void {
    if (!Number.isFinite(actual)) {
      return; // a gap in the held-out data is not an error of the forecaster
    }
    if (!Number.isFinite(forecast)) {
      throw new RangeError(`forecast for actual ${actual} is ${forecast}: every scored forecast must be finite`);
    }
    const e = Math.abs(actual - forecast);
    this.#n++;
    this.#abs += e;
    const denom = Math.abs(actual) + Math.abs(forecast);
    this.#sym += denom === 0 ? 0 : (200 * e) / denom;
    this.#actualAbs += Math.abs(actual);
    if (actual > 0) {
      this.#ape += (100 * e) / actual;
    } else {
      this.#allPositive = false;
    }
  }

  get n(): number {
    return this.#n;
  }

  summary(scale: number | undefined): ErrorSummary {
    const n = this.#n;
    const mae = n === 0 ? Number.NaN : this.#abs / n;
    return {
      n,
      mae,
      mase: scale !== undefined && scale > 0 && n > 0 ? mae / scale : undefined,
      smape: n === 0 ? Number.NaN : this.#sym / n,
      wape: this.#actualAbs > 0 ? (100 * this.#abs) / this.#actualAbs : undefined,
      mape: n > 0 && this.#allPositive ? this.#ape / n : undefined,
    };
  }
}
