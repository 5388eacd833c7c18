import { SignalInputError } from './SignalInputError.js';
import { quantileSorted } from './quantileSorted.js';

/** Which estimate ended up as the scale; kept so explanations can say when a floor was used. */
export type ScaleSource = 'mad' | 'iqr' | 'std' | 'relative' | 'absolute';

export interface RobustStats {
  center: number;
  scale: number;
  source: ScaleSource;
  /** Number of finite values the statistics were computed from. */
  count: number;
}

export interface RobustStatsOptions {
  /** Absolute lower bound on the scale, in the signal's unit (see SignalSpec.scaleFloor). */
  absoluteFloor?: number;
  /** Lower bound on the scale as a fraction of |median|. */
  relativeFloor?: number;
  /** Used in error messages. */
  name?: string;
}

/** Makes the MAD a consistent estimator of the standard deviation for normal data. */
const MAD_TO_SIGMA = 1.4826;
/** Same for the interquartile range (IQR of a standard normal is about 1.349). */
const IQR_TO_SIGMA = 1 / 1.349;

export const DEFAULT_RELATIVE_FLOOR = 0.01;
/** Same defaults as the training pipeline, so both sides fit identical baselines. */
export const DEFAULT_ABSOLUTE_FLOOR = 1e-3;

/**
 * Median and a robust scale of training values, ignoring NaN/Inf. The median and MAD ignore
 * the occasional incident inside the training period, which a mean and standard deviation
 * would absorb. When the MAD collapses (more than half the values identical, e.g. an error
 * ratio that is mostly 0) the IQR is tried, then the standard deviation, then the floor, so
 * constant signals get a finite, sensible scale instead of one that turns any blip into a huge
 * score. The order and the floors match the training pipeline's normalisation.
 */
export function fitRobustStats(values: readonly number[], options: RobustStatsOptions = {}): RobustStats {
  const name = options.name ?? 'values';
  const absoluteFloor = options.absoluteFloor ?? DEFAULT_ABSOLUTE_FLOOR;
  const relativeFloor = options.relativeFloor ?? DEFAULT_RELATIVE_FLOOR;
  if (!(absoluteFloor > 0) || !Number.isFinite(absoluteFloor)) {
    throw new SignalInputError('absoluteFloor', `must be a finite number > 0 (got ${String(absoluteFloor)})`);
  }
  if (!(relativeFloor >= 0) || !Number.isFinite(relativeFloor)) {
    throw new SignalInputError('relativeFloor', `must be a finite number >= 0 (got ${String(relativeFloor)})`);
  }
  if (!Array.isArray(values)) {
    throw new SignalInputError(name, 'must be an array of numbers');
  }
  const finite = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) {
    throw new SignalInputError(name, `no finite values to learn from (got ${values.length} values)`);
  }
  const count = finite.length;
  const center = quantileSorted(finite, 0.5);
  const relative = relativeFloor * Math.abs(center);
  const floor = Math.max(relative, absoluteFloor);

  const deviations = finite.map((v) => Math.abs(v - center)).sort((a, b) => a - b);
  const mad = MAD_TO_SIGMA * quantileSorted(deviations, 0.5);
  if (mad > floor) {
    return { center, scale: mad, source: 'mad', count };
  }
  const iqr = IQR_TO_SIGMA * (quantileSorted(finite, 0.75) - quantileSorted(finite, 0.25));
  if (iqr > floor) {
    return { center, scale: iqr, source: 'iqr', count };
  }
  const mean = finite.reduce((a, b) => a + b, 0) / count;
  const std = Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / count);
  if (std > floor) {
    return { center, scale: std, source: 'std', count };
  }
  return { center, scale: floor, source: relative > absoluteFloor ? 'relative' : 'absolute', count };
}
