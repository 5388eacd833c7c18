import { ForecastInputError } from '../ForecastInputError.js';
import type { ForecastPath, ModelKind } from '../types.js';
import { checkFitInput } from './checkFitInput.js';
import type { FitContext, ForecastModel } from './ForecastModel.js';

/** Below this AutoETS has too few points to compare its candidate models by information criterion. */
const MIN_POINTS = 10;

/**
 * augurs' AutoETS without a seasonal component ("ZZN": error and trend chosen by AICc, no
 * season). augurs' ETS seasonality is meant for short seasons such as 12 months; the daily
 * cycles of operational data (hundreds of steps) are left to MSTL, which hands ETS the
 * deseasonalised series instead.
 */
export class EtsModel implements ForecastModel {
  readonly kind: ModelKind = 'ets';

  unsuitable(length: number): string | undefined {
    return length < MIN_POINTS ? `needs at least ${MIN_POINTS} values (got ${length})` : undefined;
  }

  forecast(values: readonly number[], context: FitContext, horizon: number): ForecastPath {
    checkFitInput(this, values, context, horizon);
    const model = new context.augurs.AutoETS(1, 'ZZN');
    try {
      model.fit(Float64Array.from(values));
      const f = model.predict(horizon, context.level);
      if (f.intervals === undefined) {
        throw new ForecastInputError('level', 'ets: augurs returned no prediction interval');
      }
      return { point: f.point, lower: f.intervals.lower, upper: f.intervals.upper, level: context.level };
    } finally {
      model.free();
    }
  }
}
