import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { UnivariateDetector, type UnivariateConfigInput } from '../src/detectors/univariate/index.js';

/*
 * Reference outputs of the univariate detector. The digests below were recorded from the
 * detector's first implementation (arrays of numbers, sorted copies per point) and every later
 * change to its internals (memory layout, order-statistic algorithms) must reproduce them bit for
 * bit: each result field of every point and the final snapshot. A change that is meant to alter
 * results has to say so by updating the digests, together with the NAB score in docs/benchmarks.md.
 */

/** Deterministic uniform generator (mulberry32). */
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

/** Noise with a spike, a sustained shift, a flat stretch, a noisy stretch and scrape gaps. */
function eventful(n: number, seed: number): Array<number | null> {
  const g = gaussian(seed);
  const u = uniform(seed + 1);
  return Array.from({ length: n }, (_, i) => {
    if (u() < 0.01) {
      return null;
    }
    if (i % 997 === 500) {
      return 80;
    }
    if (i > n * 0.6 && i < n * 0.65) {
      return 42;
    }
    const level = i > n / 3 ? 58 : 50;
    const spread = i > n * 0.8 && i < n * 0.85 ? 6 : 1;
    return level + spread * g();
  });
}

/** Small integer counts: many ties, so the IQR fallback and the resolution floor are exercised. */
function counts(n: number, seed: number): number[] {
  const u = uniform(seed);
  return Array.from({ length: n }, (_, i) => {
    const base = Math.floor(u() * 3) + (u() < 0.02 ? 7 : 0);
    return i > n / 2 ? base + 2 : base;
  });
}

/** A daily cycle of 288 points with noise and a night-time anomaly the plain band cannot see. */
function daily(n: number, seed: number): number[] {
  const g = gaussian(seed);
  return Array.from({ length: n }, (_, i) => {
    const v = 100 + 30 * Math.sin((2 * Math.PI * i) / 288) + 2 * g();
    return i > n - 200 && i < n - 180 ? v + 25 : v;
  });
}

const LARGE_MESH: UnivariateConfigInput = {
  window: 60,
  warmup: 20,
  calibrationWindow: 120,
  calibrationWarmup: 40,
  clearAfter: 12,
  adaptAfter: 30,
};

const CASES: ReadonlyArray<{ name: string; config: UnivariateConfigInput; values: Array<number | null> }> = [
  { name: 'defaults, eventful noise', config: {}, values: eventful(5000, 11) },
  { name: 'defaults, integer counts', config: {}, values: counts(3000, 12) },
  { name: 'daily and weekly periods', config: { seasonalPeriods: [288, 2016] }, values: daily(2600, 13) },
  { name: 'large-mesh settings', config: LARGE_MESH, values: eventful(3000, 14) },
  {
    name: 'no adaptation, odd windows',
    config: { window: 61, calibrationWindow: 151, adaptAfter: 0 },
    values: eventful(1500, 15),
  },
  { name: 'calibration quantile 0.5', config: { ...LARGE_MESH, calibrationQuantile: 0.5 }, values: counts(800, 16) },
];

function digest(config: UnivariateConfigInput, values: Array<number | null>): string {
  const detector = new UnivariateDetector(config);
  const hash = createHash('sha256');
  for (const v of values) {
    hash.update(JSON.stringify(detector.update(v)));
  }
  hash.update(JSON.stringify(detector.snapshot()));
  return hash.digest('hex');
}

const EXPECTED: Readonly<Record<string, string>> = {
  'defaults, eventful noise': '662c2ea93cef061f9a7957b71216007b06467598e5a04fa916f95987ac5ecb56',
  'defaults, integer counts': '9f7b0143f0c8f13cdd5647d7b82a51c928d9e78d0534dbb2a62fffbd90ee76ee',
  'daily and weekly periods': 'ac5afb0e2e428e7f7d3517694d717cf12b5badbbe6f64e52e9eaf00ae4a3e16a',
  'large-mesh settings': 'ade07d99e0450df74aa6bf761404b8bdcfef7736299255908f1e88c27d52fb8c',
  'no adaptation, odd windows': 'acee2b9564ec957d3e72cf824ae02dabe5eb1c469b12a8aa4d7c7ceb29ff8201',
  'calibration quantile 0.5': '1bf91df0a225a2050bb7c0fed6f40c4ca87d6197aaca5fb9a6d68e72be2a0944',
};

describe('UnivariateDetector reference outputs', () => {
  for (const c of CASES) {
    it(`reproduces the recorded results: ${c.name}`, () => {
      assert.equal(digest(c.config, c.values), EXPECTED[c.name]);
    });
  }
});
