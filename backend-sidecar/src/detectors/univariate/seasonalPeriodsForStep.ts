const DAY_SECONDS = 86_400;
const WEEK_SECONDS = 7 * DAY_SECONDS;

/**
 * Daily and weekly periods in points for a series sampled every `stepSeconds`, the two
 * seasonalities operational metrics have (traffic follows people). Periods that are not a
 * whole number of steps, or shorter than four points, are left out: a reference at the
 * "same time yesterday" needs yesterday's point to exist.
 */
export function seasonalPeriodsForStep(stepSeconds: number): number[] {
  if (!(stepSeconds > 0) || !Number.isFinite(stepSeconds)) {
    return [];
  }
  return [DAY_SECONDS, WEEK_SECONDS]
    .map((s) => s / stepSeconds)
    .filter((p) => Math.abs(p - Math.round(p)) < 1e-6 && p >= 4)
    .map((p) => Math.round(p));
}
