/** Seconds in a day: the season of the MASE scale, as in the benchmark anchors. */
const DAY_SECONDS = 86_400;

/**
 * Lag of the seasonal-naive model that scales MASE: one day in steps when the history holds at
 * least two days (so the in-sample seasonal-naive error is estimated over at least a full day),
 * otherwise 1 (the naive model), because a daily lag cannot be estimated from less. Fixed by
 * the calendar rather than by detection so that MASE values of different targets stay
 * comparable.
 */
export function masePeriod(stepSeconds: number, historyLength: number): number {
  const day = Math.round(DAY_SECONDS / stepSeconds);
  return day >= 2 && historyLength >= 2 * day ? day : 1;
}
