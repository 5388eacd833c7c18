import { alignSeries, stepGrid } from '../../signals/index.js';
import type { ForecastSeries } from './ForecastSeries.js';
import { modalStep } from './modalStep.js';

/** Share of the rows held out at the end, as in the benchmark anchors (last 20 %). */
export const TEST_SHARE = 0.2;

/**
 * Puts raw rows (unix seconds, value) on the series' own step grid with the sidecar's
 * alignment (duplicates merged, short gaps bridged, long gaps left missing) and places the
 * hold-out boundary at the timestamp of row ⌊0.8·rows⌋, which is where the anchors' test
 * period starts, whatever gaps the grid adds.
 */
export function toGridSeries(dataset: string, name: string, timestamps: number[], values: number[]): ForecastSeries {
  if (timestamps.length < 10) {
    throw new Error(`${name}: only ${timestamps.length} rows`);
  }
  const order = timestamps.map((_, i) => i).sort((a, b) => (timestamps[a] as number) - (timestamps[b] as number));
  const ts = order.map((i) => timestamps[i] as number);
  const vs = order.map((i) => values[i] as number);
  const step = modalStep(ts);
  const first = ts[0] as number;
  const grid = stepGrid(first, ts[ts.length - 1] as number, step);
  const aligned = alignSeries(
    ts.map((t, i) => [t, vs[i] as number] as const),
    grid,
    { name }
  );
  const boundary = ts[Math.floor(ts.length * (1 - TEST_SHARE))] as number;
  const testStart = Math.min(grid.length - 1, Math.max(1, Math.round((boundary - first) / step)));
  return { dataset, name, start: first, step, values: aligned.values, testStart };
}
