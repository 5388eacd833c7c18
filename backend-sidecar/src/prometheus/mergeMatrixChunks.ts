import { seriesKey } from './seriesKey.js';
import type { MatrixSeries, Point } from './types.js';

/**
 * Joins the matrices of consecutive range chunks into one: series are matched by their full label
 * set, points are concatenated in time order, and a timestamp present in two chunks is kept once
 * (chunks should not overlap, but a server rounding times differently must not duplicate points).
 * Series keep the order of their first appearance.
 */
export function mergeMatrixChunks(chunks: ReadonlyArray<readonly MatrixSeries[]>): MatrixSeries[] {
  const merged = new Map<string, { metric: MatrixSeries['metric']; points: Point[] }>();
  for (const chunk of chunks) {
    for (const series of chunk) {
      const key = seriesKey(series.metric);
      let entry = merged.get(key);
      if (entry === undefined) {
        entry = { metric: series.metric, points: [] };
        merged.set(key, entry);
      }
      entry.points.push(...series.points);
    }
  }
  const out: MatrixSeries[] = [];
  for (const { metric, points } of merged.values()) {
    points.sort((a, b) => a[0] - b[0]);
    const unique: Point[] = [];
    for (const point of points) {
      const last = unique[unique.length - 1];
      if (last === undefined || last[0] !== point[0]) {
        unique.push(point);
      }
    }
    out.push({ metric, points: unique });
  }
  return out;
}
