/**
 * In-sample mean absolute error of the seasonal-naive forecast y[t] ≈ y[t − period]: the
 * denominator of MASE. Pairs where either value is missing (NaN) are skipped, so gaps never
 * count as errors. Undefined when no pair exists; 0 for a series that repeats exactly (the
 * caller must then report MASE as undefined rather than divide by it).
 */
export function seasonalNaiveMae(values: readonly number[], period: number): number | undefined {
  if (!Number.isInteger(period) || period < 1) {
    throw new RangeError(`period must be an integer >= 1 (got ${String(period)})`);
  }
  let sum = 0;
  let count = 0;
  for (let t = period; t < values.length; t++) {
    const a = values[t] as number;
    const b = values[t - period] as number;
    if (Number.isFinite(a) && Number.isFinite(b)) {
      sum += Math.abs(a - b);
      count++;
    }
  }
  return count === 0 ? undefined : sum / count;
}
