import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProfile, generateArrivals, type Arrival, type LoadProfileSpec } from '../src/load/index.js';
import type { EntrypointSpec } from '../src/topology/types.js';

const MIX: EntrypointSpec[] = [
  { service: 'frontend', endpoint: 'home', weight: 1 },
  { service: 'frontend', endpoint: 'product', weight: 2 },
  { service: 'frontend', endpoint: 'checkout', weight: 7 },
];

const arrivals = (spec: LoadProfileSpec, seed: number, durationSeconds: number, entrypoints = MIX): Arrival[] => [
  ...generateArrivals({ profile: createProfile(spec), entrypoints, seed, durationSeconds }),
];

/** |observed − expected| within z standard deviations of a Poisson count. */
const assertPoissonCount = (observed: number, expected: number, what: string, z = 4): void => {
  const tolerance = z * Math.sqrt(expected);
  assert.ok(
    Math.abs(observed - expected) <= tolerance,
    `${what}: ${observed} arrivals, expected ${expected.toFixed(1)} ± ${tolerance.toFixed(1)}`
  );
};

describe('open-loop arrivals', () => {
  it('replays identically for a seed and differs across seeds', () => {
    const spec: LoadProfileSpec = { kind: 'diurnal', base: 20, amplitude: 0.5, periodSeconds: 60, phaseSeconds: 0 };
    const a = arrivals(spec, 42, 120);
    const b = arrivals(spec, 42, 120);
    const c = arrivals(spec, 43, 120);
    assert.ok(a.length > 1000);
    assert.deepEqual(a, b);
    assert.notDeepEqual(
      a.map((x) => x.tSeconds),
      c.map((x) => x.tSeconds)
    );
    // Increasing in time, inside [0, duration), indexed from 0.
    a.forEach((x, i) => {
      assert.equal(x.index, i);
      assert.ok(x.tSeconds >= 0 && x.tSeconds < 120);
      if (i > 0) {
        assert.ok(x.tSeconds > a[i - 1]!.tSeconds);
      }
    });
  });

  it('a longer run starts with the same schedule as a shorter one', () => {
    const spec: LoadProfileSpec = { kind: 'steady', rps: 10 };
    const short = arrivals(spec, 7, 30);
    const long = arrivals(spec, 7, 300);
    assert.deepEqual(long.slice(0, short.length), short);
    assert.ok(long[short.length]!.tSeconds >= 30);
  });

  it('counts over a long interval match the integral of the rate', () => {
    // Diurnal over whole periods: the integral is base × duration.
    for (const seed of [1, 2, 3]) {
      const diurnal = arrivals(
        { kind: 'diurnal', base: 20, amplitude: 0.5, periodSeconds: 600, phaseSeconds: 0 },
        seed,
        3600
      );
      assertPoissonCount(diurnal.length, 20 * 3600, `diurnal, seed ${seed}`);
      // Peak half (sin > 0, first half of each period) holds base·(P/2 + A·P/π) per period.
      const firstHalves = diurnal.filter((a) => a.tSeconds % 600 < 300).length;
      assertPoissonCount(firstHalves, 6 * 20 * (300 + (0.5 * 600) / Math.PI), `diurnal rising halves, seed ${seed}`);
    }
    const spikes: LoadProfileSpec = {
      kind: 'spikes',
      base: 5,
      spikes: [
        { startSeconds: 100, durationSeconds: 50, multiplier: 3 },
        { startSeconds: 400, durationSeconds: 200, multiplier: 10 },
      ],
    };
    const s = arrivals(spikes, 9, 1000);
    assertPoissonCount(s.length, 5 * 750 + 15 * 50 + 50 * 200, 'spikes total');
    const within = (from: number, to: number): number => s.filter((a) => a.tSeconds >= from && a.tSeconds < to).length;
    assertPoissonCount(within(100, 150), 15 * 50, '3x window');
    assertPoissonCount(within(400, 600), 50 * 200, '10x window');
    assertPoissonCount(within(0, 100) + within(150, 400) + within(600, 1000), 5 * 750, 'outside the spikes');
    // The multiplier shows in the rate just inside vs. just outside the 10x window's edges.
    assertPoissonCount(within(600, 650), 5 * 50, 'right after the 10x spike');
    assertPoissonCount(within(550, 600), 50 * 50, 'end of the 10x spike');
  });

  it('chooses entrypoints in proportion to their weights', () => {
    const all = arrivals({ kind: 'steady', rps: 100 }, 5, 500);
    const n = all.length;
    for (const entry of MIX) {
      const share = all.filter((a) => a.entry === entry).length / n;
      const p = entry.weight / 10;
      const tolerance = 4 * Math.sqrt((p * (1 - p)) / n);
      assert.ok(
        Math.abs(share - p) <= tolerance,
        `${entry.endpoint}: share ${share.toFixed(4)}, expected ${p} ± ${tolerance.toFixed(4)}`
      );
    }
    const withZero = [...MIX, { service: 'frontend', endpoint: 'never', weight: 0 }];
    assert.equal(
      arrivals({ kind: 'steady', rps: 100 }, 5, 100, withZero).filter((a) => a.entry.endpoint === 'never').length,
      0
    );
  });

  it('keeps arrival times when only the mix changes', () => {
    const spec: LoadProfileSpec = { kind: 'steady', rps: 30 };
    const a = arrivals(spec, 11, 60);
    const b = arrivals(spec, 11, 60, [{ service: 'x', endpoint: 'y', weight: 1 }]);
    assert.deepEqual(
      a.map((x) => x.tSeconds),
      b.map((x) => x.tSeconds)
    );
  });

  it('produces nothing at zero rate and rejects a bad mix', () => {
    assert.equal(arrivals({ kind: 'steady', rps: 0 }, 1, 1000).length, 0);
    assert.throws(() => arrivals({ kind: 'steady', rps: 1 }, 1, 10, []), /at least one entrypoint/);
    assert.throws(
      () => arrivals({ kind: 'steady', rps: 1 }, 1, 10, [{ service: 'a', endpoint: 'b', weight: 0 }]),
      /add up to 0/
    );
    assert.throws(
      () => arrivals({ kind: 'steady', rps: 1 }, 1, 10, [{ service: 'a', endpoint: 'b', weight: -1 }]),
      /weight -1/
    );
    assert.throws(() => arrivals({ kind: 'steady', rps: 1 }, 1, Infinity), /durationSeconds/);
  });

  it('refuses a profile whose rate exceeds its declared bound', () => {
    const liar = { spec: { kind: 'steady' as const, rps: 1 }, maxRate: 1, rateAt: () => 5 };
    assert.throws(
      () => [...generateArrivals({ profile: liar, entrypoints: MIX, seed: 1, durationSeconds: 100 })],
      /exceeds its declared maxRate/
    );
  });
});
