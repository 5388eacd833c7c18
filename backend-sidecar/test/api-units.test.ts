import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { closeNames } from '../src/api/closeNames.js';
import { edgeThickness } from '../src/api/frames/buildTopologyFrames.js';
import { dataFrame } from '../src/api/frames/dataFrame.js';
import { seismoColor } from '../src/api/frames/seismoColor.js';
import { parseDuration, parseStepParam, parseTimeParam } from '../src/api/parseTimeParam.js';
import { promqlString } from '../src/api/promqlString.js';
import { resolveApiRange } from '../src/api/resolveApiRange.js';
import { ApiError } from '../src/http/ApiError.js';

const NOW = 1_700_000_000;
const LIMITS = { maxRangeSeconds: 86_400, maxPoints: 1000 };

describe('API parameters', () => {
  it('reads times as unix seconds, RFC 3339 and now-relative, and refuses the rest by name', () => {
    assert.equal(parseTimeParam('from', '1699990000', NOW), 1_699_990_000);
    assert.equal(parseTimeParam('from', '1699990000.5', NOW), 1_699_990_000.5);
    assert.equal(parseTimeParam('from', '2023-11-14T22:13:20Z', NOW), 1_700_000_000);
    assert.equal(parseTimeParam('from', '2023-11-14T23:13:20+01:00', NOW), 1_700_000_000);
    assert.equal(parseTimeParam('from', 'now', NOW), NOW);
    assert.equal(parseTimeParam('from', 'now-1h30m', NOW), NOW - 5400);
    assert.equal(parseTimeParam('to', 'now+5m', NOW), NOW + 300);
    for (const [value, message] of [
      ['1700000000000', /not a plausible unix time in seconds \(milliseconds\?\)/],
      ['now-', /cannot read "now-" as a time/],
      ['now-1x', /"1x" is not a duration/],
      ['yesterday', /cannot read "yesterday" as a time/],
      ['2023-11-14', /cannot read/],
    ] as const) {
      assert.throws(
        () => parseTimeParam('from', value, NOW),
        (e: unknown) =>
          e instanceof ApiError &&
          e.statusCode === 400 &&
          message.test(e.message) &&
          e.message.startsWith('querystring.from: ')
      );
    }
  });

  it('reads steps and durations', () => {
    assert.equal(parseDuration('90s'), 90);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('5'), null);
    assert.equal(parseStepParam('15'), 15);
    assert.equal(parseStepParam('1m'), 60);
    assert.throws(() => parseStepParam('0'), /not a step/);
  });

  it('defaults to the last hour at a step that fits, and enforces the limits', () => {
    assert.deepEqual(resolveApiRange({}, LIMITS, NOW, 15), { start: NOW - 3600, end: NOW, step: 15, points: 241 });
    assert.equal(
      resolveApiRange({ from: 'now-1d' }, LIMITS, NOW, 15).step,
      90,
      'the smallest multiple of the step that fits maxPoints'
    );
    assert.throws(() => resolveApiRange({ from: 'now-2d' }, LIMITS, NOW, 15), /longer than the limit of 86400 s/);
    assert.throws(() => resolveApiRange({ from: 'now-1d', step: '1' }, LIMITS, NOW, 15), /use step >= 87/);
    assert.throws(() => resolveApiRange({ from: 'now', to: 'now-1h' }, LIMITS, NOW, 15), /must be after start/);
  });

  it('quotes label values for PromQL and suggests close names', () => {
    assert.equal(promqlString('a"b\\c\nd'), '"a\\"b\\\\c\\nd"');
    assert.deepEqual(closeNames('cartservce', ['cartservice', 'checkoutservice', 'adservice']), ['cartservice']);
    assert.deepEqual(closeNames('cart', ['cartservice', 'frontend']), ['cartservice']);
    assert.deepEqual(closeNames('zzz', ['frontend']), []);
  });
});

describe('frame helpers', () => {
  it('a frame refuses fields of different lengths', () => {
    assert.throws(
      () =>
        dataFrame('x', [
          { name: 'a', type: 'number', values: [1, 2] },
          { name: 'b', type: 'number', values: [1] },
        ]),
      /field b has 1 values, expected 2/
    );
  });

  it('edge thickness grows with the log of the rate, within 1 to 8', () => {
    assert.deepEqual([null, 0, 1, 10, 100, 10_000, 1e12].map(edgeThickness), [1, 1, 1, 3, 4, 7, 8]);
  });

  it('unknown is never drawn as healthy', () => {
    assert.equal(seismoColor('stale', 0.1, false), '#8E8E8E');
    assert.equal(seismoColor('unknown', null, null), '#8E8E8E');
    assert.equal(seismoColor('warmup', null, null), '#8AB8FF');
    assert.equal(seismoColor('ok', 0.2, false), '#73BF69');
    assert.equal(seismoColor('fallback', 0.95, true), '#E02F44');
  });
});
