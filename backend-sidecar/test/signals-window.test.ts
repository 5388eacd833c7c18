import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SignalInputError, buildWindow, stepGrid, type RawPoint } from '../src/signals/index.js';

const T = 1_700_000_000;
const STEP = 15;
const grid = stepGrid(T, T + 19 * STEP, STEP); // 20 points

function series(value: (i: number) => number, skip: (i: number) => boolean = () => false): RawPoint[] {
  const out: RawPoint[] = [];
  for (let i = 0; i < 20; i++) {
    if (!skip(i)) {
      out.push([T + i * STEP, value(i)]);
    }
  }
  return out;
}

const SIGNALS = ['request_rate', 'error_ratio', 'latency_p95'];

describe('buildWindow', () => {
  it('builds a [signals × time] window in the given signal order', () => {
    const window = buildWindow(
      'frontend',
      { latency_p95: series(() => 0.2), request_rate: series((i) => 10 + i), error_ratio: series(() => 0.01) },
      grid,
      { scope: 'service', signals: SIGNALS }
    );
    assert.equal(window.status, 'ok');
    assert.deepEqual(window.reasons, []);
    assert.deepEqual(window.signals, SIGNALS);
    assert.equal(window.values.length, 3);
    assert.equal(window.values[0]?.length, 20);
    assert.equal(window.values[0]?.[5], 15);
    assert.equal(window.values[2]?.[0], 0.2);
    assert.equal(window.missingFraction, 0);
  });

  it('is unknown, with the reason, when too much is missing', () => {
    // every other point of every signal missing: short gaps, but half the window invented
    const sparse = (i: number): boolean => i % 2 === 1;
    const window = buildWindow(
      'cart',
      {
        request_rate: series(() => 1, sparse),
        error_ratio: series(() => 0, sparse),
        latency_p95: series(() => 0.1, sparse),
      },
      grid,
      { scope: 'service', signals: SIGNALS, maxInterpolationSteps: 0, maxGapSteps: 5 }
    );
    assert.equal(window.status, 'unknown');
    assert.equal(window.missingFraction, 0.5);
    assert.deepEqual(window.reasons, ['missing 50.0% of required values exceeds limit 20.0%']);
    assert.ok(Number.isNaN(window.values[0]?.[1]));
    assert.equal(window.missing[0]?.[1], true);
  });

  it('is unknown when a required signal has a long gap, even if the overall fraction is small', () => {
    const window = buildWindow(
      'cart',
      {
        request_rate: series(() => 1),
        error_ratio: series(() => 0),
        latency_p95: series(
          () => 0.1,
          (i) => i >= 8 && i < 12
        ),
      },
      grid,
      { scope: 'service', signals: SIGNALS }
    );
    assert.ok(window.missingFraction < 0.2);
    assert.equal(window.status, 'unknown');
    assert.deepEqual(window.reasons, [`latency_p95: gap of 4 steps (60 s) from ${T + 8 * STEP} exceeds 3 steps`]);
  });

  it('tolerates gaps in optional signals and reports a missing required signal as no data', () => {
    const optionalGap = buildWindow(
      'cart',
      {
        request_rate: series(() => 1),
        error_ratio: series(() => 0),
        latency_p95: series(
          () => 0.1,
          (i) => i >= 4
        ),
      },
      grid,
      { scope: 'service', signals: SIGNALS, required: ['request_rate', 'error_ratio'] }
    );
    assert.equal(optionalGap.status, 'ok');
    assert.equal(optionalGap.stats.latency_p95?.missing, 16);

    const absent = buildWindow('cart', { request_rate: series(() => 1), error_ratio: series(() => 0) }, grid, {
      scope: 'service',
      signals: SIGNALS,
    });
    assert.equal(absent.status, 'unknown');
    assert.ok(absent.reasons.includes('latency_p95: no data'));
    assert.equal(absent.stats.latency_p95, null);
    assert.ok(absent.values[2]?.every((v) => Number.isNaN(v)));
  });

  it('never reports a window without data as healthy', () => {
    const window = buildWindow('ghost', {}, grid, {
      scope: 'edge',
      signals: ['request_rate', 'error_ratio', 'latency_p95'],
    });
    assert.equal(window.status, 'unknown');
    assert.equal(window.missingFraction, 1);
  });

  it('rejects bad input naming what was wrong', () => {
    const opts = { scope: 'service' as const, signals: SIGNALS };
    assert.throws(() => buildWindow('', {}, grid, opts), /entity: must be a non-empty string/);
    assert.throws(
      () => buildWindow('a', {}, grid, { scope: 'service', signals: [] }),
      /signals: must be a non-empty list/
    );
    assert.throws(
      () => buildWindow('a', {}, grid, { scope: 'service', signals: ['latency_p90'] }),
      /unknown service signal "latency_p90"/
    );
    assert.throws(
      () => buildWindow('a', {}, grid, { scope: 'service', signals: ['error_ratio', 'error_ratio'] }),
      /listed twice/
    );
    assert.throws(
      () => buildWindow('a', { cpu: series(() => 1) }, grid, opts),
      (e: unknown) => e instanceof SignalInputError && e.field === 'series.cpu'
    );
    assert.throws(
      () => buildWindow('a', {}, grid, { ...opts, required: ['cpu_usage'] }),
      /required: "cpu_usage" is required but not among/
    );
    assert.throws(
      () => buildWindow('a', {}, grid, { ...opts, maxMissingFraction: 1.5 }),
      /maxMissingFraction: must be in \[0, 1\]/
    );
    assert.throws(() => buildWindow('a', { request_rate: [] }, grid, opts), /a\.request_rate: series is empty/);
  });
});
