import type { MatrixSeries } from '../../prometheus/types.js';
import { dataFrame, type DataFrame } from './dataFrame.js';

/**
 * One "timeseries-multi" frame per series: `Time` and one number field with the series' labels.
 * Points Prometheus did not return are absent (gaps stay gaps).
 */
export function buildSeriesFrames(
  series: readonly MatrixSeries[],
  field: string,
  options: {
    unit?: string;
    name?: (labels: Readonly<Record<string, string>>) => string;
    extraLabels?: Readonly<Record<string, string>>;
  } = {}
): DataFrame[] {
  return series.map((s) => {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(s.metric)) {
      if (k !== '__name__') {
        labels[k] = v;
      }
    }
    Object.assign(labels, options.extraLabels ?? {});
    return dataFrame(options.name?.(labels) ?? field, [
      { name: 'Time', type: 'time', values: s.points.map(([t]) => Math.round(t * 1000)) },
      {
        name: field,
        type: 'number',
        values: s.points.map(([, v]) => (Number.isFinite(v) ? v : null)),
        labels,
        ...(options.unit === undefined ? {} : { config: { unit: options.unit } }),
      },
    ]);
  });
}
