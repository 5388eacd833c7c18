import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';

import { aggregateMase } from '../src/eval/forecast/aggregateMase.js';
import { ErrorTotals } from '../src/eval/forecast/ErrorTotals.js';
import { evaluateForecastSeries } from '../src/eval/forecast/evaluateForecastSeries.js';
import { loadNabForecastSeries } from '../src/eval/forecast/loadNabForecastSeries.js';
import { loadNezhaForecastSeries } from '../src/eval/forecast/loadNezhaForecastSeries.js';
import { spreadOrigins } from '../src/eval/forecast/spreadOrigins.js';
import { toGridSeries } from '../src/eval/forecast/toGridSeries.js';
import { loadAugurs, resolveForecasterConfig, type Augurs } from '../src/forecast/index.js';
import { FakeClock, T0, seasonalSignal, withNoise } from './forecast-fixtures.js';

let augurs: Augurs;
before(async () => {
  augurs = await loadAugurs();
});

describe('forecast error totals', () => {
  it('computes sMAPE, WAPE and MASE, and MAPE only when every actual is positive', () => {
    const t = new ErrorTotals();
    t.add(10, 8);
    t.add(5, 5);
    t.add(Number.NaN, 3); // a missing actual is skipped, not scored
    const s = t.summary(4);
    assert.equal(s.n, 2);
    assert.equal(s.mae, 1);
    assert.equal(s.mase, 0.25);
    assert.ok(Math.abs(s.smape - (200 * 2) / 18 / 2) < 1e-12);
    assert.ok(Math.abs((s.wape as number) - (100 * 2) / 15) < 1e-12);
    assert.ok(Math.abs((s.mape as number) - 10) < 1e-12);
    t.add(0, 1);
    assert.equal(t.summary(4).mape, undefined);
    assert.equal(t.summary(0).mase, undefined);
    assert.throws(() => t.add(1, Number.NaN), /must be finite/);
  });

  it('aggregates MASE by geometric mean, with mean and median beside it', () => {
    const a = aggregateMase([0.5, 2, undefined, 1]);
    assert.equal(a.series, 3);
    assert.ok(Math.abs((a.gmean as number) - 1) < 1e-12);
    assert.ok(Math.abs((a.mean as number) - 3.5 / 3) < 1e-12);
    assert.equal(a.median, 1);
    assert.equal(aggregateMase([]).gmean, undefined);
  });

  it('spreads origins evenly without duplicates', () => {
    assert.deepEqual(spreadOrigins(100, 130, 4), [100, 110, 120, 130]);
    assert.deepEqual(spreadOrigins(100, 101, 5), [100, 101]);
    assert.deepEqual(spreadOrigins(100, 99, 5), []);
  });
});

describe('grid series', () => {
  it('places the hold-out at row floor(0.8 n) and keeps long gaps missing', () => {
    const ts = Array.from({ length: 20 }, (_, i) => T0 + (i < 10 ? i : i + 5) * 300);
    const s = toGridSeries(
      'test',
      'x',
      ts,
      ts.map((_, i) => i)
    );
    assert.equal(s.step, 300);
    assert.equal(s.values.length, 25);
    // Row 16 sits at grid index 21 because of the five missing steps.
    assert.equal(s.testStart, 21);
    assert.ok(Number.isNaN(s.values[12] as number));
  });

  it('reads the NAB and Nezha layouts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'forecast-eval-'));
    try {
      mkdirSync(join(dir, 'nab', 'data', 'realAWSCloudwatch'), { recursive: true });
      mkdirSync(join(dir, 'nab', 'data', 'realKnownCause'), { recursive: true });
      const rows = Array.from({ length: 30 }, (_, i) => `2014-04-10 00:${String(i * 2).padStart(2, '0')}:00,${i}`);
      writeFileSync(join(dir, 'nab', 'data', 'realKnownCause', 'a.csv'), ['timestamp,value', ...rows].join('\n'));
      const nab = loadNabForecastSeries(join(dir, 'nab'));
      assert.equal(nab.length, 1);
      assert.equal(nab[0]?.name, 'realKnownCause/a.csv');
      assert.equal(nab[0]?.step, 120);

      const metric = join(dir, 'nezha', '2022-08-22', 'metric');
      mkdirSync(metric, { recursive: true });
      const header = 'Time,TimeStamp,PodName,PodServerLatencyP95(s),PodWorkload(Ops)';
      const lines = Array.from(
        { length: 20 },
        (_, i) => `t,${T0 + 60 * i},cart-579f59597d-wc2lz,${i % 3 === 0 ? 'NaN' : 0.01 * i},${i}`
      );
      writeFileSync(join(metric, 'cart-579f59597d-wc2lz_metric.csv.gz'), gzipSync([header, ...lines].join('\n')));
      const nezha = loadNezhaForecastSeries(join(dir, 'nezha'));
      assert.deepEqual(
        nezha.map((s) => s.name),
        ['online-boutique/cart/latency_p95', 'online-boutique/cart/request_rate']
      );
      assert.ok(Number.isNaN(nezha[0]?.values[0] as number));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('rolling-origin evaluation', () => {
  it('scores a daily-seasonal hourly series at both leads and beats the baselines', () => {
    // 40 days of hourly points with a daily cycle.
    const values = withNoise(seasonalSignal(40 * 24, 24, 100, 30, 0.01), 3, 17);
    const series = { dataset: 'synthetic', name: 'daily', start: T0, step: 3_600, values, testStart: 32 * 24 };
    const r = evaluateForecastSeries(
      series,
      { config: resolveForecasterConfig(), origins: 4 },
      { augurs, clock: new FakeClock() }
    );
    assert.equal(r.skipped, undefined);
    assert.equal(r.maseLag, 24);
    assert.ok(r.seasons.includes(24));
    const h1 = r.horizons['1h'];
    const d1 = r.horizons['1d'];
    assert.ok(h1 !== undefined && d1 !== undefined);
    assert.equal(h1.steps, 1);
    assert.equal(d1.steps, 24);
    // The last origin leaves less than a day of held-out data, so it only counts for the hour.
    assert.equal(h1.origins, 4);
    assert.equal(d1.origins, 3);
    assert.ok((d1.model_errors.mase as number) < 1, `1d MASE ${d1.model_errors.mase}`);
    assert.ok((d1.model_errors.mase as number) < (d1.snaive_errors.mase as number));
    assert.ok((d1.model_errors.mase as number) < (d1.naive_errors.mase as number));
  });

  it('reports but does not score series dominated by one value', () => {
    const values = Array.from({ length: 600 }, (_, i) => (i % 10 === 0 ? 5 : 0));
    const series = { dataset: 'synthetic', name: 'idle', start: T0, step: 300, values, testStart: 480 };
    const r = evaluateForecastSeries(
      series,
      { config: resolveForecasterConfig(), origins: 4 },
      { augurs, clock: new FakeClock() }
    );
    assert.match(r.skipped ?? '', /90 % of the observed training values are one value/);
    assert.deepEqual(r.horizons, {});
  });
});
