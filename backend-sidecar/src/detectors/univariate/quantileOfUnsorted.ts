import { largestInto } from './largestInto.js';

/** Up to this many order statistics from either end are found by one scan with a small sorted buffer. */
const SCAN_LIMIT = 64;

/**
 * The q-quantile of `n` values starting at `offset` of `values`, in no particular order, with the
 * same linear interpolation between order statistics as a sorted array would give:
 * s[lo] + (s[hi] − s[lo])·(pos − lo) with pos = (n − 1)·q. NaN when n is 0. The values are not
 * changed; `scratch` (at least n numbers) is working space.
 *
 * Quantiles near either end (a calibration's 99th percentile) need only a few order statistics:
 * one pass keeps the largest (or smallest) few in a small sorted buffer. Others use quickselect on
 * a copy. Both give the exact order statistics, ties included.
 */
export function quantileOfUnsorted(
  values: Float64Array,
  offset: number,
  n: number,
  q: number,
  scratch: Float64Array
): number {
  if (n === 0) {
    return Number.NaN;
  }
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  let below: number;
  let above: number;
  if (n - lo <= SCAN_LIMIT) {
    const k = n - lo;
    largestInto(values, offset, n, k, scratch, 0);
    below = scratch[0]!;
    above = hi === lo ? below : scratch[1]!;
  } else if (hi + 1 <= SCAN_LIMIT) {
    smallest(values, offset, n, hi + 1, scratch);
    below = scratch[lo]!;
    above = scratch[hi]!;
  } else {
    for (let i = 0; i < n; i++) {
      scratch[i] = values[offset + i]!;
    }
    below = select(scratch, n, lo);
    above = below;
    if (hi !== lo) {
      // After selecting rank lo, everything to its right is ≥ it: rank lo + 1 is their minimum.
      above = Number.POSITIVE_INFINITY;
      for (let i = lo + 1; i < n; i++) {
        if (scratch[i]! < above) {
          above = scratch[i]!;
        }
      }
    }
  }
  return below + (above - below) * (pos - lo);
}

/** The k smallest values into scratch[0..k-1], ascending. */
function smallest(values: Float64Array, offset: number, n: number, k: number, scratch: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const v = values[offset + i]!;
    let j = i;
    while (j > 0 && scratch[j - 1]! > v) {
      scratch[j] = scratch[j - 1]!;
      j--;
    }
    scratch[j] = v;
  }
  for (let i = k; i < n; i++) {
    const v = values[offset + i]!;
    if (v < scratch[k - 1]!) {
      let j = k - 1;
      while (j > 0 && scratch[j - 1]! > v) {
        scratch[j] = scratch[j - 1]!;
        j--;
      }
      scratch[j] = v;
    }
  }
}

/**
 * Rearranges a[0..n-1] so that a[rank] holds the value of that rank, with nothing larger before
 * it and nothing smaller after it (Hoare's quickselect, median-of-three pivots); returns a[rank].
 */
function select(a: Float64Array, n: number, rank: number): number {
  let left = 0;
  let right = n - 1;
  while (right > left) {
    const mid = (left + right) >> 1;
    // Median of three as the pivot keeps sorted and constant runs from going quadratic.
    if (a[mid]! < a[left]!) {
      swap(a, mid, left);
    }
    if (a[right]! < a[left]!) {
      swap(a, right, left);
    }
    if (a[right]! < a[mid]!) {
      swap(a, right, mid);
    }
    const pivot = a[mid]!;
    let i = left;
    let j = right;
    while (i <= j) {
      while (a[i]! < pivot) {
        i++;
      }
      while (a[j]! > pivot) {
        j--;
      }
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (rank <= j) {
      right = j;
    } else if (rank >= i) {
      left = i;
    } else {
      break;
    }
  }
  return a[rank]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}
