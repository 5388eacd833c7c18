import { probationaryLength, DEFAULT_PROBATIONARY_PERCENT } from './probationaryLength.js';
import { scaledSigmoid } from './scaledSigmoid.js';
import type { NabFile, NabProfile, SweptFile } from './types.js';
import { windowCodes } from './windowCodes.js';

/** Credit of a detection on the first point of a window; dividing by it makes that credit exactly tpWeight. */
const MAX_TP = scaledSigmoid(-1);

/**
 * Computes, for every point of one file, what a detection there would be worth under `profile`.
 * Inside a window the credit depends on how early the point lies (relative position −1 at the
 * first point, −1/width at the last); outside one the cost depends on the distance after the
 * preceding window relative to that window's width, so a late detection just after a window
 * costs little and one far from any window costs the full FP weight. Points of the probationary
 * period are marked and never count, not even as part of a window.
 */
export function sweepFile(
  file: NabFile,
  anomalyScores: ArrayLike<number>,
  profile: NabProfile,
  probationaryPercent = DEFAULT_PROBATIONARY_PERCENT
): SweptFile {
  const n = file.timestamps.length;
  if (anomalyScores.length !== n) {
    throw new Error(`${file.name}: ${anomalyScores.length} anomaly scores for ${n} records`);
  }
  const indexOf = new Map<number, number>();
  file.timestamps.forEach((t, i) => indexOf.set(t, i));
  const bounds = file.windows.map((w, k) => {
    const left = indexOf.get(w.start);
    const right = indexOf.get(w.end);
    if (left === undefined || right === undefined || right < left) {
      throw new Error(`${file.name}: window ${k} does not start and end on records of the file`);
    }
    return { left, right };
  });
  for (let k = 1; k < bounds.length; k++) {
    if (bounds[k]!.left <= bounds[k - 1]!.right) {
      throw new Error(`${file.name}: windows ${k - 1} and ${k} overlap or are out of order`);
    }
  }

  const probation = probationaryLength(n, probationaryPercent);
  const scores = Float64Array.from(anomalyScores);
  // NAB rejects scores outside [0, 1]; a NaN would also silently break the sort of the sweep.
  const bad = scores.findIndex((v) => !(v >= 0 && v <= 1));
  if (bad >= 0) {
    throw new Error(`${file.name}: anomaly score ${scores[bad]} at record ${bad} is not in [0, 1]`);
  }
  const sweepScores = new Float64Array(n);
  const windowOf = new Int32Array(n);
  const scorable = new Set<number>();
  let next = 0; // next window to enter
  let current = -1; // window the point lies in, or -1
  let prevRight = -1;
  let prevWidth = 0;

  for (let i = 0; i < n; i++) {
    if (current < 0 && next < bounds.length && bounds[next]!.left === i) {
      current = next++;
    }
    if (current >= 0) {
      const { left, right } = bounds[current]!;
      const width = right - left + 1;
      sweepScores[i] = (scaledSigmoid(-(right - i + 1) / width) * profile.tpWeight) / MAX_TP;
    } else if (prevRight < 0) {
      // No window yet: as costly as a detection far away from any window.
      sweepScores[i] = -profile.fpWeight;
    } else {
      sweepScores[i] = scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1)) * profile.fpWeight;
    }
    if (i < probation) {
      windowOf[i] = windowCodes.probation;
    } else {
      windowOf[i] = current >= 0 ? current : windowCodes.none;
      if (current >= 0) {
        scorable.add(current);
      }
    }
    if (current >= 0 && bounds[current]!.right === i) {
      prevRight = i;
      prevWidth = i - bounds[current]!.left + 1;
      current = -1;
    }
  }
  return {
    name: file.name,
    anomalyScores: scores,
    sweepScores,
    windowOf,
    scorableWindows: scorable.size,
    labelledWindows: file.windows.length,
  };
}
