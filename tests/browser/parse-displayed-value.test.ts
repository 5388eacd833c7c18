import assert from 'node:assert/strict';
import { test } from 'node:test';

import { parseDisplayedValue } from './support/parseDisplayedValue.js';

test('a displayed value becomes its base-unit number with half a unit of its last digit as tolerance', () => {
  const close = (actual: { value: number; tolerance: number }, value: number, tolerance: number) => {
    assert.ok(Math.abs(actual.value - value) < 1e-15, `${actual.value} ≠ ${value}`);
    assert.ok(Math.abs(actual.tolerance - tolerance) < 1e-15, `${actual.tolerance} ≠ ${tolerance}`);
  };
  close(parseDisplayedValue('4.83 ms'), 0.00483, 0.000005);
  close(parseDisplayedValue('850 µs'), 0.00085, 0.0000005);
  close(parseDisplayedValue('1.2 s'), 1.2, 0.05);
  close(parseDisplayedValue('12.5 req/s'), 12.5, 0.05);
  close(parseDisplayedValue('1.23 K req/s'), 1230, 5);
  close(parseDisplayedValue('12.5%'), 0.125, 0.0005);
});

test('a text without a known suffix is refused with the suffixes it knows', () => {
  assert.throws(() => parseDisplayedValue('no data'), /"no data" is not a displayed value .*ms/);
  assert.throws(() => parseDisplayedValue('3 parsecs'), /not a displayed value/);
});
