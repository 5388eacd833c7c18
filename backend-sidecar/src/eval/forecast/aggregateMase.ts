/** Summary of one metric over series: geometric mean (the headline for MASE), mean and median. */
export interface Aggregate {
  series: number;
  gmean: number | undefined;
  mean: number | undefined;
  median: number | undefined;
}

/**
 * MASE is a ratio to a per-series benchmark error, so series are combined with the geometric
 * mean: it treats "half as large" and "twice as large" symmetrically and is not dominated by
 * the one series whose test period holds an outage ten times larger than anything in training
 * (its arithmetic mean is reported beside it). Zero values (a perfect forecast) would send the
 * geometric mean to 0, so they are floored at 1e-6.
 */
export function aggregateMase(values: ReadonlyArray<number | undefined>): Aggregate {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) {
    return { series: 0, gmean: undefined, mean: undefined, median: undefined };
  }
  const sorted = [...v].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    series: v.length,
    gmean: Math.exp(v.reduce((s, x) => s + Math.log(Math.max(x, 1e-6)), 0) / v.length),
    mean: v.reduce((s, x) => s + x, 0) / v.length,
    median:
      sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2,
  };
}
