import { fitRobustStats } from '../signals/fitRobustStats.js';

/** Interval used when the model is not (yet) trusted. */
export interface RobustBand {
  readonly center: number;
  readonly lower: number;
  readonly upper: number;
  /** Observed values the band was computed from. */
  readonly count: number;
}

/**
 * Median ± k · robust sigma of the most recent `window` observed values (missing ones skipped).
 * The scale is the signals module's robust scale (MAD, then IQR, standard deviation and a floor
 * when the MAD collapses), so a flat series does not get a zero-width band that flags every
 * blip. Undefined when fewer than `minPoints` values were observed: no band is better than one
 * guessed from two points.
 */
export function robustBand(
  values: readonly number[],
  options: { window: number; k: number; minPoints: number }
): RobustBand | undefined {
  const recent: number[] = [];
  for (let i = values.length - 1; i >= 0 && recent.length < options.window; i--) {
    const v = values[i] as number;
    if (Number.isFinite(v)) {
      recent.push(v);
    }
  }
  if (recent.length < options.minPoints) {
    return undefined;
  }
  const stats = fitRobustStats(recent);
  return {
    center: stats.center,
    lower: stats.center - options.k * stats.scale,
    upper: stats.center + options.k * stats.scale,
    count: recent.length,
  };
}
