import { computeTrust } from './computeTrust.js';
import type { ForecastTarget } from './defaultForecastTargets.js';
import { ForecastInputError } from './ForecastInputError.js';
import { fitTarget, type ModelChoice, type TargetFit } from './fitTarget.js';
import type { Augurs } from './loadAugurs.js';
import {
  resolveForecasterConfig,
  type ForecasterConfig,
  type ForecasterConfigInput,
} from './resolveForecasterConfig.js';
import { robustBand } from './robustBand.js';
import { RollingForecastMetrics, type ForecastMetrics } from './RollingForecastMetrics.js';
import { stepsIn } from './stepsIn.js';
import type { Clock, ForecasterState, ModelKind } from './types.js';

export interface ForecasterDeps {
  readonly augurs: Augurs;
  readonly clock: Clock;
}

/** Why the forecaster is in its state (for explanations and the UI). */
export type StateReason =
  | 'no-fit' // warm-up: not fitted yet (or never successfully)
  | 'model' // ok
  | 'poor-coverage' // fallback: recent coverage below the minimum
  | 'fit-failed' // fallback: the chosen model failed and the naive model stands in
  | 'stale'; // fallback: the forecast path ended before this step (refits are behind)

/** The interval an observation was judged against. */
export interface Expectation {
  readonly point: number;
  readonly lower: number;
  readonly upper: number;
  readonly source: 'model' | 'band';
}

export interface Observation {
  readonly timestamp: number;
  /** Undefined when the step is missing. */
  readonly actual: number | undefined;
  readonly state: ForecasterState;
  readonly reason: StateReason;
  /** What decided the anomaly flag; undefined when nothing could (warm-up without enough data). */
  readonly expected: Expectation | undefined;
  /** The model's forecast for this step even when the band decided (shadow evaluation). */
  readonly model: Omit<Expectation, 'source'> | undefined;
  readonly anomaly: boolean;
}

export interface RefitOutcome {
  readonly ok: boolean;
  readonly model?: ModelKind;
  readonly selected: boolean;
  readonly fitMs: number;
  readonly error?: string;
}

export interface ForecasterSnapshot {
  readonly target: ForecastTarget;
  readonly state: ForecasterState;
  readonly reason: StateReason;
  readonly model: ModelKind | undefined;
  readonly seasons: readonly number[];
  /** Clock time of the last refit attempt and of the last successful fit. */
  readonly lastAttemptAt: number | undefined;
  readonly lastFitAt: number | undefined;
  readonly lastFitMs: number | undefined;
  readonly lastError: string | undefined;
  readonly level: number;
  readonly metrics: ForecastMetrics;
  readonly trust: number;
  readonly anomalies: number;
}

/**
 * Forecaster of one target. Observations arrive one grid step at a time; each is judged against
 * the model's prediction interval when the model is trusted (`ok`) and against a robust band of
 * recent values during warm-up and fallback. The model's own forecast is still compared with
 * every actual while the band decides, so the rolling metrics (MAE, MAPE, MASE, coverage) and
 * the trust figure keep tracking the model and can recover. Refits happen only when `refit` is
 * called (by the RefitScheduler), never implicitly, so the cost per cycle stays under the
 * caller's control. History is bounded; missing steps stay NaN.
 */
export class Forecaster {
  readonly target: ForecastTarget;
  readonly step: number;
  readonly config: Readonly<ForecasterConfig>;
  readonly #deps: ForecasterDeps;
  #values: number[] = [];
  /** Unix seconds of #values[0]; undefined until the first observation. */
  #start: number | undefined;
  readonly #keep: number;
  #fit: TargetFit | undefined;
  #choice: ModelChoice | undefined;
  #fitsSinceSelection = 0;
  #lastAttemptAt: number | undefined;
  #lastFitAt: number | undefined;
  #lastError: string | undefined;
  readonly #metrics: RollingForecastMetrics;
  #poorCoverage = false;
  #anomalies = 0;
  #lastState: { state: ForecasterState; reason: StateReason } = { state: 'warmup', reason: 'no-fit' };

  constructor(target: ForecastTarget, stepSeconds: number, config: ForecasterConfigInput, deps: ForecasterDeps) {
    if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) {
      throw new ForecastInputError('stepSeconds', `must be a number of seconds > 0 (got ${String(stepSeconds)})`);
    }
    this.target = target;
    this.step = stepSeconds;
    this.config = Object.freeze(resolveForecasterConfig(config));
    this.#deps = deps;
    this.#keep = Math.max(
      this.config.minHistoryPoints,
      Math.min(this.config.maxHistoryPoints, stepsIn(this.config.maxHistorySeconds, stepSeconds))
    );
    this.#metrics = new RollingForecastMetrics(this.config.metricsWindow);
  }

  /** Unix seconds of the last step recorded (observed or missing), undefined before the first. */
  get lastTimestamp(): number | undefined {
    return this.#start === undefined ? undefined : this.#start + (this.#values.length - 1) * this.step;
  }

  /** Steps currently held (missing ones included). */
  get historyLength(): number {
    return this.#values.length;
  }

  /**
   * Records the value of the grid step at `timestamp` (unix seconds; NaN, null or undefined for a
   * missing step) and judges it. Steps skipped since the previous call are recorded as missing.
   * Timestamps must lie on the step grid and increase.
   */
  observe(timestamp: number, value: number | null | undefined): Observation {
    if (!Number.isFinite(timestamp)) {
      throw new ForecastInputError('timestamp', `must be finite unix seconds (got ${String(timestamp)})`);
    }
    const actual = typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    if (value !== null && value !== undefined && typeof value !== 'number') {
      throw new ForecastInputError('value', `must be a number, null or undefined (got ${typeof value})`);
    }
    const last = this.lastTimestamp;
    if (last !== undefined) {
      const ahead = (timestamp - last) / this.step;
      if (Math.abs(ahead - Math.round(ahead)) > 1e-6) {
        throw new ForecastInputError(
          'timestamp',
          `${timestamp} is not on the ${this.step}s grid that started at ${this.#start}`
        );
      }
      if (Math.round(ahead) < 1) {
        throw new ForecastInputError('timestamp', `${timestamp} is not after the last recorded step ${last}`);
      }
      for (let k = 1; k < Math.round(ahead); k++) {
        this.#values.push(Number.NaN);
      }
    } else {
      this.#start = timestamp;
    }

    const model = this.#modelAt(timestamp);
    const { state, reason } = this.#stateFor(model !== undefined);
    let expected: Expectation | undefined;
    if (state === 'ok' && model !== undefined) {
      expected = { ...model, source: 'model' };
    } else {
      const band = robustBand(this.#values, this.config.band);
      expected =
        band === undefined ? undefined : { point: band.center, lower: band.lower, upper: band.upper, source: 'band' };
    }
    const anomaly =
      actual !== undefined && expected !== undefined && (actual < expected.lower || actual > expected.upper);
    if (anomaly) {
      this.#anomalies++;
    }
    if (actual !== undefined && model !== undefined) {
      this.#metrics.add({ actual, ...model });
      this.#updateCoverageLatch();
    }
    this.#values.push(actual ?? Number.NaN);
    this.#trim();
    this.#lastState = { state, reason };
    return { timestamp, actual, state, reason, expected, model, anomaly };
  }

  /**
   * Refits the model on the history held now. Model selection runs at the first fit and every
   * `reselectEveryFits` fits; the others refit the chosen family. A history that is still too
   * short leaves the forecaster in warm-up and is reported, not thrown.
   */
  refit(): RefitOutcome {
    const now = this.#deps.clock.now();
    this.#lastAttemptAt = now;
    if (this.#start === undefined) {
      this.#lastError = 'no observations yet';
      return { ok: false, selected: false, fitMs: 0, error: this.#lastError };
    }
    const reselect = this.#choice === undefined || this.#fitsSinceSelection >= this.config.reselectEveryFits;
    try {
      const fit = fitTarget(
        { values: this.#values, start: this.#start, step: this.step },
        this.config,
        this.#deps,
        reselect ? undefined : this.#choice
      );
      this.#fit = fit;
      this.#choice = fit.choice;
      this.#fitsSinceSelection = fit.selection === undefined ? this.#fitsSinceSelection + 1 : 1;
      this.#lastFitAt = now;
      this.#lastError = fit.failure;
      return {
        ok: true,
        model: fit.choice.kind,
        selected: fit.selection !== undefined,
        fitMs: fit.fitMs,
        ...(fit.failure ? { error: fit.failure } : {}),
      };
    } catch (e) {
      if (!(e instanceof ForecastInputError)) {
        throw e;
      }
      this.#lastError = e.message;
      return { ok: false, selected: false, fitMs: this.#deps.clock.now() - now, error: e.message };
    }
  }

  /** Clock time of the last refit attempt (what staleness is measured from), undefined if never. */
  lastRefitAt(): number | undefined {
    return this.#lastAttemptAt;
  }

  trust(): number {
    if (this.#fit === undefined) {
      return 0;
    }
    return computeTrust(this.#metrics.summary(this.#fit.maseScale), this.config);
  }

  /** The model's forecast for the steps after the last recorded one, for the forecast panel. */
  ahead(steps: number): Array<{ timestamp: number; point: number; lower: number; upper: number }> {
    const last = this.lastTimestamp;
    const out: Array<{ timestamp: number; point: number; lower: number; upper: number }> = [];
    if (last === undefined) {
      return out;
    }
    for (let k = 1; k <= steps; k++) {
      const t = last + k * this.step;
      const m = this.#modelAt(t);
      if (m === undefined) {
        break;
      }
      out.push({ timestamp: t, ...m });
    }
    return out;
  }

  snapshot(): ForecasterSnapshot {
    const fit = this.#fit;
    return {
      target: this.target,
      state: this.#lastState.state,
      reason: this.#lastState.reason,
      model: fit?.choice.kind,
      seasons: fit === undefined ? [] : [...fit.choice.seasons],
      lastAttemptAt: this.#lastAttemptAt,
      lastFitAt: this.#lastFitAt,
      lastFitMs: fit?.fitMs,
      lastError: this.#lastError,
      level: this.config.level,
      metrics: this.#metrics.summary(fit?.maseScale),
      trust: this.trust(),
      anomalies: this.#anomalies,
    };
  }

  #modelAt(timestamp: number): Omit<Expectation, 'source'> | undefined {
    const fit = this.#fit;
    if (fit === undefined) {
      return undefined;
    }
    const k = Math.round((timestamp - fit.origin) / this.step);
    if (k < 0 || k >= fit.path.point.length) {
      return undefined;
    }
    return {
      point: fit.path.point[k] as number,
      lower: fit.path.lower[k] as number,
      upper: fit.path.upper[k] as number,
    };
  }

  #stateFor(hasModelForecast: boolean): { state: ForecasterState; reason: StateReason } {
    if (this.#fit === undefined) {
      return { state: 'warmup', reason: 'no-fit' };
    }
    if (this.#fit.failure !== undefined) {
      return { state: 'fallback', reason: 'fit-failed' };
    }
    if (!hasModelForecast) {
      return { state: 'fallback', reason: 'stale' };
    }
    if (this.#poorCoverage) {
      return { state: 'fallback', reason: 'poor-coverage' };
    }
    return { state: 'ok', reason: 'model' };
  }

  /** Hysteresis: below minCoverage switches to the band, back only at recoverCoverage. */
  #updateCoverageLatch(): void {
    const m = this.#metrics.summary(undefined);
    if (m.count < this.config.minEvaluations || m.coverage === undefined) {
      return;
    }
    if (!this.#poorCoverage && m.coverage < this.config.minCoverage) {
      this.#poorCoverage = true;
    } else if (this.#poorCoverage && m.coverage >= this.config.recoverCoverage) {
      this.#poorCoverage = false;
    }
  }

  /** Bounded memory: drop the oldest steps in batches once a quarter over the limit. */
  #trim(): void {
    const excess = this.#values.length - this.#keep;
    if (excess > this.#keep / 4 && this.#start !== undefined) {
      this.#values.splice(0, excess);
      this.#start += excess * this.step;
    }
  }
}
