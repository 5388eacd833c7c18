/** HTTP building blocks for route modules: errors, limits, and the public-route marker. */
export { ApiError } from './ApiError.js';
export type { ErrorBody } from './ErrorBody.js';
export { resolveTimeRange } from './resolveTimeRange.js';
export type { TimeRange, TimeRangeLimits } from './resolveTimeRange.js';
export { timeRangeQuerySchema } from './timeRangeQuerySchema.js';
export { PUBLIC_ROUTE } from './publicRoute.js';
