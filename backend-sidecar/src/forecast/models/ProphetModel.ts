import type { ProphetOptions } from '@bsull/augurs/prophet';

import type { ForecastPath, ModelKind } from '../types.js';
import { checkFitInput } from './checkFitInput.js';
import type { FitContext, ForecastModel } from './ForecastModel.js';
import { gaussianPath } from './gaussianPath.js';

const DAY_SECONDS = 86_400;
/** Fewer potential changepoints than Prophet's 25: a fit costs roughly in proportion to them,
 * and a few days of operational data rarely need more than a handful of trend changes. */
const CHANGEPOINTS = 10;
/** Fourier orders: enough for the sharp edges of a business-hours profile, few enough to fit fast. */
const DAILY_ORDER = 8;
const WEEKLY_ORDER = 3;
const OTHER_ORDER = 5;

/**
 * augurs' Prophet with the WebAssembly Stan optimiser (maximum a-posteriori fit). Its
 * seasonalities are exactly the detected periods (daily and weekly map to Prophet's own terms,
 * others become custom ones) so every model family sees the same seasons; Prophet's own
 * automatic choices are switched off. The interval comes from the in-sample residuals rather
 * than from Prophet's simulated trend paths, which would multiply the fit cost several times.
 */
export class ProphetModel implements ForecastModel {
  readonly kind: ModelKind = 'prophet';

  unsuitable(length: number, context: FitContext): string | undefined {
    if (context.seasons.length === 0) {
      // Without a season Prophet is a piecewise-linear trend, which ETS covers at a fraction of the cost.
      return 'no seasonal period was detected';
    }
    const shortest = Math.min(...context.seasons);
    return length < 2 * shortest ? `needs two full cycles of period ${shortest} (got ${length} values)` : undefined;
  }

  forecast(values: readonly number[], context: FitContext, horizon: number): ForecastPath {
    checkFitInput(this, values, context, horizon);
    const { augurs, start, stepSeconds } = context;
    const off = { type: 'manual', enabled: false } as const;
    const options: ProphetOptions = {
      optimizer: augurs.prophetOptimizer,
      uncertaintySamples: 0,
      nChangepoints: CHANGEPOINTS,
      yearlySeasonality: off,
      weeklySeasonality: off,
      dailySeasonality: off,
    };
    const custom: Array<{ name: string; period: number; order: number }> = [];
    for (const p of context.seasons) {
      if (values.length < 2 * p) {
        continue;
      }
      const days = (p * stepSeconds) / DAY_SECONDS;
      if (Math.abs(days - 1) < 1e-9) {
        options.dailySeasonality = { type: 'fourier', order: DAILY_ORDER };
      } else if (Math.abs(days - 7) < 1e-9) {
        options.weeklySeasonality = { type: 'fourier', order: WEEKLY_ORDER };
      } else {
        custom.push({
          name: `period_${p}`,
          period: days,
          order: Math.max(1, Math.min(OTHER_ORDER, Math.floor(p / 2))),
        });
      }
    }
    const model = new augurs.Prophet(options);
    try {
      for (const c of custom) {
        model.addSeasonality(c.name, { period: c.period, fourierOrder: c.order });
      }
      const ds = values.map((_, i) => start + i * stepSeconds);
      model.fit({ ds, y: Float64Array.from(values) });
      const fitted = model.predict().yhat.point;
      let ss = 0;
      for (let i = 0; i < values.length; i++) {
        ss += ((values[i] as number) - (fitted[i] as number)) ** 2;
      }
      const sigma = Math.sqrt(ss / values.length);
      const future = Array.from({ length: horizon }, (_, h) => start + (values.length + h) * stepSeconds);
      const point = model.predict({ ds: future }).yhat.point;
      return gaussianPath(point, new Array<number>(horizon).fill(sigma), context.level);
    } finally {
      model.free();
    }
  }
}
