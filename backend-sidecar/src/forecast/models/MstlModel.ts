import { ForecastInputError } from '../ForecastInputError.js';
import type { ForecastPath, ModelKind } from '../types.js';
import { checkFitInput } from './checkFitInput.js';
import type { FitContext, ForecastModel } from './ForecastModel.js';

/**
 * augurs' MSTL: the series is split into one seasonal component per detected period (STL, one
 * after another) plus a remainder-with-trend that AutoETS forecasts; seasonal components are
 * repeated forward. Needs at least one period and two full cycles of the longest one.
 */
export class MstlModel implements ForecastModel {
  readonly kind: ModelKind = 'mstl';

  periods(length: number, context: FitContext): number[] {
    // A period that does not fit twice cannot be estimated; drop it rather than fail the fit.
    return context.seasons.filter((p) => p >= 2 && length >= 2 * p).sort((a, b) => a - b);
  }

  unsuitable(length: number, context: FitContext): string | undefined {
    if (context.seasons.length === 0) {
      return 'no seasonal period was detected';
    }
    const shortest = Math.min(...context.seasons);
    return this.periods(length, context).length === 0
      ? `needs two full cycles of a period (${2 * shortest} values for period ${shortest}, got ${length})`
      : undefined;
  }

  forecast(values: readonly number[], context: FitContext, horizon: number): ForecastPath {
    checkFitInput(this, values, context, horizon);
    const model = context.augurs.MSTL.ets(Uint32Array.from(this.periods(values.length, context)));
    try {
      model.fit(Float64Array.from(values));
      const f = model.predict(horizon, context.level);
      if (f.intervals === undefined) {
        throw new ForecastInputError('level', 'mstl: augurs returned no prediction interval');
      }
      return { point: f.point, lower: f.intervals.lower, upper: f.intervals.upper, level: context.level };
    } finally {
      model.free();
    }
  }
}
