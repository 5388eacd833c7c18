import { ForecastInputError } from '../../forecast/ForecastInputError.js';
import { detectSeasons } from '../../forecast/detectSeasons.js';
import { fitTarget, type FitTargetDeps, type ModelChoice } from '../../forecast/fitTarget.js';
import { masePeriod } from '../../forecast/masePeriod.js';
import { prepareHistory } from '../../forecast/prepareHistory.js';
import type { ForecasterConfig } from '../../forecast/resolveForecasterConfig.js';
import { robustBand } from '../../forecast/robustBand.js';
import { seasonalNaiveMae } from '../../forecast/seasonalNaiveMae.js';
import { selectModel } from '../../forecast/selectModel.js';
import { stepsIn } from '../../forecast/stepsIn.js';
import type { ModelKind } from '../../forecast/types.js';
import { ErrorTotals, type ErrorSummary } from './ErrorTotals.js';
import { spreadOrigins } from './spreadOrigins.js';
import type { ForecastSeries } from './ForecastSeries.js';

/** The evaluated forecast leads. */
export const HORIZONS = [
  { key: '1h', seconds: 3_600 },
  { key: '1d', seconds: 86_400 },
] as const;
export type HorizonKey = (typeof HORIZONS)[number]['key'];

export interface EvaluateOptions {
  readonly config: ForecasterConfig;
  /** Forecast origins spread over the held-out part (each one is a refit). */
  readonly origins: number;
}

export interface HorizonResult {
  readonly steps: number;
  /** The model family the in-sample validation chose for this lead. */
  readonly model: ModelKind;
  readonly origins: number;
  readonly model_errors: ErrorSummary;
  /** Seasonal-naive (lag = the MASE lag) and naive at the same origins, for comparison. */
  readonly snaive_errors: ErrorSummary;
  readonly naive_errors: ErrorSummary;
}

export interface SeriesResult {
  readonly dataset: string;
  readonly name: string;
  readonly step: number;
  readonly trainLength: number;
  readonly testLength: number;
  readonly seasons: number[];
  readonly maseLag: number;
  readonly maseScale: number | undefined;
  /** Per horizon; absent when the held-out part is shorter than the lead. */
  readonly horizons: Partial<Record<HorizonKey, HorizonResult>>;
  /** Model failures at origins (the naive model stood in). */
  readonly failures: number;
  /** Origins where the history since the last long gap was too short for a fit (robust band centre scored). */
  readonly warmupOrigins: number;
  readonly fitMs: number;
  /** Why the series was not evaluated at all. */
  readonly skipped?: string;
}

/**
 * Series where more than half of the observed training or held-out values are one and the same
 * value (an idle service's zero request rate, a load generator that stopped, a saturated gauge)
 * are reported but not scored: any forecast that repeats that value is exactly right most of
 * the time, so their MASE says nothing about forecasting and would drag a geometric mean
 * towards 0. (This only removes series from the aggregate; it never changes a forecast.)
 */
const MAX_DOMINANT_SHARE = 0.5;

/** Share of the observed values taken by the most frequent value. */
function dominantShare(values: readonly number[]): number {
  const counts = new Map<number, number>();
  let observed = 0;
  for (const v of values) {
    if (Number.isFinite(v)) {
      counts.set(v, (counts.get(v) ?? 0) + 1);
      observed++;
    }
  }
  return observed === 0 ? 0 : Math.max(...counts.values()) / observed;
}

/**
 * Rolling-origin evaluation of one series, the way the sidecar forecasts: the model family and
 * seasons are chosen once per lead by validation inside the training part (the first 80 %);
 * then, at each origin in the held-out part, the chosen family is refitted on everything
 * observed before the origin (bounded and gap-handled exactly as in operation) and its path
 * is scored over the next `lead` steps. Missing actuals are skipped. MASE is scaled by the
 * training part's seasonal-naive MAE.
 */
export function evaluateForecastSeries(
  series: ForecastSeries,
  options: EvaluateOptions,
  deps: FitTargetDeps
): SeriesResult {
  const { config } = options;
  const { step, values, testStart } = series;
  const n = values.length;
  const train = values.slice(0, testStart);
  const maseLag = masePeriod(step, train.length);
  const maseScale = seasonalNaiveMae(train, maseLag);
  const base = {
    dataset: series.dataset,
    name: series.name,
    step,
    trainLength: testStart,
    testLength: n - testStart,
    maseLag,
    maseScale,
  };
  const t0 = deps.clock.now();
  const steps = HORIZONS.map((h) => stepsIn(h.seconds, step));
  const usable = HORIZONS.map((_, k) => n - testStart >= (steps[k] as number));

  let prepared;
  try {
    prepared = prepareHistory(train, series.start, step, {
      maxFillSteps: Math.max(2, Math.round(config.maxFillSeconds / step)),
      maxPoints: Math.min(config.maxHistoryPoints, stepsIn(config.maxHistorySeconds, step)),
      minPoints: config.minHistoryPoints,
      name: series.name,
    });
  } catch (e) {
    if (e instanceof ForecastInputError) {
      return { ...base, seasons: [], horizons: {}, failures: 0, warmupOrigins: 0, fitMs: 0, skipped: e.message };
    }
    throw e;
  }
  if (maseScale === undefined || maseScale === 0) {
    return {
      ...base,
      seasons: [],
      horizons: {},
      failures: 0,
      warmupOrigins: 0,
      fitMs: 0,
      skipped: 'constant over the training part: MASE is undefined',
    };
  }
  if (!values.slice(testStart).some((v) => Number.isFinite(v))) {
    return {
      ...base,
      seasons: [],
      horizons: {},
      failures: 0,
      warmupOrigins: 0,
      fitMs: 0,
      skipped: 'no observed values in the held-out part',
    };
  }
  for (const [part, share] of [
    ['training', dominantShare(train)],
    ['held-out', dominantShare(values.slice(testStart))],
  ] as const) {
    if (share > MAX_DOMINANT_SHARE) {
      return {
        ...base,
        seasons: [],
        horizons: {},
        failures: 0,
        warmupOrigins: 0,
        fitMs: 0,
        skipped: `${Math.round(share * 100)} % of the observed ${part} values are one value (idle or saturated): MASE would reward repeating it`,
      };
    }
  }
  const seasons = detectSeasons(deps.augurs, prepared.values, step, config.seasons).periods;
  const context = { augurs: deps.augurs, start: prepared.start, stepSeconds: step, seasons, level: config.level };
  // One selection per lead, each with its own validation origins, as a forecaster configured
  // for that lead (selectionLeadSeconds) would make it.
  const best = steps.map(
    (lead) =>
      selectModel(prepared.values, context, {
        candidates: config.candidates,
        horizons: [lead],
        validationOrigins: config.validationOrigins,
        validationSpan: stepsIn(config.validationSpanSeconds, step),
        clock: deps.clock,
        extrapolationLimit: config.extrapolationLimit,
      }).best[0] as ModelKind
  );
  const selection = { best };

  const shortest = Math.min(...steps);
  const origins = spreadOrigins(testStart, n - shortest, options.origins);
  const totals = HORIZONS.map(() => ({
    model: new ErrorTotals(),
    snaive: new ErrorTotals(),
    naive: new ErrorTotals(),
    origins: 0,
  }));
  let failures = 0;
  let warmupOrigins = 0;
  for (const origin of origins) {
    const history = { values: values.slice(0, origin), start: series.start, step };
    // One fit per distinct family at this origin, long enough for every lead that fits before the end.
    const leads = HORIZONS.map((_, k) => (usable[k] && origin + (steps[k] as number) <= n ? (steps[k] as number) : 0));
    const kinds = new Set(selection.best.filter((_, k) => (leads[k] as number) > 0));
    const paths = new Map<ModelKind, number[]>();
    // The fit ends at the last observed value; when the steps just before the origin are
    // missing, the path must also cover them before it reaches the origin.
    let lastObserved = origin - 1;
    while (lastObserved > 0 && !Number.isFinite(values[lastObserved] as number)) {
      lastObserved--;
    }
    const skip = origin - 1 - lastObserved;
    for (const kind of kinds) {
      const lead = Math.max(...HORIZONS.map((_, k) => (selection.best[k] === kind ? (leads[k] as number) : 0)));
      const choice: ModelChoice = { kind, seasons };
      try {
        const fit = fitTarget(history, { ...config, horizonSeconds: (lead + skip) * step }, deps, choice);
        if (fit.failure !== undefined) {
          failures++;
        }
        paths.set(kind, fit.path.point.slice(skip));
      } catch (e) {
        if (!(e instanceof ForecastInputError)) {
          throw e;
        }
        // Too little usable history since a long gap: the sidecar is in warm-up here and its
        // expectation is the robust band's centre, so that is what gets scored.
        const band = robustBand(history.values, config.band);
        if (band === undefined) {
          continue;
        }
        warmupOrigins++;
        paths.set(kind, new Array<number>(lead).fill(band.center));
      }
    }
    // Baselines at the same origin from the raw history: the value one lag before each lead's
    // phase, stepping back a further lag while that value is missing.
    const repeat = (lag: number, h: number): number => {
      let i = origin - lag + (h % lag);
      while (i >= 0 && !Number.isFinite(values[i] as number)) {
        i -= lag;
      }
      return i >= 0 ? (values[i] as number) : Number.NaN;
    };
    HORIZONS.forEach((_, k) => {
      const lead = leads[k] as number;
      if (lead === 0) {
        return;
      }
      const path = paths.get(selection.best[k] as ModelKind);
      if (path === undefined) {
        return;
      }
      const t = totals[k] as (typeof totals)[number];
      t.origins++;
      for (let h = 0; h < lead; h++) {
        const actual = values[origin + h] as number;
        t.model.add(actual, path[h] as number);
        t.snaive.add(actual, repeat(maseLag, h));
        t.naive.add(actual, repeat(1, 0));
      }
    });
  }

  const horizons: Partial<Record<HorizonKey, HorizonResult>> = {};
  HORIZONS.forEach((h, k) => {
    const t = totals[k] as (typeof totals)[number];
    if (t.origins === 0) {
      return;
    }
    horizons[h.key] = {
      steps: steps[k] as number,
      model: selection.best[k] as ModelKind,
      origins: t.origins,
      model_errors: t.model.summary(maseScale),
      snaive_errors: t.snaive.summary(maseScale),
      naive_errors: t.naive.summary(maseScale),
    };
  });
  return { ...base, seasons, horizons, failures, warmupOrigins, fitMs: deps.clock.now() - t0 };
}
