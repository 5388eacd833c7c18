import type { ApiConfig } from '../config/types.js';
import { resolveTimeRange, type TimeRange } from '../http/resolveTimeRange.js';
import { parseStepParam, parseTimeParam } from './parseTimeParam.js';

/** The from/to/step query parameters of a range route, as the API receives them. */
export interface RangeQuery {
  readonly from?: string;
  readonly to?: string;
  readonly step?: string;
}

/**
 * A route's time range: `from` (default now−1h) to `to` (default now), checked against
 * api.maxRangeSeconds and api.maxPoints; without a step, the smallest one that fits, at least
 * `minStep` and aligned to it.
 */
export function resolveApiRange(
  query: RangeQuery,
  api: Pick<ApiConfig, 'maxRangeSeconds' | 'maxPoints'>,
  now: number,
  minStep: number
): TimeRange {
  const end = query.to === undefined ? now : parseTimeParam('to', query.to, now);
  const start = query.from === undefined ? end - 3600 : parseTimeParam('from', query.from, now);
  let step: number | undefined;
  if (query.step !== undefined) {
    step = parseStepParam(query.step);
  } else {
    const span = end - start;
    const fit = Math.ceil(span / Math.max(1, api.maxPoints - 1));
    step = Math.max(minStep, Math.ceil(fit / minStep) * minStep);
  }
  return resolveTimeRange({ start, end, step }, api, minStep);
}
