/**
 * Shapes of the univariate streaming detector. Everything here is plain JSON so a detector's
 * state can be snapshotted, exported and restored after a restart.
 */

/** `warmup` until enough history, `ok` while scoring, `unknown` for a missing or non-finite value. */
export type UnivariateState = 'warmup' | 'ok' | 'unknown';

/** Which test found the point most surprising. */
export type AnomalyKind = 'spike' | 'level_shift' | 'spread';

/**
 * Alerting view of a point: `page` opens an alert (the one notification an on-call engineer
 * should get), `ongoing` belongs to an alert already paged, `none` is outside any alert.
 */
export type AlertPhase = 'page' | 'ongoing' | 'none';

export interface UnivariateResult {
  state: UnivariateState;
  /**
   * 1 − (calibrated tail probability of the point), in [0, 1]; null unless `state` is `ok`.
   * 0.999 means "this surprising happens about once in a thousand points for this series".
   */
  score: number | null;
  /** What the series was expected to be (seasonal reference plus recent level). */
  expected: number | null;
  /** Band outside which a point on its own reaches the alert threshold. */
  lower: number | null;
  upper: number | null;
  kind: AnomalyKind | null;
  /** Sign of the deviation behind `kind` (spread changes have none). */
  direction: 'up' | 'down' | null;
  /** Period (in points) of the seasonal reference in use, or null for the plain trailing band. */
  seasonalPeriod: number | null;
  alert: AlertPhase;
  /** True on the point where a sustained level shift was accepted as the new normal. */
  adapted: boolean;
  /**
   * The level-shift statistic before calibration, signed: how many standard errors the median
   * of the last `levelWindow` residuals lies from the band's centre. Unlike the score it does
   * not fade as the calibration history fills with a sustained shift; it stays high until the
   * band adapts to the new level (`adaptAfter`). Null until the band exists.
   */
  levelZ: number | null;
  /** `levelZ` at which the level test alone would reach the alert threshold before calibration. */
  levelLimit: number;
}

export interface UnivariateConfig {
  /** Points in the trailing robust band (median ± scaled MAD of the residuals). */
  window: number;
  /** Points the band needs before anything is scored. */
  warmup: number;
  /** Points whose median is compared with the band (level-shift test). */
  levelWindow: number;
  /** Points whose MAD is compared with the band's (variance change and flat-line test). */
  spreadWindow: number;
  /** Seasonal periods in points (e.g. a day and a week); empty disables seasonal references. */
  seasonalPeriods: number[];
  /** Past cycles whose same-phase values form the seasonal reference. */
  seasonalCycles: number;
  /** Neighbours either side of the same phase also taken into the reference. */
  phaseTolerance: number;
  /** A seasonal reference is used only when its residual scale is below this share of the plain one. */
  seasonalGain: number;
  /** Upper bound on the raw history kept for seasonal references (memory bound). */
  maxHistory: number;
  /** Points of each test's own history used to calibrate its tail. */
  calibrationWindow: number;
  /** Calibration values needed before scores are trusted. */
  calibrationWarmup: number;
  /** Quantile of a test's history matched to the normal distribution's. */
  calibrationQuantile: number;
  /** Score at or above which an alert pages. */
  alertThreshold: number;
  /** Score at or above which a point keeps an open alert alive. */
  releaseThreshold: number;
  /** Points below the release threshold after which an alert closes. */
  clearAfter: number;
  /** Points of a same-direction level shift after which the band re-learns from the shifted data. */
  adaptAfter: number;
  /** Smallest scale as a share of |level|. */
  relativeFloor: number;
  /** Smallest scale in the series' unit. */
  absoluteFloor: number;
}

/** Plain-data state of a detector; `UnivariateDetector.restore` accepts it back. */
export interface UnivariateSnapshot {
  version: 1;
  config: UnivariateConfig;
  /** Raw values, oldest first, NaN for missing points (serialised as null). */
  history: Array<number | null>;
  /** Residual windows per model: first the plain band, then one per seasonal period. */
  models: number[][];
  /** Calibration history per test: spike, level shift, spread. */
  calibration: number[][];
  /** Smallest positive change between consecutive values seen (the data's resolution). */
  resolution: number | null;
  lastValue: number | null;
  alert: {
    open: boolean;
    /** Points since the last point at or above the release threshold. */
    quietFor: number;
    /** Same-direction level-shift run: its sign and length. */
    runSign: number;
    runLength: number;
  };
}
