import { formatDuration } from './formatDuration';
import { formatNumber } from './formatNumber';
import { formatPercent } from './formatPercent';
import { formatUnixTime } from './formatUnixTime';

describe('formatting', () => {
  it('formats ratios as percentages, with a decimal only for small values', () => {
    expect(formatPercent(0.97)).toBe('97 %');
    expect(formatPercent(0.005)).toBe('0.5 %');
    expect(formatPercent(0)).toBe('0 %');
    expect(formatPercent(null)).toBe('–');
    expect(formatPercent(Number.NaN)).toBe('–');
  });

  it('formats durations with the two largest units', () => {
    expect(formatDuration(45)).toBe('45 s');
    expect(formatDuration(725)).toBe('12 min 5 s');
    expect(formatDuration(12_000)).toBe('3 h 20 min');
    expect(formatDuration(7205)).toBe('2 h');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(-1)).toBe('–');
  });

  it('shows a span under a second in milliseconds rather than as 0 s (a 241 ms detection cycle)', () => {
    expect(formatDuration(0.241)).toBe('241 ms');
    expect(formatDuration(0.0004)).toBe('0 ms');
    expect(formatDuration(0.9996)).toBe('1 s');
  });

  it('formats numbers without trailing zeros', () => {
    expect(formatNumber(1.2)).toBe('1.2');
    expect(formatNumber(1.23456, 3)).toBe('1.235');
    expect(formatNumber(undefined)).toBe('–');
  });

  it('formats unix seconds in the given time zone', () => {
    expect(formatUnixTime(1_700_000_000, 'utc')).toBe('2023-11-14 22:13:20');
    expect(formatUnixTime(null)).toBe('–');
  });
});
