import type { CalibrationSpec } from './types.js';

/**
 * Maps a raw error onto [0, 1] by linear interpolation over the manifest's calibration table
 * (raw-error quantiles of held-out training windows → their levels): 0 at or below the
 * smallest calibration error, 1 at or above the largest, 0.99 at the 99th percentile. Quantiles
 * are strictly increasing (the manifest parser checks), so the search below is well defined.
 */
export function calibratedScore(error: number, calibration: CalibrationSpec): number {
  const { quantiles, levels } = calibration;
  const last = quantiles.length - 1;
  if (!(error > (quantiles[0] as number))) {
    return Number.isNaN(error) ? Number.NaN : 0;
  }
  if (error >= (quantiles[last] as number)) {
    return 1;
  }
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((quantiles[mid] as number) <= error) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const q0 = quantiles[lo] as number;
  const q1 = quantiles[hi] as number;
  const l0 = levels[lo] as number;
  const l1 = levels[hi] as number;
  const score = l0 + ((error - q0) / (q1 - q0)) * (l1 - l0);
  return Math.min(1, Math.max(0, score));
}
