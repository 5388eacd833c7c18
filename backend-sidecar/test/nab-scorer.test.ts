import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  optimiseThreshold,
  probationaryLength,
  scaledSigmoid,
  scoreAtThreshold,
  sweepFile,
  sweepThresholds,
  type NabFile,
  type NabProfile,
} from '../src/eval/nab/index.js';

const STANDARD: NabProfile = { name: 'standard', tpWeight: 1, fpWeight: 0.11, fnWeight: 1 };
const T0 = Date.UTC(2020, 0, 1);
const STEP = 300_000;

/** A file of n points with windows given as [first, last] record indices. */
function file(n: number, windows: Array<[number, number]>, name = 'synthetic/a.csv'): NabFile {
  const timestamps = Array.from({ length: n }, (_, i) => T0 + i * STEP);
  return {
    name,
    category: 'synthetic',
    timestamps,
    values: new Array<number>(n).fill(0),
    windows: windows.map(([a, b]) => ({ start: timestamps[a]!, end: timestamps[b]! })),
  };
}

/** Scores that detect exactly at the given indices. */
function detectionsAt(n: number, at: number[]): Float64Array {
  const s = new Float64Array(n);
  for (const i of at) {
    s[i] = 1;
  }
  return s;
}

function rawScore(f: NabFile, at: number[], profile = STANDARD): number {
  return scoreAtThreshold(sweepFile(f, detectionsAt(f.values.length, at), profile), 0.5, profile).score;
}

function close(actual: number, expected: number, tolerance = 1e-9): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `${actual} ≉ ${expected}`);
}

describe('NAB scaled sigmoid', () => {
  it('is about +0.987 at the left edge of a window, 0 at its right edge and -1 far after it', () => {
    close(scaledSigmoid(-1), 0.98661, 1e-5);
    close(scaledSigmoid(0), 0);
    close(scaledSigmoid(1), -0.98661, 1e-5);
    assert.equal(scaledSigmoid(3.5), -1);
  });

  it('decreases with the relative position', () => {
    for (let x = -1; x < 3; x += 0.25) {
      assert.ok(scaledSigmoid(x) > scaledSigmoid(x + 0.25));
    }
  });
});

describe('NAB probationary period', () => {
  it('is 15 % of the file, capped at 750 records', () => {
    assert.equal(probationaryLength(4032), 604);
    assert.equal(probationaryLength(1127), 169);
    assert.equal(probationaryLength(22695), 750);
  });
});

describe('NAB window scoring', () => {
  // 200 points: probation 30, one window over records 100..119 (width 20).
  const f = file(200, [[100, 119]]);

  it('credits a detection on the first point of a window with exactly tpWeight', () => {
    close(rawScore(f, [100]), 1);
  });

  it('credits an early detection more than a late one', () => {
    const early = rawScore(f, [103]);
    const middle = rawScore(f, [110]);
    const late = rawScore(f, [118]);
    assert.ok(early > middle && middle > late && late > 0, `${early} > ${middle} > ${late} > 0`);
  });

  it('counts only the first detection in a window', () => {
    close(rawScore(f, [105, 106, 110, 118]), rawScore(f, [105]));
  });

  it('charges fnWeight for a missed window', () => {
    close(rawScore(f, []), -1);
    const lowFn: NabProfile = { name: 'reward_low_FN_rate', tpWeight: 1, fpWeight: 0.11, fnWeight: 2 };
    close(rawScore(f, [], lowFn), -2);
  });

  it('charges a false positive just after a window less than one far away', () => {
    const near = rawScore(f, [100, 121]) - rawScore(f, [100]);
    const far = rawScore(f, [100, 190]) - rawScore(f, [100]);
    assert.ok(near < 0 && far < near, `far ${far} < near ${near} < 0`);
    assert.ok(far >= -STANDARD.fpWeight);
  });

  it('charges the full FP weight before the first window', () => {
    close(rawScore(f, [100, 50]) - rawScore(f, [100]), -STANDARD.fpWeight);
  });

  it('ignores detections in the probationary period', () => {
    close(rawScore(f, [10, 100]), rawScore(f, [100]));
  });

  it('refuses scores outside [0, 1]', () => {
    const bad = new Float64Array(200);
    bad[5] = Number.NaN;
    assert.throws(() => sweepFile(f, bad, STANDARD), /not in \[0, 1\]/);
  });
});

describe('NAB threshold sweep', () => {
  // Two files with pseudo-random scores: the one-pass sweep must agree with scoring each
  // threshold directly, and the optimiser must return the best of them.
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const files = [
    file(
      300,
      [
        [120, 140],
        [200, 230],
      ],
      'a/1.csv'
    ),
    file(250, [[60, 90]], 'a/2.csv'),
  ];
  const swept = files.map((f) =>
    sweepFile(
      f,
      Float64Array.from({ length: f.values.length }, () => Math.round(random() * 50) / 50),
      STANDARD
    )
  );

  it('gives at every threshold the sum of the files scored at that threshold', () => {
    const rows = sweepThresholds(swept, STANDARD);
    assert.equal(rows[0]!.threshold, 1.1);
    close(rows[0]!.score, -3);
    for (const row of rows) {
      const direct = swept.reduce((sum, f) => sum + scoreAtThreshold(f, row.threshold, STANDARD).score, 0);
      close(row.score, direct);
    }
  });

  it('optimises one threshold over all files', () => {
    const best = optimiseThreshold(swept, STANDARD);
    for (const row of sweepThresholds(swept, STANDARD)) {
      assert.ok(row.score <= best.score + 1e-12);
    }
  });
});
