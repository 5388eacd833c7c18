import type { ModelSpec } from './types';

/**
 * Maps a raw error onto [0, 1] by linear interpolation over the manifest's calibration table
 * (raw-error quantiles of held-out windows → their levels), clamped, as the sidecar does: 0 at or
 * below the smallest calibration error, 1 at or above the largest.
 */
export function calibratedScore(error: number, calibration: ModelSpec['calibration']): number {
  const { quantiles, levels } = calibration;
  const last = quantiles.length - 1;
  if (!(error > quantiles[0]!)) {
    return Number.isNaN(error) ? Number.NaN : 0;
  }
  if (error >= quantiles[last]!) {
    return 1;
  }
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (quantiles[mid]! <= error) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  const q0 = quantiles[lo]!;
  const q1 = quantiles[hi]!;
  const l0 = levels[lo]!;
  const l1 = levels[hi]!;
  const score = l0 + ((error - q0) / (q1 - q0)) * (l1 - l0);
  return Math.min(1, Math.max(0, score));
}
