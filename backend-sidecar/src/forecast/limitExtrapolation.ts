import type { ForecastPath } from './types.js';

/**
 * Keeps a forecast path within the range the fitted history has shown, widened by `widen` times
 * that range on each side, and at or above 0 when the history never went below 0. Operational
 * metrics are bounded and revert after a ramp (queues drain, autoscalers catch up), but an
 * exponential-smoothing trend fitted to the last hours carries a ramp forward for a whole day;
 * capping it bounds the damage without touching forecasts inside the plausible range. The
 * interval moves with its point so its width is unchanged.
 */
export function limitExtrapolation(path: ForecastPath, history: readonly number[], widen: number): ForecastPath {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of history) {
    if (v < lo) {
      lo = v;
    }
    if (v > hi) {
      hi = v;
    }
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    return path;
  }
  const range = hi - lo;
  const floor = lo >= 0 ? Math.max(0, lo - widen * range) : lo - widen * range;
  const ceiling = hi + widen * range;
  const point: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  path.point.forEach((p, h) => {
    const clamped = Math.min(ceiling, Math.max(floor, p));
    const shift = clamped - p;
    point.push(clamped);
    const l = (path.lower[h] as number) + shift;
    lower.push(lo >= 0 ? Math.max(0, l) : l);
    upper.push((path.upper[h] as number) + shift);
  });
  return { point, lower, upper, level: path.level };
}
