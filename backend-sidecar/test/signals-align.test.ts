import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SignalInputError, alignSeries, stepGrid, type RawPoint } from '../src/signals/index.js';

const T = 1_700_000_000;

function ok(values: number[]): Array<number | null> {
  return values.map((v) => (Number.isNaN(v) ? null : Math.round(v * 1e9) / 1e9));
}

describe('stepGrid', () => {
  it('builds inclusive grids and rounds the end down to the step', () => {
    assert.deepEqual(stepGrid(T, T + 60, 15).timestamps, [T, T + 15, T + 30, T + 45, T + 60]);
    const g = stepGrid(T, T + 50, 15);
    assert.equal(g.length, 4);
    assert.equal(g.end, T + 45);
    assert.equal(stepGrid(T, T, 15).length, 1);
  });

  it('rejects bad ranges naming the argument', () => {
    assert.throws(
      () => stepGrid(T, T + 60, 0),
      (e: unknown) => e instanceof SignalInputError && e.field === 'step'
    );
    assert.throws(() => stepGrid(T, T + 60, -15), /step: must be a number of seconds > 0 \(got -15\)/);
    assert.throws(() => stepGrid(T + 60, T, 15), /start: start .* is after end/);
    assert.throws(() => stepGrid(Number.NaN, T, 15), /start: must be a finite number/);
    assert.throws(() => stepGrid(T, Number.POSITIVE_INFINITY, 15), /end: must be a finite number/);
    assert.throws(() => stepGrid(0, 1e9, 1), /exceeds the limit/);
  });
});

describe('alignSeries', () => {
  const grid = stepGrid(T, T + 120, 15); // 9 points

  it('snaps irregular, out-of-order samples to the nearest grid point', () => {
    const points: RawPoint[] = [
      [T + 31, 3],
      [T - 2, 0],
      [T + 14, 1],
      [T + 47, 4],
      [T + 61, 5],
      [T + 75, 6],
      [T + 88, 7],
      [T + 106, 8],
      [T + 119, 9],
    ];
    const aligned = alignSeries(points, grid);
    assert.deepEqual(ok(aligned.values), [0, 1, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(aligned.missing.every((m) => !m));
    assert.equal(aligned.stats.observed, 9);
  });

  it('parses Prometheus string values and drops NaN and infinities as missing', () => {
    const points: RawPoint[] = [
      [T, '1.5'],
      [T + 15, 'NaN'],
      [T + 30, '+Inf'],
      [T + 45, '-Inf'],
      [T + 60, ''],
      [T + 75, Number.POSITIVE_INFINITY],
      [T + 90, '2'],
      [T + 105, null],
      [T + 120, 4],
    ];
    const aligned = alignSeries(points, grid, { maxInterpolationSteps: 0 });
    assert.deepEqual(ok(aligned.values), [1.5, null, null, null, null, null, 2, null, 4]);
    assert.deepEqual(aligned.missing, [false, true, true, true, true, true, false, true, false]);
    assert.equal(aligned.stats.droppedNonFinite, 6);
  });

  it('merges duplicate timestamps by their mean, independent of input order', () => {
    const a = alignSeries(
      [
        [T, 1],
        [T, 3],
        [T + 15, 5],
      ],
      stepGrid(T, T + 15, 15)
    );
    const b = alignSeries(
      [
        [T + 15, 5],
        [T, 3],
        [T, 1],
      ],
      stepGrid(T, T + 15, 15)
    );
    assert.deepEqual(a.values, [2, 5]);
    assert.deepEqual(b.values, a.values);
    assert.equal(a.stats.mergedDuplicates, 1);
  });

  it('interpolates gaps up to the limit and leaves longer gaps missing', () => {
    const points: RawPoint[] = [
      [T, 0],
      // two-point gap at T+15, T+30: bridged
      [T + 45, 30],
      // three-point gap at T+60..T+90: too long with the limit of 2
      [T + 105, 0],
      [T + 120, 10],
    ];
    const aligned = alignSeries(points, grid, { maxInterpolationSteps: 2 });
    assert.deepEqual(ok(aligned.values), [0, 10, 20, 30, null, null, null, 0, 10]);
    assert.deepEqual(aligned.interpolated, [false, true, true, false, false, false, false, false, false]);
    assert.deepEqual(aligned.missing, [false, false, false, false, true, true, true, false, false]);
    assert.equal(aligned.stats.longestGapSteps, 3);
    assert.equal(aligned.stats.longestGapStart, T + 60);
    const longer = alignSeries(points, grid, { maxInterpolationSteps: 3 });
    assert.equal(longer.stats.missing, 0);
  });

  it('never extrapolates before the first or after the last sample', () => {
    const aligned = alignSeries(
      [
        [T + 45, 1],
        [T + 60, 2],
      ],
      grid,
      { maxInterpolationSteps: 10 }
    );
    assert.deepEqual(aligned.missing, [true, true, true, false, false, true, true, true, true]);
  });

  it('respects the tolerance for counting a sample as observed', () => {
    const aligned = alignSeries([[T + 5, 1]], stepGrid(T, T + 15, 15), { tolerance: 3 });
    assert.deepEqual(aligned.missing, [true, true]);
    const wider = alignSeries([[T + 5, 1]], stepGrid(T, T + 15, 15), { tolerance: 5 });
    assert.deepEqual(wider.missing, [false, true]);
  });

  it('keeps a series of only non-finite values as all missing rather than failing', () => {
    const aligned = alignSeries([[T, 'NaN']], grid);
    assert.equal(aligned.stats.missing, 9);
  });

  it('rejects bad input naming what was wrong', () => {
    assert.throws(
      () => alignSeries([], grid, { name: 'frontend.latency_p95' }),
      /frontend\.latency_p95: series is empty/
    );
    assert.throws(() => alignSeries([[Number.NaN, 1]], grid), /series\[0\]: timestamp must be a finite number/);
    assert.throws(() => alignSeries([[T, 1], [T] as unknown as RawPoint], grid), /series\[1\]: each point must be/);
    assert.throws(() => alignSeries([[T, {} as unknown as number]], grid), /series\[0\]: value must be a number/);
    assert.throws(
      () => alignSeries([[T, 1]], grid, { maxInterpolationSteps: -1 }),
      /maxInterpolationSteps: must be an integer >= 0/
    );
    assert.throws(() => alignSeries([[T, 1]], grid, { tolerance: -1 }), /tolerance/);
    assert.throws(() => alignSeries([[T, 1]], { step: 0 } as never), /grid: must be a grid/);
  });
});
