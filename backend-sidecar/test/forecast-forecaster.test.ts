import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  Forecaster,
  ForecastInputError,
  RollingForecastMetrics,
  computeTrust,
  defaultForecastTargets,
  fitTarget,
  loadAugurs,
  resolveForecasterConfig,
  seasonalNaiveMae,
  type Augurs,
  type ForecasterConfigInput,
} from '../src/forecast/index.js';
import { FakeClock, T0, seasonalSignal, withNoise } from './forecast-fixtures.js';

let augurs: Augurs;
before(async () => {
  augurs = await loadAugurs();
});

const TARGET = { id: 'frontend:latency_p95', scope: 'service' as const, entity: 'frontend', signal: 'latency_p95' };
const STEP = 60;

/** Small windows so the state changes happen within a few hundred one-minute steps. */
const SMALL: ForecasterConfigInput = {
  minHistoryPoints: 60,
  metricsWindow: 40,
  minEvaluations: 20,
  band: { window: 30, k: 3, minPoints: 10 },
  candidates: ['naive', 'ets'],
  validationOrigins: 3,
  horizonSeconds: 6 * 3_600,
};

function feed(f: Forecaster, values: readonly number[], from: number) {
  return values.map((v, i) => f.observe(T0 + (from + i) * STEP, v));
}

describe('rolling metrics', () => {
  it('computes MASE from a hand-worked case', () => {
    // In-sample seasonal-naive (lag 1) errors: |2-1|, |4-2|, |7-4|, |11-7| -> mean 2.5.
    const scale = seasonalNaiveMae([1, 2, 4, 7, 11], 1);
    assert.equal(scale, 2.5);
    // Lag 2 with a gap: pairs (2,1)=1, (7,5)=2, (9,7)=2; the pair touching NaN is skipped.
    assert.equal(seasonalNaiveMae([1, 5, 2, 7, Number.NaN, 9], 2), 5 / 3);
    const m = new RollingForecastMetrics(10);
    m.add({ actual: 10, point: 11, lower: 9, upper: 13 });
    m.add({ actual: 12, point: 12, lower: 11, upper: 13 });
    m.add({ actual: 14, point: 10, lower: 8, upper: 12 });
    const s = m.summary(scale);
    assert.equal(s.mae, 5 / 3);
    assert.ok(Math.abs((s.mase as number) - 5 / 3 / 2.5) < 1e-12);
    assert.equal(s.coverage, 2 / 3);
    // MAPE: (1/10 + 0 + 4/14) / 3 in percent.
    assert.ok(Math.abs((s.mape as number) - (100 * (0.1 + 4 / 14)) / 3) < 1e-9);
  });

  it('reports MAPE as undefined while a zero actual is in the window, never as a huge number', () => {
    const m = new RollingForecastMetrics(3);
    m.add({ actual: 5, point: 4, lower: 3, upper: 6 });
    m.add({ actual: 0, point: 0.5, lower: 0, upper: 1 });
    assert.equal(m.summary(1).mape, undefined);
    assert.equal(m.summary(1).mae, 0.75);
    m.add({ actual: 2, point: 2, lower: 1, upper: 3 });
    m.add({ actual: 4, point: 4, lower: 3, upper: 5 });
    m.add({ actual: 1, point: 1, lower: 0, upper: 2 });
    // The zero has left the three-slot window.
    assert.equal(m.summary(1).mape, 0);
  });

  it('reports MASE as undefined when the in-sample scale is 0', () => {
    const m = new RollingForecastMetrics(3);
    m.add({ actual: 5, point: 4, lower: 3, upper: 6 });
    assert.equal(seasonalNaiveMae([3, 3, 3, 3], 1), 0);
    assert.equal(m.summary(0).mase, undefined);
    assert.equal(m.summary(undefined).mase, undefined);
  });

  it('combines coverage and error into trust', () => {
    const options = { level: 0.95, minCoverage: 0.8, minEvaluations: 10 };
    const good = { count: 20, mae: 1, mape: undefined, mase: 0.7, coverage: 0.95 };
    assert.equal(computeTrust(good, options), 1);
    assert.equal(computeTrust({ ...good, coverage: 0.8 }, options), 0);
    assert.ok(Math.abs(computeTrust({ ...good, coverage: 0.875 }, options) - 0.5) < 1e-12);
    assert.equal(computeTrust({ ...good, mase: 2 }, options), 0.5);
    assert.equal(computeTrust({ ...good, count: 5 }, options), 0.5);
    assert.equal(
      computeTrust({ count: 0, mae: undefined, mape: undefined, mase: undefined, coverage: undefined }, options),
      0
    );
  });
});

describe('Forecaster', () => {
  it('uses robust bands during warm-up and the model interval once fitted', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, SMALL, { augurs, clock });
    const values = withNoise(new Array<number>(200).fill(0.2), 0.01, 3);
    const first = feed(f, values.slice(0, 5), 0);
    // Fewer observations than the band needs: nothing can decide yet.
    assert.equal(first[0]?.state, 'warmup');
    assert.equal(first[4]?.expected, undefined);
    assert.equal(first[4]?.anomaly, false);
    const warm = feed(f, values.slice(5, 40), 5);
    assert.ok(warm.every((o) => o.state === 'warmup' && o.reason === 'no-fit'));
    assert.equal(warm[warm.length - 1]?.expected?.source, 'band');
    // A spike is flagged by the band during warm-up.
    const spike = f.observe(T0 + 40 * STEP, 0.5);
    assert.equal(spike.expected?.source, 'band');
    assert.equal(spike.anomaly, true);
    // Too little history to fit: still warm-up, reported rather than thrown.
    const early = f.refit();
    assert.equal(early.ok, false);
    assert.match(early.error ?? '', /too short/);
    feed(f, values.slice(41, 150), 41);
    const outcome = f.refit();
    assert.equal(outcome.ok, true);
    assert.equal(outcome.selected, true);
    const after = f.observe(T0 + 150 * STEP, 0.2);
    assert.equal(after.state, 'ok');
    assert.equal(after.expected?.source, 'model');
    assert.equal(after.anomaly, false);
  });

  it('flags an anomaly when the actual leaves the model interval', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, SMALL, { augurs, clock });
    feed(f, withNoise(new Array<number>(200).fill(0.2), 0.01, 11), 0);
    assert.equal(f.refit().ok, true);
    const before = f.snapshot().anomalies;
    const normal = f.observe(T0 + 200 * STEP, 0.2);
    assert.equal(normal.anomaly, false);
    const high = f.observe(T0 + 201 * STEP, 0.4);
    assert.equal(high.state, 'ok');
    assert.equal(high.anomaly, true);
    assert.ok((high.expected?.upper as number) < 0.4);
    const low = f.observe(T0 + 202 * STEP, 0.0);
    assert.equal(low.anomaly, true);
    assert.equal(f.snapshot().anomalies - before, 2);
  });

  it('falls back to bands after poor coverage and returns once the model covers again', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, SMALL, { augurs, clock });
    feed(f, withNoise(new Array<number>(200).fill(0.2), 0.01, 21), 0);
    assert.equal(f.refit().ok, true);
    const steady = feed(f, withNoise(new Array<number>(30).fill(0.2), 0.01, 22), 200);
    assert.ok(steady.every((o) => o.state === 'ok'));
    assert.ok(f.trust() > 0.5, `trust ${f.trust()}`);
    // The level doubles and stays there: the old model misses nearly every point.
    const shifted = feed(f, withNoise(new Array<number>(60).fill(0.4), 0.01, 23), 230);
    const firstFallback = shifted.findIndex((o) => o.state === 'fallback');
    assert.ok(firstFallback > 0, 'switched to fallback');
    assert.equal(shifted[firstFallback]?.reason, 'poor-coverage');
    assert.equal(shifted[shifted.length - 1]?.expected?.source, 'band');
    // The robust band follows the new level, so the new normal is no longer anomalous.
    assert.equal(shifted[shifted.length - 1]?.anomaly, false);
    // The model's forecast is still evaluated in the background.
    assert.ok(shifted[shifted.length - 1]?.model !== undefined);
    assert.equal(f.snapshot().state, 'fallback');
    assert.ok(f.trust() < 0.1, `trust ${f.trust()}`);
    // A refit on the new level brings coverage back; the latch releases at recoverCoverage.
    clock.t += 60_000;
    assert.equal(f.refit().ok, true);
    const recovered = feed(f, withNoise(new Array<number>(80).fill(0.4), 0.01, 24), 290);
    assert.equal(recovered[recovered.length - 1]?.state, 'ok');
  });

  it('falls back when the forecast path no longer reaches the current step', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, { ...SMALL, horizonSeconds: 600 }, { augurs, clock });
    feed(f, withNoise(new Array<number>(100).fill(1), 0.05, 31), 0);
    f.refit();
    const obs = feed(f, new Array<number>(12).fill(1), 100);
    assert.equal(obs[0]?.state, 'ok');
    assert.equal(obs[11]?.state, 'fallback');
    assert.equal(obs[11]?.reason, 'stale');
  });

  it('keeps gaps as gaps and validates timestamps', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, SMALL, { augurs, clock });
    f.observe(T0, 1);
    const missing = f.observe(T0 + STEP, Number.NaN);
    assert.equal(missing.actual, undefined);
    assert.equal(missing.anomaly, false);
    f.observe(T0 + 5 * STEP, 1); // three skipped steps are recorded as missing
    assert.equal(f.historyLength, 6);
    assert.throws(
      () => f.observe(T0 + 5 * STEP, 1),
      (e: unknown) => e instanceof ForecastInputError && e.field === 'timestamp'
    );
    assert.throws(() => f.observe(T0 + 6.5 * STEP, 1), /not on the 60s grid/);
    assert.throws(
      () => new Forecaster(TARGET, 0, SMALL, { augurs, clock }),
      /stepSeconds: must be a number of seconds > 0/
    );
    assert.throws(() => resolveForecasterConfig({ level: 1.2 }), /level: must be strictly between 0 and 1/);
    assert.throws(() => resolveForecasterConfig({ candidates: [] }), /candidates/);
  });

  it('exports the path ahead and a snapshot for the panel', () => {
    const clock = new FakeClock();
    const f = new Forecaster(TARGET, STEP, SMALL, { augurs, clock });
    feed(f, withNoise(seasonalSignal(200, 60, 10, 2), 0.1, 41), 0);
    f.refit();
    const ahead = f.ahead(5);
    assert.equal(ahead.length, 5);
    assert.equal(ahead[0]?.timestamp, T0 + 200 * STEP);
    const snap = f.snapshot();
    assert.ok(snap.model !== undefined);
    assert.equal(snap.level, 0.95);
    assert.ok(snap.lastFitAt !== undefined);
  });
});

describe('calibrated intervals', () => {
  it('cover about the nominal share of new values on a seasonal noisy series', () => {
    const series = withNoise(seasonalSignal(6 * 288, 288, 50, 20, 0.005), 2, 7);
    const config = resolveForecasterConfig({ horizonSeconds: 86_400 });
    const fit = fitTarget({ values: series.slice(0, 5 * 288), start: T0, step: 300 }, config, {
      augurs,
      clock: new FakeClock(),
    });
    const future = series.slice(5 * 288);
    const inside = future.filter(
      (v, h) => v >= (fit.path.lower[h] as number) && v <= (fit.path.upper[h] as number)
    ).length;
    const coverage = inside / future.length;
    assert.ok(coverage >= 0.88 && coverage <= 0.995, `${fit.choice.kind} coverage ${coverage}`);
  });
});

describe('default targets', () => {
  it('are p95 latency and request rate per service and per edge', () => {
    const targets = defaultForecastTargets(['frontend', 'cart'], [{ client: 'frontend', server: 'cart' }]);
    assert.deepEqual(
      targets.map((t) => t.id),
      [
        'frontend:latency_p95',
        'frontend:request_rate',
        'cart:latency_p95',
        'cart:request_rate',
        'frontend->cart:latency_p95',
        'frontend->cart:request_rate',
      ]
    );
    assert.throws(() => defaultForecastTargets(['a'], [], ['latency_p42']), /unknown service signal "latency_p42"/);
  });
});
