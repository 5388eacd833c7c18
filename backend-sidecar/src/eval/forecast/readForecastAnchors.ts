import { existsSync, readFileSync } from 'node:fs';

import { aggregateMase, type Aggregate } from './aggregateMase.js';

export interface ForecastAnchors {
  series: number;
  /** The same aggregates over the anchors' rows that this run scored (undefined when no list is given). */
  scored?: { series: number; snaive_mase_1step: Aggregate; naive_mase_1step: Aggregate };
  /** One-step-ahead MASE of seasonal-naive and naive over the anchors' series. */
  snaive_mase_1step: Aggregate;
  naive_mase_1step: Aggregate;
}

/**
 * Reads `anchors/forecast_baselines_nab.csv` (published one-step baselines on the same NAB
 * series and split). Undefined when the file is absent, e.g. on a different data folder.
 */
export function readForecastAnchors(path: string, scoredSeries?: ReadonlySet<string>): ForecastAnchors | undefined {
  if (!existsSync(path)) {
    return undefined;
  }
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',');
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw new Error(`${path}: no column ${name}`);
    }
    return i;
  };
  const s = col('snaive_MASE');
  const n = col('naive1_MASE');
  const name = col('series');
  const rows = lines.map((l) => l.split(','));
  const subset = scoredSeries === undefined ? undefined : rows.filter((r) => scoredSeries.has(r[name] ?? ''));
  return {
    series: rows.length,
    snaive_mase_1step: aggregateMase(rows.map((r) => Number(r[s]))),
    naive_mase_1step: aggregateMase(rows.map((r) => Number(r[n]))),
    ...(subset === undefined
      ? {}
      : {
          scored: {
            series: subset.length,
            snaive_mase_1step: aggregateMase(subset.map((r) => Number(r[s]))),
            naive_mase_1step: aggregateMase(subset.map((r) => Number(r[n]))),
          },
        }),
  };
}
