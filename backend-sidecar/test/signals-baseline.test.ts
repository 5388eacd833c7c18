import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  CANONICAL_SIGNALS,
  buildWindow,
  fitRobustStats,
  learnBaselines,
  lookupBaseline,
  normaliseWindow,
  parseBaselines,
  stepGrid,
  type RawPoint,
} from '../src/signals/index.js';

const T = 1_700_000_000;

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);
}

describe('fitRobustStats', () => {
  it('uses median and 1.4826·MAD', () => {
    const stats = fitRobustStats([1, 2, 3, 4, 100]);
    assert.equal(stats.center, 3);
    close(stats.scale, 1.4826);
    assert.equal(stats.source, 'mad');
    assert.equal(stats.count, 5);
  });

  it('is not dragged by an incident inside the training period', () => {
    const normal = Array.from({ length: 100 }, (_, i) => 0.1 + (i % 10) * 0.001);
    const withIncident = [...normal, ...new Array<number>(5).fill(5)];
    const a = fitRobustStats(normal);
    const b = fitRobustStats(withIncident);
    assert.ok(Math.abs(a.center - b.center) < 0.001);
    assert.ok(b.scale < 2 * a.scale);
  });

  it('ignores NaN and infinities', () => {
    const stats = fitRobustStats([Number.NaN, 1, 2, Number.POSITIVE_INFINITY, 3]);
    assert.equal(stats.center, 2);
    assert.equal(stats.count, 3);
  });

  it('falls back to the IQR when more than half the values are identical', () => {
    const stats = fitRobustStats([0, 0, 0, 0, 0, 0, 1, 2, 3, 4], { absoluteFloor: 0.001 });
    assert.equal(stats.center, 0);
    assert.equal(stats.source, 'iqr');
    assert.ok(stats.scale > 0.5);
  });

  it('falls back to the standard deviation when MAD and IQR both collapse', () => {
    const stats = fitRobustStats([0, 0, 0, 0, 0, 0, 0, 0, 5, 10], { absoluteFloor: 0.001 });
    assert.equal(stats.source, 'std');
    // mean 1.5; squared deviations 8 × 1.5² + 3.5² + 8.5² = 102.5 over 10 values
    close(stats.scale, Math.sqrt(10.25));
  });

  it('gives constant signals a floor instead of a zero scale', () => {
    const level = fitRobustStats(new Array<number>(50).fill(200), { absoluteFloor: 0.01 });
    assert.equal(level.source, 'relative');
    close(level.scale, 2);
    const zero = fitRobustStats(new Array<number>(50).fill(0), {
      absoluteFloor: CANONICAL_SIGNALS.service.error_ratio.scaleFloor,
    });
    assert.equal(zero.source, 'absolute');
    assert.equal(zero.scale, 0.001);
    // A 1% error ratio after a spotless training period is a clear, but finite, deviation.
    close((0.01 - zero.center) / zero.scale, 10);
  });

  it('rejects input it cannot learn from, naming it', () => {
    assert.throws(
      () => fitRobustStats([Number.NaN], { name: 'cart.latency_p95' }),
      /cart\.latency_p95: no finite values/
    );
    assert.throws(() => fitRobustStats([1], { absoluteFloor: 0 }), /absoluteFloor/);
  });
});

describe('learnBaselines', () => {
  const training = {
    frontend: { latency_p95: [0.1, 0.11, 0.12, 0.1, 0.13, 0.11], request_rate: [50, 52, 48, 51, 49, 50] },
    cart: { latency_p95: [0.02, 0.021, 0.019, 0.02, 0.022, 0.02], request_rate: [10, 11, 9, 10, 10, 12] },
    checkout: { latency_p95: [0.3, 0.31, 0.29, 0.3, 0.32, 0.3], request_rate: [Number.NaN, Number.NaN] },
  };
  const { baselines, skipped, sources } = learnBaselines(training, { scope: 'service' });

  it('learns per entity and signal, skipping pairs without data', () => {
    close(baselines.frontend?.latency_p95?.center ?? Number.NaN, 0.11);
    close(baselines.cart?.request_rate?.center ?? Number.NaN, 10);
    assert.equal(baselines.checkout?.request_rate, undefined);
    assert.deepEqual(skipped, ['checkout.request_rate: no finite training values']);
    assert.equal(sources.frontend?.latency_p95, 'mad');
  });

  it('fits the default on all entities pooled, like the training pipeline', () => {
    const pooled = learnBaselines(
      {
        a: { cpu_usage: new Array<number>(9).fill(1) },
        b: { cpu_usage: [100, 100, 100] },
        c: { cpu_usage: [200, 200, 200] },
      },
      { scope: 'service' }
    ).baselines;
    // Median of the 15 pooled values is 1; the median of the three entity centers would be 100.
    assert.equal(pooled.default.cpu_usage?.center, 1);
  });

  it('uses the scale floor of each signal unless one floor is given for all', () => {
    const constant = {
      a: { memory_working_set: new Array<number>(10).fill(0), error_ratio: new Array<number>(10).fill(0) },
    };
    const own = learnBaselines(constant, { scope: 'service' }).baselines;
    assert.equal(own.a?.memory_working_set?.scale, 1024 * 1024);
    assert.equal(own.a?.error_ratio?.scale, 0.001);
    const shared = learnBaselines(constant, { scope: 'service', absoluteFloor: 0.5 }).baselines;
    assert.equal(shared.a?.memory_working_set?.scale, 0.5);
    assert.equal(shared.a?.error_ratio?.scale, 0.5);
  });

  it('serialises to JSON and validates back', () => {
    const parsed = parseBaselines(JSON.parse(JSON.stringify(baselines)), 'service');
    assert.deepEqual(parsed, baselines);
  });

  it('falls back to default for unseen entities and missing signals', () => {
    assert.equal(lookupBaseline(baselines, 'frontend', 'latency_p95').from, 'entity');
    assert.equal(lookupBaseline(baselines, 'newservice', 'latency_p95').from, 'default');
    assert.equal(lookupBaseline(baselines, 'checkout', 'request_rate').from, 'default');
    assert.throws(
      () => lookupBaseline(baselines, 'frontend', 'cpu_usage'),
      /no baseline for "cpu_usage" of "frontend"/
    );
  });

  it('rejects bad training input naming it', () => {
    assert.throws(
      () => learnBaselines({ default: { latency_p95: [1] } }, { scope: 'service' }),
      /"default" is reserved/
    );
    assert.throws(
      () => learnBaselines({ a: { latency: [1] } }, { scope: 'service' }),
      /training\.a\.latency: unknown service signal "latency"/
    );
    assert.throws(() => learnBaselines({}, { scope: 'service' }), /training: contains no entities/);
  });
});

describe('parseBaselines', () => {
  it('rejects manifests that would break normalisation, naming the path', () => {
    assert.throws(() => parseBaselines({ frontend: {} }, 'service'), /baselines\.default: is required/);
    assert.throws(
      () => parseBaselines({ default: { latency_p95: { center: 0.1, scale: 0 } } }, 'service'),
      /baselines\.default\.latency_p95\.scale: must be a finite number > 0 \(got 0\)/
    );
    assert.throws(
      () => parseBaselines({ default: { latency_p95: { center: 'x', scale: 1 } } }, 'service'),
      /latency_p95\.center/
    );
    assert.throws(
      () => parseBaselines({ default: { p95: { center: 1, scale: 1 } } }, 'service'),
      /unknown service signal "p95"/
    );
    assert.throws(() => parseBaselines([], 'service'), /baselines: must be an object/);
    assert.throws(
      () => parseBaselines({ default: { latency_p95: { center: 1, scale: 1, source: 'mad' } } }, 'service'),
      /baselines\.default\.latency_p95\.source: unexpected property/
    );
  });

  it("reads a model manifest's normalisation section", () => {
    const section = {
      method: 'robust_median_mad',
      clip: 10,
      absolute_floor: 0.001,
      relative_floor: 0.01,
      per_entity: { frontend: { latency_p95: { center: 0.1, scale: 0.01 } } },
      default: { latency_p95: { center: 0.2, scale: 0.02 } },
    };
    const parsed = parseBaselines(section, 'service', 'normalisation');
    assert.deepEqual(parsed, {
      default: { latency_p95: { center: 0.2, scale: 0.02 } },
      frontend: { latency_p95: { center: 0.1, scale: 0.01 } },
    });
    assert.throws(
      () =>
        parseBaselines(
          { ...section, per_entity: { frontend: { latency_p95: { center: 0.1, scale: -1 } } } },
          'service',
          'normalisation'
        ),
      /normalisation\.per_entity\.frontend\.latency_p95\.scale: must be a finite number > 0/
    );
  });
});

describe('normaliseWindow', () => {
  const STEP = 15;
  const grid = stepGrid(T, T + 19 * STEP, STEP);
  const wiggle = (i: number): number => 0.1 + 0.005 * Math.sin(i);
  const training = { checkout: { latency_p95: Array.from({ length: 200 }, (_, i) => wiggle(i)) } };
  const { baselines } = learnBaselines(training, { scope: 'service' });

  function windowOf(shift: number): ReturnType<typeof buildWindow> {
    const points: RawPoint[] = Array.from({ length: 20 }, (_, i) => [T + i * STEP, wiggle(i) + shift]);
    return buildWindow('checkout', { latency_p95: points }, grid, { scope: 'service', signals: ['latency_p95'] });
  }

  it('keeps a level shift visible (a 200 ms delay is far from the baseline)', () => {
    const normal = normaliseWindow(windowOf(0), baselines);
    const shifted = normaliseWindow(windowOf(0.2), baselines);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const zNormal = mean(normal.z[0] ?? []);
    const zShifted = mean(shifted.z[0] ?? []);
    assert.ok(Math.abs(zNormal) < 2, `healthy window stays near 0 (${zNormal})`);
    const scale = shifted.baselines.latency_p95?.scale ?? Number.NaN;
    close(zShifted - zNormal, 0.2 / scale, 1e-6);
    assert.ok(zShifted > 20, `shifted window is far out (${zShifted})`);

    // Per-window min-max scaling, by contrast, makes both windows identical.
    const minMax = (xs: number[]): number[] => {
      const lo = Math.min(...xs);
      const hi = Math.max(...xs);
      return xs.map((x) => (x - lo) / (hi - lo));
    };
    const a = minMax(windowOf(0).values[0] ?? []);
    const b = minMax(windowOf(0.2).values[0] ?? []);
    a.forEach((x, i) => close(x, b[i] ?? Number.NaN, 1e-6));
  });

  it('clips scores only when asked to, as model input requires', () => {
    const unclipped = normaliseWindow(windowOf(0.2), baselines);
    const clipped = normaliseWindow(windowOf(0.2), baselines, { clip: 10 });
    assert.ok((unclipped.z[0]?.[0] ?? 0) > 10);
    assert.ok(clipped.z[0]?.every((z) => z === 10));
    assert.throws(() => normaliseWindow(windowOf(0), baselines, { clip: 0 }), /clip: must be a number > 0/);
  });

  it('keeps absolute values and missing points alongside the scores', () => {
    const points: RawPoint[] = [
      [T, 0.3],
      [T + STEP, 'NaN'],
    ];
    const window = buildWindow('unseen', { latency_p95: points }, stepGrid(T, T + STEP, STEP), {
      scope: 'service',
      signals: ['latency_p95'],
      maxInterpolationSteps: 0,
    });
    const normalised = normaliseWindow(window, baselines);
    assert.equal(normalised.window.values[0]?.[0], 0.3);
    assert.ok(Number.isNaN(normalised.z[0]?.[1] ?? 0));
    assert.equal(normalised.baselines.latency_p95?.from, 'default');
  });
});
