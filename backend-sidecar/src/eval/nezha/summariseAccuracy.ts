export interface RankedCase {
  /** 1-based rank of the true service; Infinity when it was not ranked at all. */
  rank: number;
}

export interface Accuracy {
  cases: number;
  /** Percent of cases with the truth at rank 1, within the top 3, and the mean of AC@1..AC@5. */
  ac1: number;
  ac3: number;
  avg5: number;
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** AC@k and Avg@5 as the root-cause literature defines them, in percent with one decimal. */
export function summariseAccuracy(cases: readonly RankedCase[]): Accuracy {
  const n = cases.length;
  if (n === 0) {
    return { cases: 0, ac1: 0, ac3: 0, avg5: 0 };
  }
  const ac = (k: number) => (100 * cases.filter((c) => c.rank <= k).length) / n;
  const avg5 = [1, 2, 3, 4, 5].reduce((sum, k) => sum + ac(k), 0) / 5;
  return { cases: n, ac1: round(ac(1)), ac3: round(ac(3)), avg5: round(avg5) };
}
