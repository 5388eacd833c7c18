/** The k largest of n values from `offset` into out[at..at+k-1], ascending (k ≤ n). */
export function largestInto(
  values: Float64Array,
  offset: number,
  n: number,
  k: number,
  out: Float64Array,
  at: number
): void {
  for (let i = 0; i < k; i++) {
    const v = values[offset + i]!;
    let j = i;
    while (j > 0 && out[at + j - 1]! > v) {
      out[at + j] = out[at + j - 1]!;
      j--;
    }
    out[at + j] = v;
  }
  for (let i = k; i < n; i++) {
    const v = values[offset + i]!;
    if (v > out[at]!) {
      insertIntoLargest(out, at, k, v);
    }
  }
}

/**
 * Puts v (larger than out[at], the smallest of the k kept) into the ascending run
 * out[at..at+k-1], dropping that smallest value.
 */
function insertIntoLargest(out: Float64Array, at: number, k: number, v: number): void {
  let j = 0;
  while (j + 1 < k && out[at + j + 1]! < v) {
    out[at + j] = out[at + j + 1]!;
    j++;
  }
  out[at + j] = v;
}
