import type { GridSeries } from './UnivariateBank.js';

/** The newest observed value of a series; null when it has none. */
export function lastObserved(series: GridSeries | undefined): number | null {
  if (series === undefined) {
    return null;
  }
  for (let i = series.values.length - 1; i >= 0; i--) {
    if (!series.missing[i]) {
      return series.values[i] as number;
    }
  }
  return null;
}

/** The mean of the observed values; null when none. */
export function meanOfObserved(series: GridSeries | undefined): number | null {
  if (series === undefined) {
    return null;
  }
  let sum = 0;
  let n = 0;
  for (let i = 0; i < series.values.length; i++) {
    if (!series.missing[i]) {
      sum += series.values[i] as number;
      n++;
    }
  }
  return n === 0 ? null : sum / n;
}
