import { normalTail } from '../../detectors/univariate/normalTail.js';

/** Window and step of NAB's windowed Gaussian detector (its published configuration). */
const WINDOW_SIZE = 6400;
const STEP_SIZE = 100;
/** NAB replaces a zero standard deviation with this. */
const ZERO_STD = 0.000001;
/**
 * NAB's published result files hold each score as Python 2 printed a float: 12 significant
 * digits. The scorer read those files, so scores within about 5e-13 of 1 became exactly 1 and
 * count at the published threshold of 1.0. Reproducing the published number needs the same.
 */
const RESULT_FILE_DIGITS = 12;

/**
 * Sum in the order NumPy's pairwise reduction uses (blocks of 128 summed with eight
 * accumulators, halves split on multiples of 8). The reference detector's threshold sits
 * where 1 − p rounds to exactly 1, so matching NumPy's rounding keeps borderline points on the
 * same side as in the published results.
 */
function pairwiseSum(a: ArrayLike<number>, from: number, n: number): number {
  if (n < 8) {
    let s = 0;
    for (let i = 0; i < n; i++) {
      s += a[from + i]!;
    }
    return s;
  }
  if (n <= 128) {
    let r0 = a[from]!;
    let r1 = a[from + 1]!;
    let r2 = a[from + 2]!;
    let r3 = a[from + 3]!;
    let r4 = a[from + 4]!;
    let r5 = a[from + 5]!;
    let r6 = a[from + 6]!;
    let r7 = a[from + 7]!;
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const j = from + i;
      r0 += a[j]!;
      r1 += a[j + 1]!;
      r2 += a[j + 2]!;
      r3 += a[j + 3]!;
      r4 += a[j + 4]!;
      r5 += a[j + 5]!;
      r6 += a[j + 6]!;
      r7 += a[j + 7]!;
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) {
      s += a[from + i]!;
    }
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, from, half) + pairwiseSum(a, from + half, n - half);
}

/**
 * Re-implementation of NAB's "windowedGaussian" reference detector, used only to check that
 * the scorer reproduces its published score. Each record is scored against the mean and
 * (population) standard deviation of the window before it: 1 − P(|Z| beyond the record's
 * distance from the mean, one tail). The window fills record by record up to 6400 records,
 * then slides in steps of 100; the first record scores 0. Scores are rounded as NAB's result
 * files stored them.
 */
export function windowedGaussianScores(values: readonly number[]): Float64Array {
  const scores = new Float64Array(values.length);
  let window: number[] = [];
  let buffer: number[] = [];
  const squares = new Float64Array(WINDOW_SIZE);
  let mean = 0;
  let std = 1;
  const update = () => {
    const n = window.length;
    mean = pairwiseSum(window, 0, n) / n;
    for (let i = 0; i < n; i++) {
      squares[i] = (window[i]! - mean) * (window[i]! - mean);
    }
    std = Math.sqrt(pairwiseSum(squares, 0, n) / n);
    if (std === 0) {
      std = ZERO_STD;
    }
  };
  values.forEach((x, i) => {
    if (window.length > 0) {
      // NAB mirrors values below the mean to the upper side before taking the tail.
      const mirrored = x < mean ? 2 * mean - x : x;
      scores[i] = Number((1 - normalTail((mirrored - mean) / std)).toPrecision(RESULT_FILE_DIGITS));
    }
    if (window.length < WINDOW_SIZE) {
      window.push(x);
      update();
    } else {
      buffer.push(x);
      if (buffer.length === STEP_SIZE) {
        window = window.slice(STEP_SIZE).concat(buffer);
        buffer = [];
        update();
      }
    }
  });
  return scores;
}
