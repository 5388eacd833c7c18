import type { NabProfile, SweptFile, ThresholdScore } from './types.js';
import { windowCodes } from './windowCodes.js';

/** Above any anomaly score, so the first entry is "no detections at all". */
const ABOVE_ALL = 1.1;

/**
 * Score of the files taken together for every distinct threshold, highest threshold first:
 * entry t counts every scorable point whose anomaly score is ≥ t as a detection. Each window
 * starts at −fnWeight (missed) and takes the best credit among its detections, which is that
 * of its earliest detection because the credit falls through the window; every detection
 * outside a window adds its (negative) false-positive cost. Points are swept once in order of
 * decreasing anomaly score, so the whole corpus costs one sort.
 */
export function sweepThresholds(files: readonly SweptFile[], profile: NabProfile): ThresholdScore[] {
  let total = 0;
  for (const f of files) {
    total += f.windowOf.filter((w) => w !== windowCodes.probation).length;
  }
  // Flatten the scorable points; windows get corpus-wide ids.
  const scores = new Float64Array(total);
  const sweep = new Float64Array(total);
  const window = new Int32Array(total);
  let windowBase = 0;
  let p = 0;
  let fn = 0;
  let tn = 0;
  const windowIds = new Set<number>();
  for (const f of files) {
    let maxWindow = -1;
    for (let i = 0; i < f.windowOf.length; i++) {
      const w = f.windowOf[i]!;
      if (w === windowCodes.probation) {
        continue;
      }
      scores[p] = f.anomalyScores[i]!;
      sweep[p] = f.sweepScores[i]!;
      if (w >= 0) {
        window[p] = windowBase + w;
        windowIds.add(windowBase + w);
        fn++;
      } else {
        window[p] = windowCodes.none;
        tn++;
      }
      maxWindow = Math.max(maxWindow, w);
      p++;
    }
    windowBase += Math.max(f.labelledWindows, maxWindow + 1);
  }
  const part = new Float64Array(windowBase);
  let score = 0;
  for (const id of windowIds) {
    part[id] = -profile.fnWeight;
    score -= profile.fnWeight;
  }

  const order = Array.from({ length: total }, (_, i) => i);
  // Ties keep corpus order (Array.prototype.sort is stable); ties share one threshold anyway.
  order.sort((a, b) => scores[b]! - scores[a]!);

  const result: ThresholdScore[] = [];
  let tp = 0;
  let fp = 0;
  let threshold = ABOVE_ALL;
  for (const i of order) {
    const s = scores[i]!;
    if (s !== threshold) {
      result.push({ threshold, score, tp, tn, fp, fn });
      threshold = s;
    }
    const w = window[i]!;
    if (w >= 0) {
      tp++;
      fn--;
      if (sweep[i]! > part[w]!) {
        score += sweep[i]! - part[w]!;
        part[w] = sweep[i]!;
      }
    } else {
      fp++;
      tn--;
      score += sweep[i]!;
    }
  }
  result.push({ threshold, score, tp, tn, fp, fn });
  return result;
}
