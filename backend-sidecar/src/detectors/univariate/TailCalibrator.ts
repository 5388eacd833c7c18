import { normalTail } from './normalTail.js';
import { normalUpperQuantile } from './normalUpperQuantile.js';
import { RollingWindow } from './RollingWindow.js';

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
 */
export class TailCalibrator {
  readonly quantile: number;
  readonly #history: RollingWindow;
  readonly #normalAtQuantile: number;

  constructor(capacity: number, quantile: number, values: readonly number[] = []) {
    this.quantile = quantile;
    this.#history = new RollingWindow(capacity, values);
    this.#normalAtQuantile = normalUpperQuantile((1 - quantile) / 2);
  }

  get size(): number {
    return this.#history.size;
  }

  /** How much wider than normal the history's tail is (≥ 1; 1 while the history is empty). */
  widening(): number {
    const w = this.#history.quantile(this.quantile) / this.#normalAtQuantile;
    return Number.isFinite(w) ? Math.max(1, w) : 1;
  }

  /** Two-sided tail probability of u given the history (1 when u is not finite). */
  pValue(u: number): number {
    if (!Number.isFinite(u)) {
      return 1;
    }
    const normal = 2 * normalTail(u / this.widening());
    const n = this.#history.size;
    const frequency = n === 0 ? 0 : this.#history.countAtLeast(u) / n;
    return Math.min(1, Math.max(normal, frequency));
  }

  push(u: number): void {
    this.#history.push(u);
  }

  values(): number[] {
    return this.#history.values();
  }
}
