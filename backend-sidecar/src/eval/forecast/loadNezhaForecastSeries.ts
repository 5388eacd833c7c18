import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

import type { ForecastSeries } from './ForecastSeries.js';
import { toGridSeries } from './toGridSeries.js';

/**
 * Nezha's per-pod columns for the sidecar's default forecast targets of a service: p95 latency
 * of the requests it serves and its request rate. (Nezha's per-edge files hold median latency,
 * not p95, so they are not a default target.)
 */
const TARGET_COLUMNS: ReadonlyArray<{ column: string; signal: string }> = [
  { column: 'PodServerLatencyP95(s)', signal: 'latency_p95' },
  { column: 'PodWorkload(Ops)', signal: 'request_rate' },
];

/** Systems by the date folder Nezha keeps them in. */
const SYSTEMS: Readonly<Record<string, string>> = { '2022-08-22': 'online-boutique', '2023-01-29': 'train-ticket' };

/** `frontend-579b9bff58-t2dbm` → `frontend`: Kubernetes appends the replica-set and pod hashes. */
function serviceOf(pod: string): string {
  return pod.replace(/-[a-z0-9]{8,10}-[a-z0-9]{5}$/, '');
}

/**
 * Reads the fault-free phase of Nezha (`construct_data/<date>/metric/<pod>_metric.csv.gz`) as
 * one series per service and target signal, sorted by name.
 */
export function loadNezhaForecastSeries(constructRoot: string): ForecastSeries[] {
  const out: ForecastSeries[] = [];
  for (const day of readdirSync(constructRoot).sort()) {
    const dir = join(constructRoot, day, 'metric');
    if (!existsSync(dir)) {
      continue;
    }
    const system = SYSTEMS[day] ?? day;
    for (const file of readdirSync(dir)
      .filter((f) => f.endsWith('_metric.csv.gz'))
      .sort()) {
      const pod = file.replace(/_metric\.csv\.gz$/, '');
      const lines = gunzipSync(readFileSync(join(dir, file)))
        .toString('utf8')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '');
      const header = (lines.shift() ?? '').split(',');
      const tsIndex = header.indexOf('TimeStamp');
      if (tsIndex < 0) {
        throw new Error(`${day}/${file}: no TimeStamp column`);
      }
      const rows = lines.map((l) => l.split(','));
      const timestamps = rows.map((r) => Number(r[tsIndex]));
      for (const { column, signal } of TARGET_COLUMNS) {
        const index = header.indexOf(column);
        if (index < 0) {
          continue;
        }
        // "NaN" (no requests in the minute) stays NaN: a missing latency is not a zero latency.
        const values = rows.map((r) => {
          const text = (r[index] ?? '').trim();
          return text === '' ? Number.NaN : Number(text);
        });
        out.push(toGridSeries(`nezha-${system}`, `${system}/${serviceOf(pod)}/${signal}`, timestamps, values));
      }
    }
  }
  return out;
}
