/**
 * Backoff before retry number `attempt` (1 = after the first failure): a uniform draw in
 * [0, min(maxMs, baseMs · 2^(attempt-1))), the "full jitter" scheme. Spreading retries over the
 * whole interval keeps many sidecar replicas from hammering a recovering Prometheus in lockstep.
 */
export function fullJitterDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2^exponent overflows to Infinity for large attempts; the cap keeps the result finite.
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(exponent, 52));
  const draw = random();
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.floor(unit * cap);
}
