import { normalQuantile } from '../normalQuantile.js';
import type { ForecastPath } from '../types.js';

/**
 * A forecast path with normal prediction intervals: `point[h] ± z · sigma[h]`, z from the
 * central level. Used where augurs gives no interval (seasonal-naive) or where getting one
 * would cost far more than the fit (Prophet's simulation of 1,000 trend paths).
 */
export function gaussianPath(point: number[], sigma: readonly number[], level: number): ForecastPath {
  const z = normalQuantile(0.5 + level / 2);
  return {
    point,
    lower: point.map((p, h) => p - z * (sigma[h] as number)),
    upper: point.map((p, h) => p + z * (sigma[h] as number)),
    level,
  };
}
