import { ApiError } from './ApiError.js';

export interface TimeRangeLimits {
  /** api.maxRangeSeconds */
  readonly maxRangeSeconds: number;
  /** api.maxPoints: most points per series in one answer. */
  readonly maxPoints: number;
}

export interface TimeRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /** Grid points from start to end inclusive. */
  readonly points: number;
}

/**
 * Checks a requested range against the API limits and picks a step when none was given (the
 * smallest that fits maxPoints, at least `minStep`). Violations are 400s that say which limit
 * was hit and what to send instead.
 */
export function resolveTimeRange(
  query: { readonly start: number; readonly end: number; readonly step?: number },
  limits: TimeRangeLimits,
  minStep: number
): TimeRange {
  const { start, end } = query;
  if (!(end > start)) {
    throw new ApiError(400, 'invalid_range', `end (${end}) must be after start (${start})`);
  }
  const span = end - start;
  if (span > limits.maxRangeSeconds) {
    throw new ApiError(
      400,
      'range_too_long',
      `the range of ${span} s is longer than the limit of ${limits.maxRangeSeconds} s (api.maxRangeSeconds); narrow start..end`
    );
  }
  const step = query.step ?? Math.max(minStep, Math.ceil(span / (limits.maxPoints - 1)));
  const points = Math.floor(span / step) + 1;
  if (points > limits.maxPoints) {
    const smallest = Math.ceil(span / (limits.maxPoints - 1));
    throw new ApiError(
      400,
      'too_many_points',
      `step ${step} s gives ${points} points, more than the limit of ${limits.maxPoints} (api.maxPoints); use step >= ${smallest}`
    );
  }
  return { start, end, step, points };
}
