/**
 * JSON schema properties of a time range in a query string (Unix seconds), for routes to
 * spread into their own querystring schema; resolveTimeRange applies the limits.
 */
export const timeRangeQuerySchema = Object.freeze({
  type: 'object',
  properties: {
    start: { type: 'number', minimum: 0 },
    end: { type: 'number', minimum: 0 },
    step: { type: 'number', exclusiveMinimum: 0 },
  },
  required: ['start', 'end'],
  additionalProperties: false,
} as const);
