import { normalTail } from './normalTail.js';

/**
 * z such that P(Z > z) = p for the standard normal, p in (0, 0.5]. Bisection on the accurate
 * tail function: it is only used when configuring, so simplicity beats speed.
 */
export function normalUpperQuantile(p: number): number {
  if (!(p > 0 && p <= 0.5)) {
    throw new RangeError(`p must be in (0, 0.5] (got ${p})`);
  }
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (normalTail(mid) > p) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return (lo + hi) / 2;
}
