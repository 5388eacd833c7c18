import { ForecastInputError } from './ForecastInputError.js';
import { limitExtrapolation } from './limitExtrapolation.js';
import type { FitContext } from './models/ForecastModel.js';
import { modelFor } from './models/modelFor.js';
import type { Clock, ModelKind } from './types.js';

export interface SelectModelOptions {
  /** Model families to compare, simplest first: on a tie the earlier one wins. */
  readonly candidates: readonly ModelKind[];
  /** Forecast leads (in steps) to choose for; each gets its own winner. */
  readonly horizons: readonly number[];
  /** Number of validation origins at the end of the history. */
  readonly validationOrigins: number;
  /** Steps at the end of the history the origins spread over (clipped to a quarter of the history). */
  readonly validationSpan: number;
  /** Measures the cost of each candidate's fits. */
  readonly clock: Clock;
  /** When set, paths are limited as in operation (see limitExtrapolation) before scoring. */
  readonly extrapolationLimit?: number;
}

export interface CandidateScore {
  readonly kind: ModelKind;
  /** Validation MAE per horizon (same order as `horizons`); undefined when not evaluated. */
  readonly mae: ReadonlyArray<number | undefined>;
  /** Mean milliseconds per fit on the validation origins. */
  readonly fitMs: number | undefined;
  /**
   * Factor (>= 1) by which the candidate's interval half-widths must grow so that the nominal
   * share of validation actuals falls inside; 1 when its intervals were wide enough.
   */
  readonly intervalScale: number;
  /** Why the candidate was not evaluated, when it was not. */
  readonly skipped?: string;
}

export interface ModelSelection {
  /** Winner per horizon (same order as `horizons`). */
  readonly best: ModelKind[];
  readonly scores: CandidateScore[];
  /** Validation origins (indices into the values: the fit used values[0, origin)). */
  readonly origins: number[];
  /** Lead (steps) the validation actually covered: the largest horizon, clipped to the history. */
  readonly validationHorizon: number;
}

/** Widening is capped: a larger factor means the model's error structure is wrong, not its width. */
const MAX_INTERVAL_SCALE = 5;

/**
 * How far outside (> 1) or inside (< 1) its interval an actual fell, relative to the half-width
 * on its side of the point forecast.
 */
function intervalRatio(actual: number, point: number, lower: number, upper: number): number {
  const half = actual >= point ? upper - point : point - lower;
  const distance = Math.abs(actual - point);
  if (!(half > 0)) {
    return distance === 0 ? 0 : MAX_INTERVAL_SCALE;
  }
  return distance / half;
}

/**
 * Split-conformal style calibration from the validation forecasts: the `level` quantile of the
 * ratios is the factor that would have put the nominal share inside. Intervals are only ever
 * widened: narrowing them on a few validation windows would trade false alarms for misses
 * without enough evidence.
 */
function intervalScaleFor(ratios: number[], level: number): number {
  const finite = ratios.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) {
    return 1;
  }
  const q = finite[Math.min(finite.length - 1, Math.ceil(level * finite.length) - 1)] as number;
  return Math.min(MAX_INTERVAL_SCALE, Math.max(1, q));
}

/** The validation may use at most this share of the history, so every fit keeps most of it. */
const MAX_VALIDATION_SHARE = 0.25;

/**
 * Picks a model family per forecast lead by rolling-origin validation inside the history: each
 * candidate is fitted on the values before a few origins near the end and scored by its mean
 * absolute error over the following `horizon` steps. No data after the history is used, so
 * the choice is made the same way in operation and in evaluation. Candidates that cannot be
 * fitted at the earliest origin (too short, no season) or that fail are skipped and say why;
 * when none is left, the error names every candidate's reason.
 */
export function selectModel(
  values: readonly number[],
  context: FitContext,
  options: SelectModelOptions
): ModelSelection {
  const { candidates, horizons, validationOrigins, clock } = options;
  if (candidates.length === 0) {
    throw new ForecastInputError('candidates', 'name at least one model kind');
  }
  if (horizons.length === 0 || horizons.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new ForecastInputError('horizons', `must be integers >= 1 (got ${horizons.join(', ')})`);
  }
  if (!Number.isInteger(validationOrigins) || validationOrigins < 1) {
    throw new ForecastInputError('validationOrigins', `must be an integer >= 1 (got ${String(validationOrigins)})`);
  }
  const n = values.length;
  const lead = Math.max(1, Math.min(Math.max(...horizons), Math.floor(n * MAX_VALIDATION_SHARE)));
  // The origins spread over the most recent `span` steps: at least a day when the history
  // allows, so a lead of an hour is not judged on the last few hours alone.
  const span = Math.max(
    lead,
    Math.min(Math.floor(n * MAX_VALIDATION_SHARE), Math.max(2 * lead, options.validationSpan))
  );
  const origins: number[] = [];
  for (let j = 0; j < validationOrigins; j++) {
    const o = validationOrigins === 1 ? n - lead : Math.round(n - span + (j * (span - lead)) / (validationOrigins - 1));
    if (o >= 2 && !origins.includes(o)) {
      origins.push(o);
    }
  }
  if (origins.length === 0) {
    throw new ForecastInputError('values', `too short to validate models (${n} values)`);
  }
  const earliest = origins[0] as number;

  const scores: CandidateScore[] = candidates.map((kind) => {
    const model = modelFor(kind);
    const reason = model.unsuitable(earliest, context);
    if (reason !== undefined) {
      return { kind, mae: horizons.map(() => undefined), fitMs: undefined, intervalScale: 1, skipped: reason };
    }
    const sums = horizons.map(() => 0);
    const counts = horizons.map(() => 0);
    let spent = 0;
    const ratios: number[] = [];
    try {
      for (const o of origins) {
        const t0 = clock.now();
        const history = values.slice(0, o);
        const raw = model.forecast(history, context, lead);
        const path =
          options.extrapolationLimit === undefined ? raw : limitExtrapolation(raw, history, options.extrapolationLimit);
        spent += clock.now() - t0;
        for (let i = 0; i < lead; i++) {
          ratios.push(
            intervalRatio(
              values[o + i] as number,
              path.point[i] as number,
              path.lower[i] as number,
              path.upper[i] as number
            )
          );
        }
        horizons.forEach((h, k) => {
          for (let i = 0; i < Math.min(h, lead); i++) {
            const err = Math.abs((values[o + i] as number) - (path.point[i] as number));
            sums[k] = (sums[k] as number) + err;
            counts[k] = (counts[k] as number) + 1;
          }
        });
      }
    } catch (e) {
      return {
        kind,
        mae: horizons.map(() => undefined),
        fitMs: undefined,
        intervalScale: 1,
        skipped: `fit failed: ${(e as Error).message}`,
      };
    }
    const mae = sums.map((s, k) => {
      const v = s / (counts[k] as number);
      // A model that produced NaN or infinity is not a contender.
      return Number.isFinite(v) ? v : undefined;
    });
    return { kind, mae, fitMs: spent / origins.length, intervalScale: intervalScaleFor(ratios, context.level) };
  });

  const best = horizons.map((_, k) => {
    let winner: ModelKind | undefined;
    let bestMae = Number.POSITIVE_INFINITY;
    for (const s of scores) {
      const m = s.mae[k];
      if (m !== undefined && m < bestMae) {
        bestMae = m;
        winner = s.kind;
      }
    }
    if (winner === undefined) {
      throw new ForecastInputError(
        'candidates',
        `no candidate could be fitted: ${scores.map((s) => `${s.kind} (${s.skipped ?? 'failed'})`).join('; ')}`
      );
    }
    return winner;
  });
  return { best, scores, origins, validationHorizon: lead };
}
