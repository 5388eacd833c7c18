import { normalTail } from '../detectors/univariate/normalTail.js';
import { ForecastInputError } from './ForecastInputError.js';

/**
 * z such that P(Z ≤ z) = p for a standard normal Z. Bisection on the shared tail function: it
 * converges to double precision in about 60 steps, is only needed once per fit, and keeps one
 * definition of the normal distribution in the code base.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    throw new ForecastInputError('p', `must be strictly between 0 and 1 (got ${String(p)})`);
  }
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (1 - normalTail(mid) < p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}
