import type { ForecastPath } from './types.js';

/** Scales the interval half-widths around the point forecast by `factor` (1 returns the path as is). */
export function widenInterval(path: ForecastPath, factor: number): ForecastPath {
  if (factor === 1) {
    return path;
  }
  if (!(factor > 0) || !Number.isFinite(factor)) {
    throw new RangeError(`interval factor must be a finite number > 0 (got ${String(factor)})`);
  }
  return {
    point: path.point,
    lower: path.point.map((p, h) => p - factor * (p - (path.lower[h] as number))),
    upper: path.point.map((p, h) => p + factor * ((path.upper[h] as number) - p)),
    level: path.level,
  };
}
