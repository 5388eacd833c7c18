import type { BadDirection } from '../signals/index.js';

export interface WindowIndex {
  /** First and last grid index inside the analysed window (inclusive). */
  first: number;
  last: number;
}

export interface SignalSummary {
  /** Highest deviation held for `minSteps` points in the window, in the bad direction; 0 when none. */
  peak: number;
  /** Grid index where the anomalous run reaching into the window started; -1 when none. */
  onsetIndex: number;
  /** The run had started before the window. */
  preexisting: boolean;
  /** Share of window points with a known value. */
  knownFraction: number;
}

/** Deviation in the direction that hurts, NaN kept. */
export function badSide(deviation: number, direction: BadDirection): number {
  if (!Number.isFinite(deviation)) {
    return Number.NaN;
  }
  if (direction === 'up') {
    return Math.max(deviation, 0);
  }
  if (direction === 'down') {
    return Math.max(-deviation, 0);
  }
  return Math.abs(deviation);
}

/**
 * Peak, onset and known share of one deviation series inside the window.
 *
 * The peak is the best `minSteps`-point minimum, the same statistic the baseline was calibrated
 * on, so one-point blips do not count. The onset is where the first run above the edge of normal
 * that reaches into the window began, followed backwards past the window start if it was already
 * running: that is what tells a fresh anomaly from the tail of an older one.
 */
export function summariseSignal(
  deviation: readonly number[],
  direction: BadDirection,
  window: WindowIndex,
  minSteps: number
): SignalSummary {
  const bad = deviation.map((d) => badSide(d, direction));
  let known = 0;
  for (let i = window.first; i <= window.last; i++) {
    if (Number.isFinite(bad[i])) {
      known++;
    }
  }
  const width = window.last - window.first + 1;
  // A window shorter than minSteps still gets judged on what it has.
  const k = Math.max(1, Math.min(minSteps, width));
  let peak = 0;
  let onsetIndex = -1;
  for (let i = window.first; i + k - 1 <= window.last; i++) {
    let held = Number.POSITIVE_INFINITY;
    for (let j = i; j < i + k; j++) {
      const v = bad[j] as number;
      // Unknown inside the run: the run is not established.
      held = Number.isFinite(v) ? Math.min(held, v) : Number.NaN;
      if (!Number.isFinite(held)) {
        break;
      }
    }
    if (!Number.isFinite(held)) {
      continue;
    }
    if (held > peak) {
      peak = held;
    }
    if (onsetIndex < 0 && held > 1) {
      let start = i;
      while (start > 0 && (bad[start - 1] as number) > 1) {
        start--;
      }
      onsetIndex = start;
    }
  }
  return {
    peak,
    onsetIndex,
    preexisting: onsetIndex >= 0 && onsetIndex < window.first,
    knownFraction: width > 0 ? known / width : 0,
  };
}
