import { fitRobustStats } from '../signals/index.js';

import { quantileSorted } from '../signals/quantileSorted.js';
import { RootCauseInputError } from './RootCauseInputError.js';

/** Values on a regular grid; NaN where unknown. */
export interface TimedValues {
  timestamps: readonly number[];
  values: readonly number[];
}

export interface CalibrationOptions {
  /** Grid step in seconds (of both the series and the baseline). */
  step: number;
  /**
   * Time at which the "recent level" is taken, usually the start of the analysed window. The
   * level is frozen there so that a change inside the window is measured against what came
   * before it, not against itself.
   */
  referenceTime: number;
  /**
   * The recent level is the median of the series over [referenceTime - levelFrom,
   * referenceTime - levelTo] seconds. Slow drifts (memory that grows all day, load that differs
   * between morning and noon) then do not count as anomalies; a step change does. Null uses the
   * baseline median instead.
   */
  level: { from: number; to: number } | null;
  /** Smallest meaningful scale in the signal's unit (see SignalSpec.scaleFloor). */
  absoluteFloor?: number;
  /** Smallest scale as a fraction of the baseline median's magnitude. */
  relativeFloor?: number;
  /** Quantile of the baseline's own persistent deviations that counts as the edge of normal. */
  tailQuantile?: number;
  /** The edge of normal is never closer than this many robust standard deviations. */
  minTail?: number;
  /** Consecutive points the tail statistic is taken over; use the ranker's `minSteps`. */
  persistenceSteps?: number;
  /** Fewer finite baseline values than this leave the whole series unknown. */
  minBaselinePoints?: number;
}

export interface CalibratedDeviation {
  /** Signed, in units of the edge of normal; NaN where the value or the calibration is unknown. */
  deviation: number[];
  status: 'ok' | 'no_baseline';
  /** Level the window is compared with, and where it came from. */
  level: number;
  levelSource: 'recent' | 'baseline';
  /** Robust scale of the baseline's deviations from its own recent level. */
  scale: number;
  /** Edge of normal above and below the level, in scale units. */
  upperTail: number;
  lowerTail: number;
  baselinePoints: number;
}

const DEFAULTS = {
  absoluteFloor: 1e-9,
  relativeFloor: 0.01,
  // The 99th percentile of 2-point-held deviations: an hour of normal minutes gives one such
  // excursion by construction, so crossing it is rare without a change in behaviour.
  tailQuantile: 0.99,
  minTail: 3,
  persistenceSteps: 2,
  minBaselinePoints: 20,
};

function median(values: readonly number[]): number {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  return quantileSorted(finite, 0.5);
}

function checkTimed(name: string, series: TimedValues): void {
  if (!series || !Array.isArray(series.timestamps) || !Array.isArray(series.values)) {
    throw new RootCauseInputError(name, 'must be {timestamps: number[], values: number[]}');
  }
  if (series.timestamps.length !== series.values.length) {
    throw new RootCauseInputError(
      name,
      `has ${series.timestamps.length} timestamps but ${series.values.length} values`
    );
  }
  for (let i = 1; i < series.timestamps.length; i++) {
    if (!((series.timestamps[i] as number) > (series.timestamps[i - 1] as number))) {
      throw new RootCauseInputError(name, `timestamps must be strictly ascending (index ${i})`);
    }
  }
}

/**
 * Median of `values` whose timestamps fall in [at - from, at - to]; NaN when fewer than half of
 * the expected points are known (a level from two points is a guess).
 */
function recentLevel(
  timestamps: readonly number[],
  values: readonly number[],
  at: number,
  level: { from: number; to: number },
  step: number
): number {
  const lo = at - level.from;
  const hi = at - level.to;
  // Timestamps are ascending: binary-search the first one >= lo, then walk to hi. Keeps the
  // per-point cost at the width of the level window, not the length of the series.
  let a = 0;
  let b = timestamps.length;
  while (a < b) {
    const mid = (a + b) >> 1;
    if ((timestamps[mid] as number) < lo) {
      a = mid + 1;
    } else {
      b = mid;
    }
  }
  const picked: number[] = [];
  for (let i = a; i < timestamps.length && (timestamps[i] as number) <= hi; i++) {
    if (Number.isFinite(values[i])) {
      picked.push(values[i] as number);
    }
  }
  const expected = Math.floor((level.from - level.to) / step) + 1;
  return picked.length >= Math.max(3, Math.ceil(expected / 2)) ? median(picked) : Number.NaN;
}

/**
 * Turns raw values into deviations from normal behaviour learnt on a baseline period.
 *
 * Three choices matter. The centre is a recent level (when asked for) so slow drifts are not
 * anomalies. The scale is the baseline's robust spread around its own recent level, through the
 * shared `fitRobustStats`. And the edge of normal is the baseline's own tail of *held*
 * deviations (the `persistenceSteps`-point minimum), not a fixed 3 sigma: many service signals
 * are heavy-tailed (a p95 that spikes for one minute every hour), and a plain z-score would call
 * every such spike a strong anomaly while a real, lasting shift of the same size would look no
 * different. Calibrating the same statistic the ranker uses makes "1" mean the same thing for a
 * smooth CPU series and a spiky latency series.
 */
export function calibrateDeviation(
  series: TimedValues,
  baseline: TimedValues,
  options: CalibrationOptions
): CalibratedDeviation {
  checkTimed('series', series);
  checkTimed('baseline', baseline);
  const step = options.step;
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RootCauseInputError('step', `must be a number of seconds > 0 (got ${String(step)})`);
  }
  const o = { ...DEFAULTS, ...stripUndefined(options) };
  if (!(o.tailQuantile > 0.5 && o.tailQuantile < 1)) {
    throw new RootCauseInputError('tailQuantile', `must be in (0.5, 1) (got ${String(o.tailQuantile)})`);
  }
  if (options.level !== null && !(options.level.from > options.level.to && options.level.to >= 0)) {
    throw new RootCauseInputError('level', 'needs from > to >= 0 (seconds before the reference time)');
  }

  const unknown = (): CalibratedDeviation => ({
    deviation: series.values.map(() => Number.NaN),
    status: 'no_baseline',
    level: Number.NaN,
    levelSource: 'baseline',
    scale: Number.NaN,
    upperTail: Number.NaN,
    lowerTail: Number.NaN,
    baselinePoints: baseline.values.filter((v) => Number.isFinite(v)).length,
  });

  const finiteBaseline = baseline.values.filter((v) => Number.isFinite(v));
  if (finiteBaseline.length < o.minBaselinePoints) {
    return unknown();
  }
  const baselineMedian = median(finiteBaseline);

  // Residuals of the baseline around its own recent level, so that the scale describes the
  // same quantity the window is judged by.
  const residuals = baseline.values.map((v, i) => {
    if (!Number.isFinite(v)) {
      return Number.NaN;
    }
    if (options.level === null) {
      return v - baselineMedian;
    }
    const lvl = recentLevel(
      baseline.timestamps,
      baseline.values,
      baseline.timestamps[i] as number,
      options.level,
      step
    );
    return v - (Number.isFinite(lvl) ? lvl : baselineMedian);
  });
  const finiteResiduals = residuals.filter((v) => Number.isFinite(v));
  const floor = Math.max(o.absoluteFloor, o.relativeFloor * Math.abs(baselineMedian), 1e-12);
  const stats = fitRobustStats(finiteResiduals, { absoluteFloor: floor, relativeFloor: 0, name: 'baseline' });
  const z = residuals.map((r) => (r - stats.center) / stats.scale);

  // Held deviations: the smallest of `persistenceSteps` consecutive points, in each direction.
  const k = Math.max(1, Math.floor(o.persistenceSteps));
  const up: number[] = [];
  const down: number[] = [];
  for (let i = 0; i + k - 1 < z.length; i++) {
    let contiguous = true;
    let minUp = Number.POSITIVE_INFINITY;
    let minDown = Number.POSITIVE_INFINITY;
    for (let j = i; j < i + k; j++) {
      const v = z[j] as number;
      if (
        !Number.isFinite(v) ||
        (j > i && (baseline.timestamps[j] as number) - (baseline.timestamps[j - 1] as number) !== step)
      ) {
        contiguous = false;
        break;
      }
      minUp = Math.min(minUp, Math.max(v, 0));
      minDown = Math.min(minDown, Math.max(-v, 0));
    }
    if (contiguous) {
      up.push(minUp);
      down.push(minDown);
    }
  }
  if (up.length < o.minBaselinePoints / 2) {
    // Too fragmented for held pairs: fall back to single points, which only makes the edge wider.
    up.length = 0;
    down.length = 0;
    for (const v of z) {
      if (Number.isFinite(v)) {
        up.push(Math.max(v, 0));
        down.push(Math.max(-v, 0));
      }
    }
  }
  up.sort((a, b) => a - b);
  down.sort((a, b) => a - b);
  const upperTail = Math.max(quantileSorted(up, o.tailQuantile), o.minTail);
  const lowerTail = Math.max(quantileSorted(down, o.tailQuantile), o.minTail);

  let level = baselineMedian;
  let levelSource: CalibratedDeviation['levelSource'] = 'baseline';
  if (options.level !== null) {
    const recent = recentLevel(series.timestamps, series.values, options.referenceTime, options.level, step);
    if (Number.isFinite(recent)) {
      level = recent;
      levelSource = 'recent';
    }
  }
  const deviation = series.values.map((v) => {
    if (!Number.isFinite(v)) {
      return Number.NaN;
    }
    const zz = (v - level - stats.center) / stats.scale;
    return zz >= 0 ? zz / upperTail : zz / lowerTail;
  });
  return {
    deviation,
    status: 'ok',
    level,
    levelSource,
    scale: stats.scale,
    upperTail,
    lowerTail,
    baselinePoints: finiteBaseline.length,
  };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) {
      (out as Record<string, unknown>)[k] = v;
    }
  }
  return out;
}
