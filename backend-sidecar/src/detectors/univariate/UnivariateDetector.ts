import { normalUpperQuantile } from './normalUpperQuantile.js';
import { resolveUnivariateConfig, type UnivariateConfigInput } from './resolveUnivariateConfig.js';
import { RollingWindow } from './RollingWindow.js';
import { TailCalibrator } from './TailCalibrator.js';
import type { AnomalyKind, UnivariateConfig, UnivariateResult, UnivariateSnapshot } from './types.js';
import { UnivariateConfigError } from './UnivariateConfigError.js';

/** Makes the MAD (and the IQR) consistent estimators of the standard deviation for normal data. */
const MAD_TO_SIGMA = 1.4826;
const IQR_TO_SIGMA = 1 / 1.349;
/** Standard deviation of the median of n normal values is about 1.2533·σ/√n. */
const MEDIAN_EFFICIENCY = 1.2533;
/** Standard deviation of log(MAD of n normal values) is about 1.166/√n (the MAD's efficiency is 37 %). */
const LOG_MAD_SD = 1.166;
/**
 * Regularises the spread ratio: a perfectly flat stretch gives log(0.25/1.25) ≈ −1.6, about
 * 7 standard errors, instead of −∞. It also damps the long lower tail of the log-MAD of a few
 * points: with 0.05 instead, random lulls in plain noise made up 40 % of all false pages.
 */
const SPREAD_EPSILON = 0.25;
const KINDS: readonly AnomalyKind[] = ['spike', 'level_shift', 'spread'];

interface Model {
  /** 0 for the plain trailing band, else the seasonal period in points. */
  period: number;
  residuals: RollingWindow;
}

interface Band {
  model: Model;
  /** Seasonal reference subtracted from the value (0 for the plain band). */
  reference: number;
  center: number;
  scale: number;
}

function medianOf(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) {
    return Number.NaN;
  }
  return n % 2 === 1 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/**
 * Streaming anomaly detector for one series, fed one point per step. It serves while a
 * multivariate model warms up, as its fallback, and wherever a single series is scored.
 * Memory is bounded by the configuration, each point costs O(window + calibration window), and
 * the whole state round-trips through JSON (`snapshot` / `restore`). See README.md.
 */
export class UnivariateDetector {
  readonly config: Readonly<UnivariateConfig>;
  #history: Float64Array;
  #historyLength = 0;
  #historyHead = 0;
  #models: Model[];
  #calibrators: TailCalibrator[];
  #resolution = Number.POSITIVE_INFINITY;
  #lastValue = Number.NaN;
  #open = false;
  #quietFor = 0;
  #runSign = 0;
  #runLength = 0;
  /** Point z (before widening) at which a point alone reaches the alert threshold. */
  readonly #bandZ: number;

  constructor(config: UnivariateConfigInput = {}) {
    this.config = Object.freeze(resolveUnivariateConfig(config));
    const c = this.config;
    const needed = Math.max(1, ...c.seasonalPeriods.map((p) => c.seasonalCycles * p + c.phaseTolerance + 1));
    this.#history = new Float64Array(Math.min(needed, c.maxHistory));
    this.#models = [0, ...c.seasonalPeriods].map((period) => ({ period, residuals: new RollingWindow(c.window) }));
    this.#calibrators = KINDS.map(() => new TailCalibrator(c.calibrationWindow, c.calibrationQuantile));
    // Bonferroni over the three tests: the band is where the spike test alone would page.
    this.#bandZ = normalUpperQuantile((1 - c.alertThreshold) / 2 / KINDS.length);
  }

  /** Restores a detector from `snapshot()` output (validated). */
  static restore(snapshot: unknown): UnivariateDetector {
    const s = snapshot as Partial<UnivariateSnapshot> | null;
    if (typeof s !== 'object' || s === null || s.version !== 1) {
      throw new UnivariateConfigError('snapshot', 'not a univariate detector snapshot (version 1)');
    }
    const detector = new UnivariateDetector(s.config);
    const numbers = (field: string, v: unknown): number[] => {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw new UnivariateConfigError(field, 'must be an array of finite numbers');
      }
      return v as number[];
    };
    const models = s.models;
    const calibration = s.calibration;
    if (!Array.isArray(models) || models.length !== detector.#models.length) {
      throw new UnivariateConfigError('snapshot.models', `expected ${detector.#models.length} residual windows`);
    }
    if (!Array.isArray(calibration) || calibration.length !== KINDS.length) {
      throw new UnivariateConfigError('snapshot.calibration', `expected ${KINDS.length} calibration histories`);
    }
    if (
      !Array.isArray(s.history) ||
      !s.history.every((v) => v === null || (typeof v === 'number' && Number.isFinite(v)))
    ) {
      throw new UnivariateConfigError('snapshot.history', 'must be an array of finite numbers or null');
    }
    const c = detector.config;
    models.forEach((m, i) => detector.#models[i]!.residuals.reset(numbers(`snapshot.models[${i}]`, m)));
    detector.#calibrators = calibration.map(
      (v, i) => new TailCalibrator(c.calibrationWindow, c.calibrationQuantile, numbers(`snapshot.calibration[${i}]`, v))
    );
    for (const v of s.history) {
      detector.#remember(v === null ? Number.NaN : v);
    }
    detector.#resolution =
      typeof s.resolution === 'number' && s.resolution > 0 ? s.resolution : Number.POSITIVE_INFINITY;
    detector.#lastValue = typeof s.lastValue === 'number' ? s.lastValue : Number.NaN;
    const a = s.alert;
    if (typeof a !== 'object' || a === null) {
      throw new UnivariateConfigError('snapshot.alert', 'missing');
    }
    detector.#open = a.open === true;
    detector.#quietFor = Number.isInteger(a.quietFor) ? a.quietFor : 0;
    detector.#runSign = Math.sign(Number(a.runSign) || 0);
    detector.#runLength = Number.isInteger(a.runLength) ? a.runLength : 0;
    return detector;
  }

  /** Plain-JSON copy of the whole state. */
  snapshot(): UnivariateSnapshot {
    const history: Array<number | null> = [];
    for (let lag = this.#historyLength; lag >= 1; lag--) {
      const v = this.#lagged(lag);
      history.push(Number.isFinite(v) ? v : null);
    }
    return {
      version: 1,
      config: { ...this.config, seasonalPeriods: [...this.config.seasonalPeriods] },
      history,
      models: this.#models.map((m) => m.residuals.values()),
      calibration: this.#calibrators.map((c) => c.values()),
      resolution: Number.isFinite(this.#resolution) ? this.#resolution : null,
      lastValue: Number.isFinite(this.#lastValue) ? this.#lastValue : null,
      alert: { open: this.#open, quietFor: this.#quietFor, runSign: this.#runSign, runLength: this.#runLength },
    };
  }

  /**
   * Scores the next point of the series. A missing point (null, NaN, ±Infinity) is `unknown`:
   * it is not scored, does not enter any window and neither opens nor closes an alert (a scrape
   * outage must not page, and a silent service must not resolve its own alert).
   */
  update(value: number | null | undefined): UnivariateResult {
    const x = typeof value === 'number' && Number.isFinite(value) ? value : Number.NaN;
    const references = this.#models.map((m) => (m.period === 0 ? 0 : this.#seasonalReference(m.period)));
    const band = this.#chooseBand(references);
    const residuals = references.map((r) => x - r);

    if (Number.isNaN(x)) {
      this.#remember(x);
      return this.#result('unknown', null, band, null, null);
    }
    if (Number.isFinite(this.#lastValue) && x !== this.#lastValue) {
      // The data's resolution: integer counts cannot move by less than 1, so a one-unit step
      // must never look like many standard deviations.
      this.#resolution = Math.min(this.#resolution, Math.abs(x - this.#lastValue));
    }
    this.#lastValue = x;

    let result: UnivariateResult;
    let shiftSign = 0;
    if (band === null) {
      result = this.#result('warmup', null, null, null, null);
    } else {
      const d = residuals[this.#models.indexOf(band.model)]!;
      const r = d - band.center;
      const recent = band.model.residuals.latest(this.config.spreadWindow - 1).map((v) => v - band.center);
      recent.push(r);
      const stats = [Math.abs(r) / band.scale, Number.NaN, Number.NaN];
      const signs = [Math.sign(r), 0, 0];
      if (recent.length >= this.config.levelWindow) {
        const level = medianOf(recent.slice(-this.config.levelWindow));
        // In standard errors of the median of levelWindow independent points.
        stats[1] = Math.abs(level) / ((band.scale * MEDIAN_EFFICIENCY) / Math.sqrt(this.config.levelWindow));
        signs[1] = Math.sign(level);
      }
      if (recent.length >= this.config.spreadWindow) {
        const m = medianOf(recent);
        const spread = MAD_TO_SIGMA * medianOf(recent.map((v) => Math.abs(v - m)));
        const ratio = Math.log((spread + SPREAD_EPSILON * band.scale) / ((1 + SPREAD_EPSILON) * band.scale));
        // In standard deviations of the log-MAD of spreadWindow points, like the other tests.
        stats[2] = Math.abs(ratio) / (LOG_MAD_SD / Math.sqrt(this.config.spreadWindow));
      }
      const ready = this.#calibrators.every((c) => c.size >= this.config.calibrationWarmup);
      let p = 1;
      let winner = -1;
      stats.forEach((u, i) => {
        const pi = this.#calibrators[i]!.pValue(u);
        if (pi < p) {
          p = pi;
          winner = i;
        }
      });
      if (stats[1]! > this.#bandZ) {
        shiftSign = signs[1]!;
      }
      stats.forEach((u, i) => {
        if (Number.isFinite(u)) {
          this.#calibrators[i]!.push(u);
        }
      });
      if (!ready) {
        result = this.#result('warmup', null, band, null, null);
      } else {
        const score = 1 - Math.min(1, p * KINDS.length);
        const kind = winner >= 0 ? KINDS[winner]! : null;
        const sign = winner >= 0 ? signs[winner]! : 0;
        result = this.#result('ok', score, band, kind, sign > 0 ? 'up' : sign < 0 ? 'down' : null);
        this.#advanceAlert(result);
      }
      result.levelZ = Number.isFinite(stats[1]!) ? stats[1]! * (signs[1] ?? 0) : null;
    }

    residuals.forEach((d, i) => this.#models[i]!.residuals.push(d));
    this.#remember(x);
    result.adapted = this.#adapt(shiftSign);
    return result;
  }

  /** Moves the alert state machine with an `ok` result and sets its `alert` phase. */
  #advanceAlert(result: UnivariateResult): void {
    const score = result.score ?? 0;
    if (!this.#open) {
      if (score >= this.config.alertThreshold) {
        this.#open = true;
        this.#quietFor = 0;
        result.alert = 'page';
      }
      return;
    }
    this.#quietFor = score >= this.config.releaseThreshold ? 0 : this.#quietFor + 1;
    if (this.#quietFor >= this.config.clearAfter) {
      this.#open = false;
      this.#quietFor = 0;
      return;
    }
    result.alert = 'ongoing';
  }

  /**
   * Accepts a sustained level shift as the new normal: after `adaptAfter` consecutive points
   * where the level test is beyond its uncalibrated band (bandZ) on the same side, every
   * residual window restarts from the latest `adaptAfter` points, so the band follows the new
   * level at once instead of after half a window. Uncalibrated, because a shift fills the top
   * 1 % of the calibration history within a few points and widens the calibrated band until it
   * contains the shift: right for scoring (one page, not fifty), wrong for showing the level.
   */
  #adapt(sign: number): boolean {
    if (this.config.adaptAfter === 0) {
      return false;
    }
    if (sign !== 0 && sign === this.#runSign) {
      this.#runLength++;
    } else {
      this.#runSign = sign;
      this.#runLength = sign === 0 ? 0 : 1;
    }
    if (this.#runLength < this.config.adaptAfter) {
      return false;
    }
    for (const m of this.#models) {
      m.residuals.reset(m.residuals.latest(this.config.adaptAfter));
    }
    this.#runSign = 0;
    this.#runLength = 0;
    return true;
  }

  #result(
    state: UnivariateResult['state'],
    score: number | null,
    band: Band | null,
    kind: AnomalyKind | null,
    direction: UnivariateResult['direction']
  ): UnivariateResult {
    let expected: number | null = null;
    let lower: number | null = null;
    let upper: number | null = null;
    if (band !== null && Number.isFinite(band.reference)) {
      expected = band.reference + band.center;
      const half = this.#bandZ * this.#calibrators[0]!.widening() * band.scale;
      lower = expected - half;
      upper = expected + half;
    }
    return {
      state,
      score,
      expected,
      lower,
      upper,
      kind,
      direction,
      seasonalPeriod: band !== null && band.model.period > 0 ? band.model.period : null,
      alert: 'none',
      adapted: false,
      levelZ: null,
      levelLimit: this.#bandZ,
    };
  }

  /**
   * The band to score against: the plain trailing band, or a seasonal one when its residuals
   * are clearly tighter (its scale below seasonalGain × the plain one). This is the period
   * detection: a period counts as present exactly when it predicts the series better.
   */
  #chooseBand(references: number[]): Band | null {
    const c = this.config;
    const level = this.#models[0]!.residuals.median();
    const floor = Math.max(
      c.absoluteFloor,
      Number.isFinite(level) ? c.relativeFloor * Math.abs(level) : 0,
      Number.isFinite(this.#resolution) ? this.#resolution : 0
    );
    let best: Band | null = null;
    let bestEffective = Number.POSITIVE_INFINITY;
    this.#models.forEach((model, i) => {
      const w = model.residuals;
      if (w.size < c.warmup || !Number.isFinite(references[i]!)) {
        return;
      }
      const center = w.median();
      let scale = MAD_TO_SIGMA * w.mad(center);
      if (!(scale > floor)) {
        // More than half the residuals identical: the IQR still sees the rest.
        scale = Math.max(IQR_TO_SIGMA * (w.quantile(0.75) - w.quantile(0.25)), floor);
      }
      const effective = model.period === 0 ? scale : scale / c.seasonalGain;
      if (effective < bestEffective) {
        bestEffective = effective;
        best = { model, reference: references[i]!, center, scale };
      }
    });
    return best;
  }

  /**
   * Median of the values at the same phase of the last `seasonalCycles` cycles (± the phase
   * tolerance). Taking several cycles and neighbours keeps one spike or one missing point in
   * yesterday's data from becoming today's reference. NaN until one cycle is available.
   */
  #seasonalReference(period: number): number {
    const c = this.config;
    const values: number[] = [];
    for (let cycle = 1; cycle <= c.seasonalCycles; cycle++) {
      for (let j = -c.phaseTolerance; j <= c.phaseTolerance; j++) {
        const lag = cycle * period + j;
        if (lag >= 1 && lag <= this.#historyLength) {
          const v = this.#lagged(lag);
          if (Number.isFinite(v)) {
            values.push(v);
          }
        }
      }
    }
    return values.length > c.phaseTolerance * 2 ? medianOf(values) : Number.NaN;
  }

  #lagged(lag: number): number {
    const n = this.#history.length;
    return this.#history[(this.#historyHead - lag + n * 2) % n]!;
  }

  #remember(v: number): void {
    this.#history[this.#historyHead] = v;
    this.#historyHead = (this.#historyHead + 1) % this.#history.length;
    this.#historyLength = Math.min(this.#historyLength + 1, this.#history.length);
  }
}
