import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RootCauseInputError, calibrateDeviation, rankRootCauses } from '../src/rootcause/index.js';
import { fitRobustStats } from '../src/signals/index.js';

const STEP = 60;
const T = 1_700_000_000;

/** Deterministic noise in [-1, 1) so tests never depend on a random seed. */
function noise(seed: number): (i: number) => number {
  return (i: number) => {
    const x = Math.sin((i + 1) * 12.9898 + seed * 78.233) * 43758.5453;
    return (x - Math.floor(x)) * 2 - 1;
  };
}

function series(start: number, values: number[]) {
  return { timestamps: values.map((_, i) => start + i * STEP), values };
}

// Baseline: four hours ending a day before the window, so the window never overlaps it.
const BASE_START = T - 86_400;
const BASE_N = 240;
const WIN_N = 40;
const ALERT_INDEX = 25;
const windowStart = T + (ALERT_INDEX - 2) * STEP;
const calibration = { step: STEP, referenceTime: windowStart, level: { from: 900, to: 180 } };

describe('calibrateDeviation', () => {
  it('puts a lasting level shift beyond the edge of normal and leaves the time before it inside', () => {
    const n = noise(1);
    const baseline = series(
      BASE_START,
      Array.from({ length: BASE_N }, (_, i) => 100 + n(i))
    );
    const window = series(
      T,
      Array.from({ length: WIN_N }, (_, i) => (i >= ALERT_INDEX ? 110 : 100) + n(i + 500))
    );
    const result = calibrateDeviation(window, baseline, calibration);
    assert.equal(result.status, 'ok');
    assert.equal(result.levelSource, 'recent');
    for (let i = 0; i < ALERT_INDEX; i++) {
      assert.ok(Math.abs(result.deviation[i] as number) < 1, `index ${i}: ${result.deviation[i]}`);
    }
    for (let i = ALERT_INDEX; i < WIN_N; i++) {
      assert.ok((result.deviation[i] as number) > 2, `index ${i}: ${result.deviation[i]}`);
    }
  });

  it('widens the edge of normal for heavy-tailed signals, so their usual spikes stay below 1', () => {
    const n = noise(2);
    // p95 latency around 50 ms that spikes to 2 s for two minutes about once an hour.
    const spiky = (i: number) => (i % 60 === 7 || i % 60 === 8 ? 2 : 0.05 + 0.002 * n(i));
    const baseline = series(
      BASE_START,
      Array.from({ length: BASE_N }, (_, i) => spiky(i))
    );
    const window = series(
      T,
      Array.from({ length: WIN_N }, (_, i) =>
        i === ALERT_INDEX || i === ALERT_INDEX + 1 ? 1.8 : 0.05 + 0.002 * n(i + 900)
      )
    );
    const result = calibrateDeviation(window, baseline, calibration);
    assert.ok(result.upperTail > 100, `upper tail ${result.upperTail}`);
    assert.ok((result.deviation[ALERT_INDEX] as number) < 1, `spike ${result.deviation[ALERT_INDEX]}`);
    // Without the tail calibration the same spike is hundreds of robust deviations.
    const plain = fitRobustStats(baseline.values);
    assert.ok((1.8 - plain.center) / plain.scale > 100);
  });

  it('follows a slow drift through the recent level instead of calling it an anomaly', () => {
    // Memory creeping up all day: the window sits far above the baseline's median.
    const n = noise(3);
    const baseline = series(
      BASE_START,
      Array.from({ length: BASE_N }, (_, i) => 1000 + i + 2 * n(i))
    );
    const window = series(
      T,
      Array.from({ length: WIN_N }, (_, i) => 1000 + 1440 + i + 2 * n(i + 300))
    );
    const withLevel = calibrateDeviation(window, baseline, calibration);
    const withoutLevel = calibrateDeviation(window, baseline, { ...calibration, level: null });
    assert.ok(
      Math.abs(withLevel.deviation[ALERT_INDEX + 3] as number) < 1.5,
      `${withLevel.deviation[ALERT_INDEX + 3]}`
    );
    assert.ok((withoutLevel.deviation[ALERT_INDEX + 3] as number) > 5, `${withoutLevel.deviation[ALERT_INDEX + 3]}`);
  });

  it('leaves everything unknown without enough baseline, and keeps unknown values unknown', () => {
    const window = series(T, [1, 2, Number.NaN, 4]);
    const result = calibrateDeviation(window, series(BASE_START, [1, 2, 3]), calibration);
    assert.equal(result.status, 'no_baseline');
    assert.ok(result.deviation.every((d) => Number.isNaN(d)));
    const ok = calibrateDeviation(
      window,
      series(
        BASE_START,
        Array.from({ length: 60 }, (_, i) => i % 5)
      ),
      { ...calibration, level: null }
    );
    assert.equal(ok.status, 'ok');
    assert.ok(Number.isNaN(ok.deviation[2]));
    assert.ok(Number.isFinite(ok.deviation[3]));
  });

  it('rejects series whose timestamps and values disagree', () => {
    assert.throws(
      () => calibrateDeviation({ timestamps: [1, 2], values: [1] }, series(BASE_START, [1, 2]), calibration),
      (e: unknown) => e instanceof RootCauseInputError && e.field === 'series'
    );
    assert.throws(
      () => calibrateDeviation(series(T, [1]), { timestamps: [2, 1], values: [1, 1] }, calibration),
      /strictly ascending/
    );
  });
});

describe('calibration and ranking together', () => {
  it('does not let a noisy unrelated service outrank a modest but real fault', () => {
    const n = noise(4);
    const m = noise(5);
    const alertTime = T + ALERT_INDEX * STEP;
    const timestamps = Array.from({ length: WIN_N }, (_, i) => T + i * STEP);
    // "recommendation" is spiky in normal operation and spikes once inside the window too.
    const spiky = (i: number) => (i % 45 === 3 || i % 45 === 4 ? 2 + 0.2 * m(i) : 0.05 + 0.002 * n(i));
    const recoBase = series(
      BASE_START,
      Array.from({ length: BASE_N }, (_, i) => spiky(i))
    );
    const recoWin = series(
      T,
      Array.from({ length: WIN_N }, (_, i) =>
        i === ALERT_INDEX + 1 || i === ALERT_INDEX + 2 ? 1.6 : 0.05 + 0.002 * n(i + 700)
      )
    );
    // "cart" doubles its CPU for five minutes: small in absolute terms, unusual for cart.
    const cartBase = series(
      BASE_START,
      Array.from({ length: BASE_N }, (_, i) => 0.1 + 0.005 * m(i + 50))
    );
    const cartWin = series(
      T,
      Array.from(
        { length: WIN_N },
        (_, i) => (i >= ALERT_INDEX && i < ALERT_INDEX + 5 ? 0.2 : 0.1) + 0.005 * m(i + 900)
      )
    );

    const reco = calibrateDeviation(recoWin, recoBase, calibration);
    const cart = calibrateDeviation(cartWin, cartBase, calibration);
    const result = rankRootCauses(
      {
        timestamps,
        alertTime,
        callGraph: [
          { client: 'frontend', server: 'recommendation' },
          { client: 'frontend', server: 'cart' },
        ],
        services: {
          frontend: { signals: {} },
          recommendation: {
            signals: { latency_p95: { role: 'latency', badDirection: 'up', deviation: reco.deviation } },
          },
          cart: { signals: { cpu_usage: { role: 'resource', badDirection: 'up', deviation: cart.deviation } } },
        },
      },
      { lookbackSeconds: 120, lookaheadSeconds: 480 }
    );
    assert.equal(result.candidates[0]?.service, 'cart');
    assert.ok((result.candidates.find((c) => c.service === 'recommendation')?.score ?? 99) < 1);

    // The raw robust z-scores order them the other way round: the test is not trivially true.
    const z = (win: { values: number[] }, base: { values: number[] }, i: number) => {
      const s = fitRobustStats(base.values);
      return ((win.values[i] as number) - s.center) / s.scale;
    };
    assert.ok(z(recoWin, recoBase, ALERT_INDEX + 1) > z(cartWin, cartBase, ALERT_INDEX + 1));
  });
});
