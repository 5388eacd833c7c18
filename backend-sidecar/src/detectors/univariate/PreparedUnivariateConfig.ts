import { normalUpperQuantile } from './normalUpperQuantile.js';
import { resolveUnivariateConfig, type UnivariateConfigInput } from './resolveUnivariateConfig.js';
import { RollingWindow } from './RollingWindow.js';
import { TailCalibrator } from './TailCalibrator.js';
import type { UnivariateConfig } from './types.js';

/** The tests every point goes through, in the order of the calibration histories. */
export const TEST_COUNT = 3;

/** The band a point is scored against (see UnivariateDetector#chooseBand). */
export interface BandChoice {
  /** Index of the model: 0 for the plain trailing band, then one per seasonal period. */
  model: number;
  /** Seasonal reference subtracted from the value (0 for the plain band). */
  reference: number;
  center: number;
  scale: number;
}

/**
 * A validated univariate configuration with everything derived from it that every detector of
 * that configuration can share: the constants that cost a bisection, the layout of a detector's
 * storage and working space for one update. Banks of thousands of detectors prepare it once;
 * `new UnivariateDetector(input)` prepares its own.
 *
 * The working space is reused by every update of every detector sharing this object, which is
 * safe because an update runs to completion on one thread and nothing in it escapes the call.
 */
export class PreparedUnivariateConfig {
  readonly config: Readonly<UnivariateConfig>;
  /** 0 for the plain model, then the seasonal periods in points. */
  readonly periods: readonly number[];
  /** Point z (before widening) at which a point alone reaches the alert threshold. */
  readonly bandZ: number;
  /** The normal distribution's two-sided calibrationQuantile point. */
  readonly normalAtQuantile: number;
  /** Raw values kept for seasonal references (at least 1). */
  readonly historyLength: number;
  /** Numbers of storage one detector needs: history, residual windows, calibration histories. */
  readonly storageLength: number;

  // Working space of one update.
  readonly references: Float64Array;
  readonly recent: Float64Array;
  readonly deviations: Float64Array;
  readonly sorting: Float64Array;
  readonly calibration: Float64Array;
  readonly window: Float64Array;
  readonly band: BandChoice = { model: -1, reference: 0, center: 0, scale: 0 };

  constructor(input: UnivariateConfigInput = {}) {
    const c = resolveUnivariateConfig(input);
    Object.freeze(c.seasonalPeriods);
    this.config = Object.freeze(c);
    this.periods = Object.freeze([0, ...c.seasonalPeriods]);
    // Bonferroni over the three tests: the band is where the spike test alone would page.
    this.bandZ = normalUpperQuantile((1 - c.alertThreshold) / 2 / TEST_COUNT);
    this.normalAtQuantile = normalUpperQuantile((1 - c.calibrationQuantile) / 2);
    const needed = Math.max(1, ...c.seasonalPeriods.map((p) => c.seasonalCycles * p + c.phaseTolerance + 1));
    this.historyLength = Math.min(needed, c.maxHistory);
    this.storageLength =
      this.historyLength +
      this.periods.length * RollingWindow.storageLength(c.window) +
      TEST_COUNT * TailCalibrator.storageLength(c.calibrationWindow, c.calibrationQuantile);
    this.references = new Float64Array(this.periods.length);
    this.recent = new Float64Array(c.spreadWindow);
    this.deviations = new Float64Array(c.spreadWindow);
    this.sorting = new Float64Array(Math.max(c.spreadWindow, c.seasonalCycles * (2 * c.phaseTolerance + 1)));
    this.calibration = new Float64Array(c.calibrationWindow);
    this.window = new Float64Array(c.window);
  }
}
