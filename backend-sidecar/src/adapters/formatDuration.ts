/** Seconds as a PromQL duration; whole seconds stay readable, fractions go to milliseconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`window must be a positive number of seconds (got ${seconds})`);
  }
  return Number.isInteger(seconds) ? `${seconds}s` : `${Math.max(1, Math.round(seconds * 1000))}ms`;
}
