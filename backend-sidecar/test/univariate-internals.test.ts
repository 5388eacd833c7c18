import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RollingWindow, TailCalibrator, normalTail } from '../src/detectors/univariate/index.js';

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

describe('RollingWindow', () => {
  it('keeps the last values and matches brute-force median, MAD and counts', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 16807) % 2147483647;
      // Coarse values so ties (as in integer counts) are exercised.
      return Math.round((seed / 2147483647) * 20);
    };
    const w = new RollingWindow(25);
    const all: number[] = [];
    for (let i = 0; i < 300; i++) {
      const v = next();
      w.push(v);
      all.push(v);
      const last = all.slice(-25);
      assert.deepEqual(w.values(), last);
      const m = median(last);
      assert.equal(w.median(), m);
      for (const center of [m, m + 0.5, -3]) {
        assert.equal(w.mad(center), median(last.map((x) => Math.abs(x - center))));
      }
      assert.equal(w.countAtLeast(10), last.filter((x) => x >= 10).length);
      assert.deepEqual(w.latest(4), last.slice(-4));
    }
  });

  it('ignores non-finite values and can be refilled', () => {
    const w = new RollingWindow(3, [1, 2]);
    w.push(Number.NaN);
    w.push(Number.POSITIVE_INFINITY);
    assert.deepEqual(w.values(), [1, 2]);
    w.reset([5, 6, 7, 8]);
    assert.deepEqual(w.values(), [6, 7, 8]);
    assert.equal(w.quantile(0.5), 7);
  });
});

describe('TailCalibrator', () => {
  it('uses the normal tail when the history looks normal', () => {
    // |z| of standard normal quantiles: its 99th percentile is that of a normal distribution.
    const history = Array.from({ length: 1000 }, (_, i) => {
      const p = (i + 0.5) / 1000;
      let lo = 0;
      let hi = 10;
      for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (2 * normalTail(mid) > 1 - p) {
          lo = mid;
        } else {
          hi = mid;
        }
      }
      return lo;
    });
    const c = new TailCalibrator(1000, 0.99, history);
    assert.ok(Math.abs(c.widening() - 1) < 0.01);
    assert.ok(Math.abs(c.pValue(5) / (2 * normalTail(5)) - 1) < 0.1);
  });

  it('widens the tail of a heavy-tailed history and never sharpens a quiet one', () => {
    const heavy = new TailCalibrator(200, 0.99, [...new Array<number>(190).fill(1), ...new Array<number>(10).fill(8)]);
    assert.ok(heavy.widening() > 2.5);
    const quiet = new TailCalibrator(200, 0.99, new Array<number>(200).fill(0.1));
    assert.equal(quiet.widening(), 1);
  });

  it('never reports a deviation as rarer than it has been in the history', () => {
    const history = [...new Array<number>(90).fill(0.5), ...new Array<number>(10).fill(20)];
    const c = new TailCalibrator(100, 0.99, history);
    assert.ok(c.pValue(20) >= 0.1);
    assert.ok(c.pValue(40) < 0.1);
    assert.equal(c.pValue(Number.NaN), 1);
  });
});
