import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseNabTimestamp } from '../nab/parseNabTimestamp.js';
import type { ForecastSeries } from './ForecastSeries.js';
import { toGridSeries } from './toGridSeries.js';

/** The NAB categories with real operational metrics, as in the benchmark anchors. */
export const NAB_FORECAST_CATEGORIES = ['realAWSCloudwatch', 'realKnownCause'] as const;

/** Reads NAB's `data/<category>/*.csv` (timestamp,value) for the forecast categories, sorted by name. */
export function loadNabForecastSeries(nabRoot: string): ForecastSeries[] {
  const out: ForecastSeries[] = [];
  for (const category of NAB_FORECAST_CATEGORIES) {
    const dir = join(nabRoot, 'data', category);
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()) {
      const name = `${category}/${file}`;
      const lines = readFileSync(join(dir, file), 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '');
      const header = lines.shift();
      if (header?.trim() !== 'timestamp,value') {
        throw new Error(`${name}: expected a "timestamp,value" header`);
      }
      const timestamps: number[] = [];
      const values: number[] = [];
      for (const line of lines) {
        const [t, v] = line.split(',');
        timestamps.push(parseNabTimestamp(t ?? '') / 1000);
        values.push(v === undefined || v.trim() === '' ? Number.NaN : Number(v));
      }
      out.push(toGridSeries('nab', name, timestamps, values));
    }
  }
  return out;
}
