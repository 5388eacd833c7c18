import type { Labels } from './types.js';

/** A stable identity of a label set, independent of the order Prometheus listed the labels in. */
export function seriesKey(metric: Labels): string {
  return JSON.stringify(
    Object.keys(metric)
      .sort()
      .map((name) => [name, metric[name]])
  );
}
