/**
 * A sample value as the HTTP API writes it. Prometheus spells the special values 'NaN', '+Inf'
 * and '-Inf'; they are kept (not turned into null or 0) because a NaN ratio (0/0) and an
 * infinite quantile (all observations above the last bucket) mean different things downstream.
 */
export function parseSampleValue(text: unknown): number {
  if (typeof text === 'number') {
    return text;
  }
  if (typeof text !== 'string') {
    return Number.NaN;
  }
  // Plain numbers first: they are nearly every sample.
  const value = Number(text);
  if (!Number.isNaN(value)) {
    // Number('') and Number(' ') are 0; an empty value is not a measurement.
    return value === 0 && text.trim() === '' ? Number.NaN : value;
  }
  switch (text) {
    case '+Inf':
    case 'Inf':
      return Number.POSITIVE_INFINITY;
    case '-Inf':
      return Number.NEGATIVE_INFINITY;
    default:
      return Number.NaN;
  }
}
