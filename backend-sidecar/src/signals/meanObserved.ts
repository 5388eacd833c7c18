import type { AlignedSeries } from './alignSeries.js';

/** Mean of the observed (not missing) points of an aligned series; null when none was observed. */
export function meanObserved(series: AlignedSeries | undefined): number | null {
  if (series === undefined) {
    return null;
  }
  let sum = 0;
  let n = 0;
  series.values.forEach((v, i) => {
    if (!series.missing[i]) {
      sum += v;
      n++;
    }
  });
  return n === 0 ? null : sum / n;
}
