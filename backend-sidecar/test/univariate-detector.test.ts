import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_UNIVARIATE_CONFIG,
  UnivariateConfigError,
  UnivariateDetector,
  normalTail,
  normalUpperQuantile,
  seasonalPeriodsForStep,
  type UnivariateResult,
} from '../src/detectors/univariate/index.js';

/** Deterministic uniform generator (mulberry32) so every run sees the same noise. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(seed: number): () => number {
  const u = uniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

function run(detector: UnivariateDetector, values: Array<number | null>): UnivariateResult[] {
  return values.map((v) => detector.update(v));
}

/** Flat level 50 with unit noise. */
function noise(n: number, seed: number): number[] {
  const g = gaussian(seed);
  return Array.from({ length: n }, () => 50 + g());
}

const DAY = 288; // 5-minute steps

function seasonal(n: number, seed: number): number[] {
  const g = gaussian(seed);
  return Array.from({ length: n }, (_, i) => 100 + 30 * Math.sin((2 * Math.PI * i) / DAY) + 2 * g());
}

const pages = (results: UnivariateResult[], from = 0, to = results.length) =>
  results.flatMap((r, i) => (r.alert === 'page' && i >= from && i < to ? [i] : []));

/*
 * On pure noise the default threshold (0.999) pages about once per 3000 points (its calibrated
 * false-alarm rate), so tests look at pages around the anomaly rather than over the whole run.
 */

describe('normal tail helpers', () => {
  it('match known values and invert each other', () => {
    assert.ok(Math.abs(normalTail(1.959963984540054) - 0.025) < 1e-12);
    assert.ok(Math.abs(normalTail(-1) - 0.8413447460685429) < 1e-12);
    // Far tail stays accurate in relative terms (1 − erf would round to 0 here).
    assert.ok(Math.abs(normalTail(10) / 7.619853024160526e-24 - 1) < 1e-9);
    assert.ok(Math.abs(normalUpperQuantile(0.005) - 2.5758293035489) < 1e-9);
  });
});

describe('UnivariateDetector warm-up and missing data', () => {
  it('reports warm-up, with no score, until the band and its calibration have enough history', () => {
    const results = run(new UnivariateDetector(), noise(400, 1));
    const firstOk = results.findIndex((r) => r.state === 'ok');
    const c = DEFAULT_UNIVARIATE_CONFIG;
    assert.equal(firstOk, c.warmup + c.calibrationWarmup);
    for (const r of results.slice(0, firstOk)) {
      assert.equal(r.state, 'warmup');
      assert.equal(r.score, null);
      assert.equal(r.alert, 'none');
    }
    for (const r of results.slice(firstOk)) {
      assert.equal(r.state, 'ok');
      assert.ok(r.score !== null && r.score >= 0 && r.score <= 1);
      assert.ok(r.lower! < r.expected! && r.expected! < r.upper!);
    }
  });

  it('marks NaN, null and infinite values unknown, never ok, and keeps the band', () => {
    const detector = new UnivariateDetector();
    run(detector, noise(300, 2));
    for (const v of [Number.NaN, null, Number.POSITIVE_INFINITY, undefined]) {
      const r = detector.update(v);
      assert.equal(r.state, 'unknown');
      assert.equal(r.score, null);
      assert.equal(r.alert, 'none');
      assert.ok(r.expected !== null && Math.abs(r.expected - 50) < 0.5);
    }
    assert.equal(detector.update(50).state, 'ok');
  });

  it('neither closes nor re-pages an open alert across missing data', () => {
    const detector = new UnivariateDetector();
    run(detector, noise(500, 3));
    assert.equal(detector.update(80).alert, 'page');
    run(detector, new Array<null>(100).fill(null));
    const after = detector.update(80);
    assert.equal(after.alert, 'ongoing');
  });
});

describe('UnivariateDetector detection', () => {
  it('pages once on a spike, with the spike outside the band', () => {
    const values = noise(900, 4);
    values[700] = 62; // 12 σ
    const results = run(new UnivariateDetector(), values);
    assert.deepEqual(pages(results, 600), [700]);
    const r = results[700]!;
    assert.equal(r.kind, 'spike');
    assert.equal(r.direction, 'up');
    assert.ok(r.score! > 0.9999);
    assert.ok(values[700]! > r.upper!);
  });

  it('flags a drop as well as a rise', () => {
    const values = noise(900, 5);
    values[650] = 38;
    const results = run(new UnivariateDetector(), values);
    assert.deepEqual(pages(results, 600), [650]);
    assert.equal(results[650]!.direction, 'down');
  });

  it('pages once on a level shift, then adapts the band to the new level', () => {
    // A 4 σ shift: each point alone is borderline, the level test is not.
    const values = noise(1600, 6).map((v, i) => (i >= 1000 ? v + 4 : v));
    const results = run(new UnivariateDetector(), values);
    const paged = pages(results, 900);
    assert.equal(paged.length, 1, `pages at ${paged.join(',')}`);
    assert.ok(paged[0]! >= 1000 && paged[0]! <= 1006, `paged at ${paged[0]}`);
    assert.equal(results[paged[0]!]!.direction, 'up');
    const adapted = results.findIndex((r) => r.adapted);
    assert.ok(adapted > 1000 && adapted < 1100, `adapted at ${adapted}`);
    const later = results[1200]!;
    assert.ok(Math.abs(later.expected! - 54) < 0.5, `band centre ${later.expected} follows the new level`);
    assert.equal(later.alert, 'none');
  });

  it('flags a series that goes flat (a stuck metric) as a spread change', () => {
    const values = noise(1000, 7).map((v, i) => (i >= 800 ? 50 : v));
    const results = run(new UnivariateDetector(), values);
    const paged = pages(results, 700);
    assert.equal(paged.length, 1, `pages at ${paged.join(',')}`);
    assert.ok(paged[0]! > 800 && paged[0]! < 830);
    assert.equal(results[paged[0]!]!.kind, 'spread');
  });

  it('stays quiet on a clean daily-seasonal series and tracks it with the seasonal band', () => {
    let paged = 0;
    let points = 0;
    for (const seed of [11, 12, 13, 14, 15, 16]) {
      const values = seasonal(DAY * 10, seed);
      const results = run(new UnivariateDetector({ seasonalPeriods: seasonalPeriodsForStep(300) }), values);
      paged += pages(results).length;
      points += values.length;
      const late = results.slice(DAY * 3);
      assert.ok(
        late.every((r) => r.seasonalPeriod !== null),
        'uses a seasonal reference once it has history'
      );
      const outside = late.filter((r, i) => {
        const v = values[DAY * 3 + i]!;
        return v < r.lower! || v > r.upper!;
      }).length;
      assert.ok(outside <= late.length * 0.005, `seed ${seed}: ${outside} points outside the band`);
    }
    // Sixty days of noise around a daily cycle: pages only at the calibrated false-alarm rate
    // (about one per 3000 points), nowhere near one per daily swing.
    assert.ok(paged <= points / 1500, `${paged} pages in ${points} points`);
  });

  it('finds an anomaly the daily pattern hides from a plain band', () => {
    // At the daily trough, a value at the daily mean is anomalous only relative to the seasonal reference.
    const values = seasonal(DAY * 6, 14);
    const trough = DAY * 5 + (3 * DAY) / 4;
    values[trough] = 100;
    const results = run(new UnivariateDetector({ seasonalPeriods: [DAY] }), values);
    assert.deepEqual(pages(results, DAY * 5), [trough]);
  });
});

describe('UnivariateDetector alert suppression', () => {
  it('pages once for a burst of anomalous points, not once per point', () => {
    const values = noise(1200, 8);
    for (let i = 800; i < 860; i += 3) {
      values[i] = 65;
    }
    const results = run(new UnivariateDetector(), values);
    assert.deepEqual(pages(results, 700), [800]);
    assert.ok(results.slice(801, 860).every((r) => r.alert === 'ongoing'));
    assert.equal(results[1100]!.alert, 'none', 'the alert closes once the series is quiet');
  });

  it('pages again for a larger anomaly after the alert has closed', () => {
    const values = noise(1400, 9);
    values[700] = 60;
    values[1200] = 75;
    const results = run(new UnivariateDetector(), values);
    assert.deepEqual(pages(results, 600), [700, 1200]);
  });
});

describe('UnivariateDetector state', () => {
  it('round-trips through JSON and continues exactly as the original', () => {
    const values = seasonal(DAY * 4, 15);
    values[DAY * 3 + 5] = 300;
    const config = { seasonalPeriods: [DAY] };
    const original = new UnivariateDetector(config);
    const half = DAY * 3;
    run(original, values.slice(0, half));
    const text = JSON.stringify(original.snapshot());
    const restored = UnivariateDetector.restore(JSON.parse(text));
    assert.deepEqual(restored.snapshot(), original.snapshot());
    const a = run(original, values.slice(half));
    const b = run(restored, values.slice(half));
    assert.deepEqual(b, a);
    assert.ok(a.some((r) => r.alert === 'page'));
  });

  it('keeps memory bounded by the configuration', () => {
    const detector = new UnivariateDetector({ seasonalPeriods: [DAY] });
    run(detector, seasonal(DAY * 8, 16));
    const s = detector.snapshot();
    const c = detector.config;
    assert.equal(s.history.length, c.seasonalCycles * DAY + c.phaseTolerance + 1);
    assert.ok(s.models.every((m) => m.length <= c.window));
    assert.ok(s.calibration.every((m) => m.length <= c.calibrationWindow));
  });

  it('rejects invalid configurations and snapshots', () => {
    assert.throws(() => new UnivariateDetector({ window: 3 }), UnivariateConfigError);
    assert.throws(() => new UnivariateDetector({ alertThreshold: 1 }), UnivariateConfigError);
    assert.throws(() => new UnivariateDetector({ releaseThreshold: 0.9999 }), UnivariateConfigError);
    assert.throws(() => UnivariateDetector.restore({ version: 2 }), UnivariateConfigError);
    const s = new UnivariateDetector().snapshot();
    assert.throws(() => UnivariateDetector.restore({ ...s, models: [['x']] }), UnivariateConfigError);
  });

  it('derives daily and weekly periods from the step', () => {
    assert.deepEqual(seasonalPeriodsForStep(300), [288, 2016]);
    assert.deepEqual(seasonalPeriodsForStep(60), [1440, 10080]);
    assert.deepEqual(seasonalPeriodsForStep(3600), [24, 168]);
    assert.deepEqual(seasonalPeriodsForStep(1000), []);
  });
});
