import type { ForecastPath, ModelKind } from '../types.js';
import { checkFitInput } from './checkFitInput.js';
import type { FitContext, ForecastModel } from './ForecastModel.js';
import { gaussianPath } from './gaussianPath.js';

/**
 * y[t + h] = y[t + h − m·k] for the smallest k that reaches back into the history: the
 * baseline every other model must beat. With `kind: 'naive'` the period is 1 (the last value
 * carries forward); with `'seasonal-naive'` it is the strongest detected season.
 *
 * The interval is the textbook one for this model: residual standard deviation of the
 * in-sample seasonal differences, growing with the square root of the number of seasons
 * looked ahead.
 */
export class SeasonalNaiveModel implements ForecastModel {
  readonly kind: ModelKind;

  constructor(kind: 'naive' | 'seasonal-naive') {
    this.kind = kind;
  }

  period(context: FitContext): number | undefined {
    return this.kind === 'naive' ? 1 : context.seasons[0];
  }

  unsuitable(length: number, context: FitContext): string | undefined {
    const m = this.period(context);
    if (m === undefined) {
      return 'no seasonal period was detected';
    }
    return length < m + 2 ? `needs at least ${m + 2} values for period ${m} (got ${length})` : undefined;
  }

  forecast(values: readonly number[], context: FitContext, horizon: number): ForecastPath {
    checkFitInput(this, values, context, horizon);
    const m = this.period(context) as number;
    const n = values.length;
    let ss = 0;
    for (let t = m; t < n; t++) {
      ss += ((values[t] as number) - (values[t - m] as number)) ** 2;
    }
    const sigma = Math.sqrt(ss / (n - m));
    const point: number[] = [];
    const spread: number[] = [];
    for (let h = 1; h <= horizon; h++) {
      const seasonsAhead = Math.floor((h - 1) / m) + 1;
      point.push(values[n - m + ((h - 1) % m)] as number);
      spread.push(sigma * Math.sqrt(seasonsAhead));
    }
    return gaussianPath(point, spread, context.level);
  }
}
