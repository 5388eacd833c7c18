import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';

import {
  ForecastInputError,
  detectSeasons,
  loadAugurs,
  modelFor,
  prepareHistory,
  selectModel,
  type Augurs,
} from '../src/forecast/index.js';
import type { FitContext } from '../src/forecast/models/ForecastModel.js';
import { FakeClock, T0, meanAbs, seasonalSignal, withNoise } from './forecast-fixtures.js';

const DAY_5MIN = 288;

let augurs: Augurs;
before(async () => {
  augurs = await loadAugurs();
});

function context(seasons: number[], stepSeconds = 300, level = 0.95): FitContext {
  return { augurs, start: T0, stepSeconds, seasons, level };
}

describe('loadAugurs', () => {
  it('initialises the WebAssembly bindings in Node from the installed package', async () => {
    assert.equal(typeof augurs.MSTL.ets, 'function');
    assert.equal(typeof augurs.prophetOptimizer.optimize, 'function');
    // A second load reuses the initialised modules instead of failing.
    const again = await loadAugurs();
    const model = again.MSTL.ets(Uint32Array.from([4]));
    model.fit(Float64Array.from([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]));
    const f = model.predict(4, 0.9);
    model.free();
    assert.deepEqual(
      f.point.map((v) => Math.round(v)),
      [1, 2, 3, 4]
    );
  });
});

describe('MSTL on a daily-seasonal series', () => {
  // Four days of five-minute points: a daily cycle, a slow upward trend and noise.
  const truth = seasonalSignal(5 * DAY_5MIN, DAY_5MIN, 50, 20, 0.005);
  const observed = withNoise(truth, 2, 7);
  const history = observed.slice(0, 4 * DAY_5MIN);
  const future = truth.slice(4 * DAY_5MIN);
  const futureObserved = observed.slice(4 * DAY_5MIN);

  it('detects the daily period', () => {
    const seasons = detectSeasons(augurs, history, 300, { minStrength: 0.2, maxSeasons: 2, snapTolerance: 0.1 });
    assert.equal(seasons.periods[0], DAY_5MIN);
  });

  it('forecasts the next day within tolerance and beats seasonal-naive', () => {
    const mstl = modelFor('mstl').forecast(history, context([DAY_5MIN]), DAY_5MIN);
    const snaive = modelFor('seasonal-naive').forecast(history, context([DAY_5MIN]), DAY_5MIN);
    assert.equal(mstl.point.length, DAY_5MIN);
    // Against the noise-free signal: the daily amplitude is 20, the noise sigma 2.
    const mstlError = meanAbs(mstl.point, future);
    assert.ok(mstlError < 1.5, `MSTL MAE against the signal ${mstlError}`);
    // Against what was observed, as MASE would score it.
    const mstlObserved = meanAbs(mstl.point, futureObserved);
    const snaiveObserved = meanAbs(snaive.point, futureObserved);
    assert.ok(mstlObserved < 0.85 * snaiveObserved, `MSTL ${mstlObserved} vs seasonal-naive ${snaiveObserved}`);
    for (let h = 0; h < DAY_5MIN; h++) {
      assert.ok(
        (mstl.lower[h] as number) <= (mstl.point[h] as number) && (mstl.point[h] as number) <= (mstl.upper[h] as number)
      );
    }
  });

  it('is chosen over the baselines by in-sample validation', () => {
    const selection = selectModel(history, context([DAY_5MIN]), {
      candidates: ['naive', 'seasonal-naive', 'ets', 'mstl'],
      horizons: [12, DAY_5MIN],
      validationOrigins: 3,
      validationSpan: DAY_5MIN,
      clock: new FakeClock(),
    });
    assert.equal(selection.best[1], 'mstl');
    const byKind = Object.fromEntries(selection.scores.map((s) => [s.kind, s.mae[1]]));
    assert.ok((byKind.mstl as number) < (byKind['seasonal-naive'] as number));
  });
});

describe('prediction intervals on noise', () => {
  // White noise around a level: a 95 % interval should hold about 95 % of new values.
  const values = withNoise(new Array<number>(1_200).fill(10), 1, 99);
  const history = values.slice(0, 1_000);
  const future = values.slice(1_000);

  for (const kind of ['ets', 'seasonal-naive'] as const) {
    it(`${kind} covers about the nominal share`, () => {
      const path = modelFor(kind).forecast(history, context([50]), future.length);
      const inside = future.filter((v, h) => v >= (path.lower[h] as number) && v <= (path.upper[h] as number)).length;
      const coverage = inside / future.length;
      // seasonal-naive's interval widens with each season ahead, so it may over-cover; never badly under.
      assert.ok(coverage >= 0.88 && coverage <= (kind === 'ets' ? 0.99 : 1), `${kind} coverage ${coverage}`);
    });
  }

  it('prophet covers about the nominal share', () => {
    const seasonal = withNoise(seasonalSignal(1_200, 48, 10, 3), 1, 5);
    const path = modelFor('prophet').forecast(seasonal.slice(0, 1_000), context([48], 1_800), 200);
    const tail = seasonal.slice(1_000);
    const coverage =
      tail.filter((v, h) => v >= (path.lower[h] as number) && v <= (path.upper[h] as number)).length / tail.length;
    assert.ok(coverage >= 0.88 && coverage <= 0.99, `prophet coverage ${coverage}`);
  });
});

describe('input errors', () => {
  const options = { maxFillSteps: 2, maxPoints: 1_000, minPoints: 20 };

  it('rejects empty and all-missing series by name', () => {
    assert.throws(() => prepareHistory([], T0, 60, options), /values: series is empty/);
    assert.throws(
      () => prepareHistory([Number.NaN, Number.NaN], T0, 60, options),
      (e: unknown) => e instanceof ForecastInputError && /no finite values among 2 steps/.test(e.message)
    );
    assert.throws(() => prepareHistory([1, 2], T0, 0, options), /step: must be a number of seconds > 0/);
  });

  it('says how short a history is after the last long gap', () => {
    const values = [
      ...new Array<number>(50).fill(1),
      ...new Array<number>(5).fill(Number.NaN),
      ...new Array<number>(10).fill(2),
    ];
    assert.throws(
      () => prepareHistory(values, T0, 60, options),
      /too short: 10 usable steps after the last gap longer than 2 steps, need at least 20/
    );
  });

  it('bridges short gaps for fitting only and keeps the input untouched', () => {
    const values = [1, 2, Number.NaN, 4, ...new Array<number>(20).fill(5)];
    const prepared = prepareHistory(values, T0, 60, options);
    assert.equal(prepared.values[2], 3);
    assert.equal(prepared.filled, 1);
    assert.ok(Number.isNaN(values[2] as number));
  });

  it('refuses NaN in a model fit instead of forecasting NaN', () => {
    const values = [1, 2, Number.NaN, ...new Array<number>(30).fill(3)];
    assert.throws(
      () => modelFor('ets').forecast(values, context([]), 5),
      /ets: values\[2\] is NaN; models need gap-free finite values/
    );
  });

  it('refuses too-short series per model with the reason', () => {
    assert.throws(
      () => modelFor('mstl').forecast(new Array<number>(30).fill(1), context([24]), 5),
      /mstl: needs two full cycles of a period \(48 values for period 24, got 30\)/
    );
    assert.throws(
      () => modelFor('mstl').forecast(new Array<number>(30).fill(1), context([]), 5),
      /mstl: no seasonal period was detected/
    );
    assert.throws(() => modelFor('ets').forecast([1, 2, 3], context([]), 5), /ets: needs at least 10 values \(got 3\)/);
    assert.throws(() => modelFor('naive').forecast([], context([]), 5), /naive: series is empty/);
    assert.throws(() => modelFor('naive').forecast([1, 2, 3], context([]), 0), /horizon: must be an integer >= 1/);
  });
});
