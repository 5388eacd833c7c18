import type { NabProfile, SweptFile, ThresholdScore } from './types.js';
import { windowCodes } from './windowCodes.js';

/**
 * Raw NAB score of one file when every scorable point with anomaly score ≥ `threshold` is a
 * detection. Summing this over files gives the corpus score at that threshold.
 */
export function scoreAtThreshold(file: SweptFile, threshold: number, profile: NabProfile): ThresholdScore {
  const best = new Map<number, number>();
  let fpCost = 0;
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  for (let i = 0; i < file.windowOf.length; i++) {
    const w = file.windowOf[i]!;
    if (w === windowCodes.probation) {
      continue;
    }
    if (w >= 0 && !best.has(w)) {
      best.set(w, -profile.fnWeight);
    }
    const detected = file.anomalyScores[i]! >= threshold;
    if (w >= 0) {
      if (detected) {
        tp++;
        best.set(w, Math.max(best.get(w)!, file.sweepScores[i]!));
      } else {
        fn++;
      }
    } else if (detected) {
      fp++;
      fpCost += file.sweepScores[i]!;
    } else {
      tn++;
    }
  }
  let score = fpCost;
  for (const v of best.values()) {
    score += v;
  }
  return { threshold, score, tp, tn, fp, fn };
}
