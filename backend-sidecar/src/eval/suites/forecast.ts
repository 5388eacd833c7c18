import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { loadAugurs } from '../../forecast/loadAugurs.js';
import { resolveForecasterConfig } from '../../forecast/resolveForecasterConfig.js';
import type { EvalSuite } from '../EvalSuite.js';
import { aggregateMase } from '../forecast/aggregateMase.js';
import {
  evaluateForecastSeries,
  HORIZONS,
  type HorizonResult,
  type SeriesResult,
} from '../forecast/evaluateForecastSeries.js';
import type { ForecastSeries } from '../forecast/ForecastSeries.js';
import { loadNabForecastSeries } from '../forecast/loadNabForecastSeries.js';
import { loadNezhaForecastSeries } from '../forecast/loadNezhaForecastSeries.js';
import { meanOf } from '../forecast/meanOf.js';
import { readForecastAnchors } from '../forecast/readForecastAnchors.js';

/** Refits per series and lead in the held-out part; enough origins to cover it, few enough for one core. */
const ORIGINS = 12;

const round = (v: number | undefined, digits = 4): number | null =>
  v === undefined || !Number.isFinite(v) ? null : Number(v.toFixed(digits));

/** Rounds every number in plain data, like every other figure in the summary. */
function roundAll(value: unknown): unknown {
  if (typeof value === 'number') {
    return round(value);
  }
  if (Array.isArray(value)) {
    return value.map(roundAll);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundAll(v)]));
  }
  return value;
}

function summarise(results: SeriesResult[]): Record<string, unknown> {
  const out: Record<string, unknown> = {
    series: results.length,
    evaluated: results.filter((r) => r.skipped === undefined).length,
  };
  for (const { key } of HORIZONS) {
    // Series whose held-out part has no scorable error at this lead do not count.
    const rows = results
      .map((r) => r.horizons[key])
      .filter((h): h is HorizonResult => h !== undefined && h.model_errors.mase !== undefined);
    const model = aggregateMase(rows.map((h) => h.model_errors.mase));
    const snaive = aggregateMase(rows.map((h) => h.snaive_errors.mase));
    const naive = aggregateMase(rows.map((h) => h.naive_errors.mase));
    const models: Record<string, number> = {};
    for (const h of rows) {
      models[h.model] = (models[h.model] ?? 0) + 1;
    }
    out[key] = {
      series: model.series,
      mase_gmean: round(model.gmean),
      mase_mean: round(model.mean),
      mase_median: round(model.median),
      smape: round(meanOf(rows.map((h) => h.model_errors.smape))),
      wape: round(meanOf(rows.map((h) => h.model_errors.wape))),
      mape: round(meanOf(rows.map((h) => h.model_errors.mape))),
      mape_series: rows.filter((h) => h.model_errors.mape !== undefined).length,
      snaive_mase_gmean: round(snaive.gmean),
      snaive_mase_mean: round(snaive.mean),
      naive_mase_gmean: round(naive.gmean),
      naive_mase_mean: round(naive.mean),
      snaive_smape: round(meanOf(rows.map((h) => h.snaive_errors.smape))),
      models,
    };
  }
  return out;
}

function describe(r: SeriesResult): string {
  if (r.skipped !== undefined) {
    return `${r.name}: skipped (${r.skipped})`;
  }
  const parts = HORIZONS.map(({ key }) => {
    const h = r.horizons[key];
    if (h === undefined) {
      return `${key} n/a (held-out part shorter than the lead)`;
    }
    const e = h.model_errors;
    return `${key} ${h.model} MASE ${round(e.mase, 3)} (snaive ${round(h.snaive_errors.mase, 3)}, naive ${round(h.naive_errors.mase, 3)}) sMAPE ${round(e.smape, 2)} WAPE ${round(e.wape, 2)} MAPE ${round(e.mape, 2) ?? 'n/a'}`;
  });
  return `${r.name}: step ${r.step}s seasons [${r.seasons.join(',')}] mase-lag ${r.maseLag} | ${parts.join(' | ')} | ${Math.round(r.fitMs)} ms`;
}

/**
 * Rolling-origin forecast accuracy of the sidecar's forecasters on NAB (realAWSCloudwatch,
 * realKnownCause) and on the fault-free phase of Nezha, at leads of one hour and one day.
 */
const suite: EvalSuite = {
  name: 'forecast',
  defaultDataSubdir: '.',
  async run({ dataDir, log }) {
    const augurs = await loadAugurs();
    const clock = { now: () => performance.now() };
    const config = resolveForecasterConfig();
    const started = clock.now();
    const sets: Array<{ key: string; series: ForecastSeries[] }> = [];
    const nabRoot = join(dataDir, 'nab');
    if (existsSync(join(nabRoot, 'data'))) {
      sets.push({ key: 'nab', series: loadNabForecastSeries(nabRoot) });
    } else {
      log(`forecast: no NAB data under ${nabRoot}; skipped`);
    }
    const nezhaRoot = join(dataDir, 'nezha', 'construct_data');
    if (existsSync(nezhaRoot)) {
      const all = loadNezhaForecastSeries(nezhaRoot);
      for (const dataset of [...new Set(all.map((s) => s.dataset))]) {
        sets.push({ key: dataset, series: all.filter((s) => s.dataset === dataset) });
      }
    } else {
      log(`forecast: no Nezha data under ${nezhaRoot}; skipped`);
    }
    if (sets.length === 0) {
      throw new Error(`forecast: neither nab/data nor nezha/construct_data found under ${dataDir}`);
    }

    const results: SeriesResult[] = [];
    const byDataset: Record<string, unknown> = {};
    for (const set of sets) {
      const setResults: SeriesResult[] = [];
      for (const series of set.series) {
        const r = evaluateForecastSeries(series, { config, origins: ORIGINS }, { augurs, clock });
        log(`forecast ${set.key} ${describe(r)}`);
        setResults.push(r);
      }
      results.push(...setResults);
      byDataset[set.key] = summarise(setResults);
    }
    const all = summarise(results) as Record<string, Record<string, number | null>>;
    const scoredNab = new Set(results.filter((r) => r.dataset === 'nab' && r.skipped === undefined).map((r) => r.name));
    const anchors = readForecastAnchors(join(dataDir, 'anchors', 'forecast_baselines_nab.csv'), scoredNab);
    const h1 = all['1h'] ?? {};
    const d1 = all['1d'] ?? {};
    return {
      suite: 'forecast',
      mase_1h: h1.mase_gmean ?? null,
      mase_1d: d1.mase_gmean ?? null,
      smape_1h: h1.smape ?? null,
      smape_1d: d1.smape ?? null,
      wape_1h: h1.wape ?? null,
      wape_1d: d1.wape ?? null,
      aggregation:
        'MASE: geometric mean over series (arithmetic mean and median beside it); sMAPE, WAPE, MAPE: mean over series',
      all,
      datasets: byDataset,
      anchors_nab_one_step: anchors === undefined ? null : roundAll(anchors),
      seconds: round((clock.now() - started) / 1000, 1),
    };
  },
};

export default suite;
