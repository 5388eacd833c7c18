export interface SeasonalProfile {
  /** Share of the detrended variance the per-phase profile explains, in [0, 1]. */
  readonly strength: number;
  /** Mean detrended value per phase (index = step index mod period), centred on 0. */
  readonly profile: Float64Array;
}

const NONE = (period: number): SeasonalProfile => ({ strength: 0, profile: new Float64Array(Math.max(period, 0)) });

/**
 * Seasonal strength and profile of `period` steps in gap-free values: one minus the share of
 * the detrended variance that a fixed per-phase profile leaves unexplained (the usual strength
 * of a classical decomposition). The trend is a centred moving average over one period, which
 * removes a pattern of exactly that period and nothing else. Variances use their degrees of
 * freedom, so pure noise scores near 0 even with only a few periods of data instead of the
 * 1/(number of periods) a plain ratio would give.
 */
export function seasonalProfile(values: readonly number[], period: number): SeasonalProfile {
  const n = values.length;
  if (!Number.isInteger(period) || period < 2 || n < 2 * period + 1) {
    return NONE(period);
  }
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    prefix[i + 1] = (prefix[i] as number) + (values[i] as number);
  }
  const sum = (a: number, b: number): number => (prefix[b] as number) - (prefix[a] as number); // [a, b)
  const half = Math.floor(period / 2);
  const from = half;
  const to = n - half; // exclusive
  const detrended = new Float64Array(to - from);
  for (let t = from; t < to; t++) {
    let trend: number;
    if (period % 2 === 1) {
      trend = sum(t - half, t + half + 1) / period;
    } else {
      // 2×p moving average: the two end points get half weight so the window stays centred.
      trend =
        (sum(t - half + 1, t + half) + 0.5 * ((values[t - half] as number) + (values[t + half] as number))) / period;
    }
    detrended[t - from] = (values[t] as number) - trend;
  }
  const m = detrended.length;
  const profileSum = new Float64Array(period);
  const profileCount = new Float64Array(period);
  let mean = 0;
  for (let i = 0; i < m; i++) {
    const phase = (i + from) % period;
    profileSum[phase] = (profileSum[phase] as number) + (detrended[i] as number);
    profileCount[phase] = (profileCount[phase] as number) + 1;
    mean += detrended[i] as number;
  }
  mean /= m;
  const profile = new Float64Array(period);
  for (let p = 0; p < period; p++) {
    profile[p] = (profileSum[p] as number) / (profileCount[p] as number) - mean;
  }
  let ssTotal = 0;
  let ssRemainder = 0;
  for (let i = 0; i < m; i++) {
    const d = (detrended[i] as number) - mean;
    ssTotal += d ** 2;
    ssRemainder += (d - (profile[(i + from) % period] as number)) ** 2;
  }
  if (!(ssTotal > 0) || m <= period) {
    return NONE(period);
  }
  const varTotal = ssTotal / (m - 1);
  const varRemainder = ssRemainder / (m - period);
  return { strength: Math.min(1, Math.max(0, 1 - varRemainder / varTotal)), profile };
}
