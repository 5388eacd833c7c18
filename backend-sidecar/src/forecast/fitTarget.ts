import { detectSeasons } from './detectSeasons.js';
import type { Augurs } from './loadAugurs.js';
import { limitExtrapolation } from './limitExtrapolation.js';
import { stepsIn } from './stepsIn.js';
import { widenInterval } from './widenInterval.js';
import { masePeriod } from './masePeriod.js';
import type { FitContext } from './models/ForecastModel.js';
import { modelFor } from './models/modelFor.js';
import { prepareHistory } from './prepareHistory.js';
import type { ForecasterConfig } from './resolveForecasterConfig.js';
import { seasonalNaiveMae } from './seasonalNaiveMae.js';
import { selectModel, type ModelSelection } from './selectModel.js';
import type { Clock, ForecastPath, ModelKind } from './types.js';

/** A target's history on its step grid; NaN marks a missing step. */
export interface TargetHistory {
  readonly values: readonly number[];
  /** Unix seconds of values[0]. */
  readonly start: number;
  readonly step: number;
}

/** A model family and the seasons it was chosen with; refits reuse both until the next selection. */
export interface ModelChoice {
  readonly kind: ModelKind;
  readonly seasons: readonly number[];
  /** Interval widening learned by the selection's validation (1 = as the model gives it). */
  readonly intervalScale?: number;
}

export interface TargetFit {
  readonly choice: ModelChoice;
  /** Present when this fit ran a model selection. */
  readonly selection?: ModelSelection;
  readonly path: ForecastPath;
  /** Unix seconds of path step 0 (one step after the last observed value). */
  readonly origin: number;
  /** Set when the chosen family failed and the naive model was fitted instead. */
  readonly failure?: string;
  /** Wall time of the whole fit (selection included), by the injected clock. */
  readonly fitMs: number;
  readonly historyLength: number;
  /** Steps bridged by interpolation for this fit. */
  readonly filled: number;
  /** Lag and value of the in-sample seasonal-naive MAE that scales MASE (undefined: cannot scale). */
  readonly maseLag: number;
  readonly maseScale: number | undefined;
}

export interface FitTargetDeps {
  readonly augurs: Augurs;
  readonly clock: Clock;
}

/**
 * One fit of a forecast target: the history is cut to its usable, bounded part with short gaps
 * bridged, seasons are detected and a model family selected (unless `choice` pins them), and the
 * chosen model forecasts `horizonSeconds` ahead. The same function serves the sidecar's refits
 * and the offline evaluation, so both measure one code path. Throws ForecastInputError when the
 * history is unusable (empty, all missing, too short).
 */
export function fitTarget(
  history: TargetHistory,
  config: ForecasterConfig,
  deps: FitTargetDeps,
  choice?: ModelChoice,
  selectionHorizons?: readonly number[]
): TargetFit {
  const t0 = deps.clock.now();
  const { step } = history;
  const prepared = prepareHistory(history.values, history.start, step, {
    maxFillSteps: Math.max(2, Math.round(config.maxFillSeconds / step)),
    maxPoints: Math.max(
      config.minHistoryPoints,
      Math.min(config.maxHistoryPoints, stepsIn(config.maxHistorySeconds, step))
    ),
    minPoints: config.minHistoryPoints,
  });
  const values = prepared.values;
  const horizon = stepsIn(config.horizonSeconds, step);

  let selection: ModelSelection | undefined;
  let chosen = choice;
  const contextFor = (seasons: readonly number[]): FitContext => ({
    augurs: deps.augurs,
    start: prepared.start,
    stepSeconds: step,
    seasons,
    level: config.level,
  });
  if (
    chosen === undefined ||
    modelFor(chosen.kind).unsuitable(values.length, contextFor(chosen.seasons)) !== undefined
  ) {
    const seasons = detectSeasons(deps.augurs, values, step, config.seasons).periods;
    selection = selectModel(values, contextFor(seasons), {
      candidates: config.candidates,
      horizons: selectionHorizons ?? [stepsIn(config.selectionLeadSeconds, step)],
      validationOrigins: config.validationOrigins,
      validationSpan: stepsIn(config.validationSpanSeconds, step),
      clock: deps.clock,
      extrapolationLimit: config.extrapolationLimit,
    });
    const kind = selection.best[0] as ModelKind;
    chosen = { kind, seasons, intervalScale: selection.scores.find((c) => c.kind === kind)?.intervalScale ?? 1 };
  }

  let path: ForecastPath;
  let failure: string | undefined;
  try {
    const raw = widenInterval(
      modelFor(chosen.kind).forecast(values, contextFor(chosen.seasons), horizon),
      chosen.intervalScale ?? 1
    );
    path = limitExtrapolation(raw, values, config.extrapolationLimit);
    if (path.point.some((v) => !Number.isFinite(v))) {
      throw new Error('forecast contains non-finite values');
    }
  } catch (e) {
    failure = `${chosen.kind}: ${(e as Error).message}`;
    path = modelFor('naive').forecast(values, contextFor(chosen.seasons), horizon);
  }

  // MASE is scaled on the raw window (gaps skipped), never on interpolated values.
  const raw = history.values.slice(prepared.offset, prepared.offset + values.length);
  const maseLag = masePeriod(step, raw.length);
  return {
    choice: chosen,
    ...(selection === undefined ? {} : { selection }),
    path,
    origin: prepared.start + values.length * step,
    ...(failure === undefined ? {} : { failure }),
    fitMs: deps.clock.now() - t0,
    historyLength: values.length,
    filled: prepared.filled,
    maseLag,
    maseScale: seasonalNaiveMae(raw, maseLag),
  };
}
