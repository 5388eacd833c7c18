import { sweepThresholds } from './sweepThresholds.js';
import type { NabProfile, SweptFile, ThresholdScore } from './types.js';

/**
 * The threshold with the highest raw score over all files together, as NAB's optimiser picks
 * it: one threshold per detector and profile for the whole corpus, not one per file. Among
 * equal scores the highest threshold wins (the first in sweep order).
 */
export function optimiseThreshold(files: readonly SweptFile[], profile: NabProfile): ThresholdScore {
  let best: ThresholdScore | undefined;
  for (const row of sweepThresholds(files, profile)) {
    if (best === undefined || row.score > best.score) {
      best = row;
    }
  }
  // sweepThresholds always returns at least the "no detection" row.
  return best!;
}
