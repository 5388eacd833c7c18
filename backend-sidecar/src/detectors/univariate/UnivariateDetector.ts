import { PreparedUnivariateConfig, TEST_COUNT, type BandChoice } from './PreparedUnivariateConfig.js';
import type { UnivariateConfigInput } from './resolveUnivariateConfig.js';
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
/** Up to this many values are sorted by insertion; longer runs use the typed array's own sort. */
const INSERTION_SORT_LIMIT = 64;

/**
 * Median of n values from `offset` of `values`, sorted in `sorting` (values unchanged). For an
 * even count it is the mean of the two middle values.
 */
function medianOf(values: Float64Array, offset: number, n: number, sorting: Float64Array): number {
  if (n === 0) {
    return Number.NaN;
  }
  if (n <= INSERTION_SORT_LIMIT) {
    for (let i = 0; i < n; i++) {
      const v = values[offset + i]!;
      let j = i;
      while (j > 0 && sorting[j - 1]! > v) {
        sorting[j] = sorting[j - 1]!;
        j--;
      }
      sorting[j] = v;
    }
  } else {
    sorting.set(values.subarray(offset, offset + n));
    sorting.subarray(0, n).sort();
  }
  return n % 2 === 1 ? sorting[(n - 1) >> 1]! : (sorting[n / 2 - 1]! + sorting[n / 2]!) / 2;
}

/**
 * Streaming anomaly detector for one series, fed one point per step. It serves while a
 * multivariate model warms up, as its fallback, and wherever a single series is scored.
 * Memory is bounded by the configuration and held in one Float64Array (the raw history for
 * seasonal references, a sorted residual window per model, a calibration history per test);
 * an update allocates nothing but its result. Each point costs O(window + calibration window),
 * and the whole state round-trips through JSON (`snapshot` / `restore`). See README.md.
 */
export class UnivariateDetector {
  readonly config: Readonly<UnivariateConfig>;
  readonly #plan: PreparedUnivariateConfig;
  /** The raw history ring occupies the start of the storage every window lives in. */
  readonly #storage: Float64Array;
  #historyLength = 0;
  #historyHead = 0;
  readonly #models: RollingWindow[];
  readonly #calibrators: TailCalibrator[];
  #resolution = Number.POSITIVE_INFINITY;
  #lastValue = Number.NaN;
  #open = false;
  #quietFor = 0;
  #runSign = 0;
  #runLength = 0;

  /**
   * Prepares a configuration once for many detectors: they share its validated settings, derived
   * constants and working space (`new UnivariateDetector(prepared)`).
   */
  static prepare(config: UnivariateConfigInput = {}): PreparedUnivariateConfig {
    return new PreparedUnivariateConfig(config);
  }

  constructor(config: UnivariateConfigInput | PreparedUnivariateConfig = {}) {
    const plan = config instanceof PreparedUnivariateConfig ? config : new PreparedUnivariateConfig(config);
    this.#plan = plan;
    this.config = plan.config;
    const c = plan.config;
    const storage = new Float64Array(plan.storageLength);
    this.#storage = storage;
    let offset = plan.historyLength;
    this.#models = plan.periods.map(() => {
      const w = new RollingWindow(c.window, [], storage, offset);
      offset += RollingWindow.storageLength(c.window);
      return w;
    });
    this.#calibrators = KINDS.map(() => {
      const calibrator = new TailCalibrator(c.calibrationWindow, c.calibrationQuantile, [], {
        normalAtQuantile: plan.normalAtQuantile,
        storage,
        offset,
        scratch: plan.calibration,
      });
      offset += TailCalibrator.storageLength(c.calibrationWindow, c.calibrationQuantile);
      return calibrator;
    });
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
    models.forEach((m, i) => detector.#models[i]!.reset(numbers(`snapshot.models[${i}]`, m)));
    calibration.forEach((v, i) => detector.#calibrators[i]!.reset(numbers(`snapshot.calibration[${i}]`, v)));
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
      models: this.#models.map((m) => m.values()),
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
    const plan = this.#plan;
    const c = plan.config;
    const references = plan.references;
    for (let i = 0; i < plan.periods.length; i++) {
      const period = plan.periods[i]!;
      references[i] = period === 0 ? 0 : this.#seasonalReference(period);
    }
    const band = this.#chooseBand(references);

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
      const { center, scale } = band;
      const r = x - references[band.model]! - center;
      // The band's newest residuals and this point's, relative to the band's centre.
      const recent = plan.recent;
      const count = this.#models[band.model]!.latestInto(c.spreadWindow - 1, recent) + 1;
      for (let i = 0; i < count - 1; i++) {
        recent[i] = recent[i]! - center;
      }
      recent[count - 1] = r;
      const spike = Math.abs(r) / scale;
      let level = Number.NaN;
      let levelSign = 0;
      let spread = Number.NaN;
      if (count >= c.levelWindow) {
        const median = medianOf(recent, count - c.levelWindow, c.levelWindow, plan.sorting);
        // In standard errors of the median of levelWindow independent points.
        level = Math.abs(median) / ((scale * MEDIAN_EFFICIENCY) / Math.sqrt(c.levelWindow));
        levelSign = Math.sign(median);
      }
      if (count >= c.spreadWindow) {
        const m = medianOf(recent, 0, count, plan.sorting);
        const deviations = plan.deviations;
        for (let i = 0; i < count; i++) {
          deviations[i] = Math.abs(recent[i]! - m);
        }
        const mad = MAD_TO_SIGMA * medianOf(deviations, 0, count, plan.sorting);
        const ratio = Math.log((mad + SPREAD_EPSILON * scale) / ((1 + SPREAD_EPSILON) * scale));
        // In standard deviations of the log-MAD of spreadWindow points, like the other tests.
        spread = Math.abs(ratio) / (LOG_MAD_SD / Math.sqrt(c.spreadWindow));
      }
      const calibrators = this.#calibrators;
      const ready =
        calibrators[0]!.size >= c.calibrationWarmup &&
        calibrators[1]!.size >= c.calibrationWarmup &&
        calibrators[2]!.size >= c.calibrationWarmup;
      let p = 1;
      let winner = -1;
      for (let i = 0; i < TEST_COUNT; i++) {
        const pi = calibrators[i]!.pValue(i === 0 ? spike : i === 1 ? level : spread);
        if (pi < p) {
          p = pi;
          winner = i;
        }
      }
      if (level > plan.bandZ) {
        shiftSign = levelSign;
      }
      // Non-finite statistics (level and spread before their windows fill) are not pushed.
      calibrators[0]!.push(spike);
      calibrators[1]!.push(level);
      calibrators[2]!.push(spread);
      if (!ready) {
        result = this.#result('warmup', null, band, null, null);
      } else {
        const score = 1 - Math.min(1, p * TEST_COUNT);
        const kind = winner >= 0 ? KINDS[winner]! : null;
        const sign = winner === 0 ? Math.sign(r) : winner === 1 ? levelSign : 0;
        result = this.#result('ok', score, band, kind, sign > 0 ? 'up' : sign < 0 ? 'down' : null);
        this.#advanceAlert(result);
      }
      result.levelZ = Number.isFinite(level) ? level * levelSign : null;
    }

    for (let i = 0; i < this.#models.length; i++) {
      // A seasonal model without a reference yet gets NaN, which its window ignores.
      this.#models[i]!.push(x - references[i]!);
    }
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
      m.keepLatest(this.config.adaptAfter, this.#plan.window);
    }
    this.#runSign = 0;
    this.#runLength = 0;
    return true;
  }

  #result(
    state: UnivariateResult['state'],
    score: number | null,
    band: BandChoice | null,
    kind: AnomalyKind | null,
    direction: UnivariateResult['direction']
  ): UnivariateResult {
    let expected: number | null = null;
    let lower: number | null = null;
    let upper: number | null = null;
    if (band !== null && Number.isFinite(band.reference)) {
      expected = band.reference + band.center;
      const half = this.#plan.bandZ * this.#calibrators[0]!.widening() * band.scale;
      lower = expected - half;
      upper = expected + half;
    }
    const period = band === null ? 0 : this.#plan.periods[band.model]!;
    return {
      state,
      score,
      expected,
      lower,
      upper,
      kind,
      direction,
      seasonalPeriod: period > 0 ? period : null,
      alert: 'none',
      adapted: false,
      levelZ: null,
      levelLimit: this.#plan.bandZ,
    };
  }

  /**
   * The band to score against: the plain trailing band, or a seasonal one when its residuals
   * are clearly tighter (its scale below seasonalGain × the plain one). This is the period
   * detection: a period counts as present exactly when it predicts the series better. Returns
   * the prepared configuration's band record (valid until the next update), or null.
   */
  #chooseBand(references: Float64Array): BandChoice | null {
    const plan = this.#plan;
    const c = plan.config;
    const level = this.#models[0]!.median();
    const floor = Math.max(
      c.absoluteFloor,
      Number.isFinite(level) ? c.relativeFloor * Math.abs(level) : 0,
      Number.isFinite(this.#resolution) ? this.#resolution : 0
    );
    const best = plan.band;
    best.model = -1;
    let bestEffective = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.#models.length; i++) {
      const w = this.#models[i]!;
      if (w.size < c.warmup || !Number.isFinite(references[i]!)) {
        continue;
      }
      const center = w.median();
      let scale = MAD_TO_SIGMA * w.mad(center);
      if (!(scale > floor)) {
        // More than half the residuals identical: the IQR still sees the rest.
        scale = Math.max(IQR_TO_SIGMA * (w.quantile(0.75) - w.quantile(0.25)), floor);
      }
      const effective = plan.periods[i] === 0 ? scale : scale / c.seasonalGain;
      if (effective < bestEffective) {
        bestEffective = effective;
        best.model = i;
        best.reference = references[i]!;
        best.center = center;
        best.scale = scale;
      }
    }
    return best.model < 0 ? null : best;
  }

  /**
   * Median of the values at the same phase of the last `seasonalCycles` cycles (± the phase
   * tolerance). Taking several cycles and neighbours keeps one spike or one missing point in
   * yesterday's data from becoming today's reference. NaN until one cycle is available.
   */
  #seasonalReference(period: number): number {
    const c = this.#plan.config;
    const values = this.#plan.sorting;
    let count = 0;
    for (let cycle = 1; cycle <= c.seasonalCycles; cycle++) {
      for (let j = -c.phaseTolerance; j <= c.phaseTolerance; j++) {
        const lag = cycle * period + j;
        if (lag >= 1 && lag <= this.#historyLength) {
          const v = this.#lagged(lag);
          if (Number.isFinite(v)) {
            values[count++] = v;
          }
        }
      }
    }
    // Sorted in place: the gathered values are working space too.
    return count > c.phaseTolerance * 2 ? medianOf(values, 0, count, values) : Number.NaN;
  }

  #lagged(lag: number): number {
    const n = this.#plan.historyLength;
    let i = this.#historyHead - lag;
    if (i < 0) {
      i += n;
    }
    return this.#storage[i]!;
  }

  #remember(v: number): void {
    const n = this.#plan.historyLength;
    this.#storage[this.#historyHead] = v;
    this.#historyHead = this.#historyHead + 1 === n ? 0 : this.#historyHead + 1;
    this.#historyLength = Math.min(this.#historyLength + 1, n);
  }
}
