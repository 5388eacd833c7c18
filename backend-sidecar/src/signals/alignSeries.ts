import { SignalInputError } from './SignalInputError.js';
import type { StepGrid } from './stepGrid.js';

/**
 * One raw sample: [unix seconds, value]. Values may be strings because Prometheus' HTTP API
 * encodes sample values as strings ("1.5", "NaN", "+Inf").
 */
export type RawPoint = readonly [number, number | string | null];

export interface AlignOptions {
  /**
   * Longest run of empty grid points that may be bridged by linear interpolation. Longer gaps
   * stay missing: inventing minutes of data would hide outages. 0 disables interpolation.
   */
  maxInterpolationSteps?: number;
  /** How far (seconds) a raw sample may be from a grid point to count as observed there. Default: step / 2. */
  tolerance?: number;
  /** Used in error messages, e.g. "frontend.latency_p95". */
  name?: string;
}

export interface AlignStats {
  observed: number;
  interpolated: number;
  missing: number;
  /** Longest run of consecutive missing grid points, and where it starts (unix seconds, null when none). */
  longestGapSteps: number;
  longestGapStart: number | null;
  /** Raw samples discarded because their value was NaN or infinite. */
  droppedNonFinite: number;
  /** Raw samples that shared a timestamp with another one (merged by their mean). */
  mergedDuplicates: number;
}

/**
 * A series on a step grid. Missing data stays explicit: `values[i]` is NaN and `missing[i]`
 * is true, so nothing downstream can mistake a hole for a zero or for "healthy".
 */
export interface AlignedSeries {
  readonly start: number;
  readonly step: number;
  readonly timestamps: readonly number[];
  readonly values: number[];
  readonly missing: boolean[];
  readonly interpolated: boolean[];
  readonly stats: AlignStats;
}

export const DEFAULT_MAX_INTERPOLATION_STEPS = 2;

function parseValue(raw: unknown, where: string): number {
  if (typeof raw === 'number') {
    return raw;
  }
  if (raw === null || raw === undefined) {
    return Number.NaN;
  }
  if (typeof raw === 'string') {
    const text = raw.trim();
    // Number('') is 0, which would turn an empty field into a real-looking measurement.
    return text === '' ? Number.NaN : Number(text);
  }
  throw new SignalInputError(where, `value must be a number or numeric string (got ${typeof raw})`);
}

interface Sample {
  t: number;
  v: number;
}

function cleanSamples(
  points: readonly RawPoint[],
  name: string
): { samples: Sample[]; dropped: number; merged: number } {
  const kept: Sample[] = [];
  let dropped = 0;
  let sorted = true;
  // A plain loop, and the error location built only on error: this runs once per raw sample of
  // every service in every cycle.
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    if (!Array.isArray(point) || point.length < 2) {
      throw new SignalInputError(`${name}[${i}]`, 'each point must be a [unixSeconds, value] pair');
    }
    const t = point[0];
    if (typeof t !== 'number' || !Number.isFinite(t)) {
      throw new SignalInputError(
        `${name}[${i}]`,
        `timestamp must be a finite number of unix seconds (got ${String(t)})`
      );
    }
    const raw = point[1];
    const v = typeof raw === 'number' ? raw : parseValue(raw, `${name}[${i}]`);
    if (Number.isFinite(v)) {
      if (kept.length > 0 && (kept[kept.length - 1] as Sample).t > t) {
        sorted = false;
      }
      kept.push({ t, v });
    } else {
      dropped++;
    }
  }
  // Prometheus returns samples in time order; sort only what is not.
  if (!sorted) {
    kept.sort((a, b) => a.t - b.t);
  }

  // Duplicates are merged by their mean so the result does not depend on input order.
  const samples: Sample[] = [];
  let merged = 0;
  let i = 0;
  while (i < kept.length) {
    const first = kept[i] as Sample;
    let sum = first.v;
    let count = 1;
    while (i + count < kept.length && (kept[i + count] as Sample).t === first.t) {
      sum += (kept[i + count] as Sample).v;
      count++;
    }
    merged += count - 1;
    samples.push({ t: first.t, v: sum / count });
    i += count;
  }
  return { samples, dropped, merged };
}

function validateOptions(options: AlignOptions, grid: StepGrid): { maxSteps: number; tolerance: number } {
  const maxSteps = options.maxInterpolationSteps ?? DEFAULT_MAX_INTERPOLATION_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 0) {
    throw new SignalInputError('maxInterpolationSteps', `must be an integer >= 0 (got ${String(maxSteps)})`);
  }
  const tolerance = options.tolerance ?? grid.step / 2;
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new SignalInputError('tolerance', `must be a number of seconds >= 0 (got ${String(tolerance)})`);
  }
  return { maxSteps, tolerance };
}

/**
 * Puts an irregular raw series onto `grid`. A grid point takes the nearest raw sample within
 * `tolerance`; short runs of empty points between two observed ones are interpolated; all
 * other points are missing. Nothing is extrapolated past the first or last observation.
 */
export function alignSeries(points: readonly RawPoint[], grid: StepGrid, options: AlignOptions = {}): AlignedSeries {
  const name = options.name ?? 'series';
  if (!Array.isArray(points)) {
    throw new SignalInputError(name, 'series must be an array of [unixSeconds, value] pairs');
  }
  if (points.length === 0) {
    throw new SignalInputError(name, 'series is empty');
  }
  if (grid === null || typeof grid !== 'object' || !(grid.step > 0) || !Array.isArray(grid.timestamps)) {
    throw new SignalInputError('grid', 'must be a grid made by stepGrid(start, end, step)');
  }
  const { maxSteps, tolerance } = validateOptions(options, grid);
  const { samples, dropped, merged } = cleanSamples(points, name);

  const n = grid.length;
  const values = new Array<number>(n).fill(Number.NaN);
  const missing = new Array<boolean>(n).fill(true);
  const interpolated = new Array<boolean>(n).fill(false);

  // Both sequences are sorted, so one forward pointer finds each grid point's neighbours.
  let j = 0;
  for (let i = 0; i < n; i++) {
    const t = grid.timestamps[i] as number;
    while (j + 1 < samples.length && (samples[j + 1] as Sample).t <= t) {
      j++;
    }
    let best: Sample | undefined;
    let bestDistance = Number.POSITIVE_INFINITY;
    // The two neighbours of t, checked in time order; on a tie the later sample wins: it
    // reflects the state at the end of the interval.
    for (let c = j; c <= j + 1 && c < samples.length; c++) {
      const candidate = samples[c] as Sample;
      const distance = Math.abs(candidate.t - t);
      if (distance <= tolerance && distance <= bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best !== undefined) {
      values[i] = best.v;
      missing[i] = false;
    }
  }

  let observed = 0;
  for (const m of missing) {
    if (!m) {
      observed++;
    }
  }

  // Bridge short interior gaps only; runs touching either end have no right or left anchor.
  let i = 0;
  while (i < n) {
    if (!missing[i]) {
      i++;
      continue;
    }
    let k = i;
    while (k < n && missing[k]) {
      k++;
    }
    const runLength = k - i;
    if (i > 0 && k < n && runLength <= maxSteps) {
      const left = values[i - 1] as number;
      const right = values[k] as number;
      for (let p = i; p < k; p++) {
        const fraction = (p - (i - 1)) / (k - (i - 1));
        values[p] = left + (right - left) * fraction;
        missing[p] = false;
        interpolated[p] = true;
      }
    }
    i = k;
  }

  let interpolatedCount = 0;
  let missingCount = 0;
  let longestGapSteps = 0;
  let longestGapStart: number | null = null;
  let run = 0;
  for (let p = 0; p < n; p++) {
    if (interpolated[p]) {
      interpolatedCount++;
    }
    if (missing[p]) {
      missingCount++;
      run++;
      if (run > longestGapSteps) {
        longestGapSteps = run;
        longestGapStart = grid.timestamps[p - run + 1] as number;
      }
    } else {
      run = 0;
    }
  }

  return {
    start: grid.start,
    step: grid.step,
    timestamps: grid.timestamps,
    values,
    missing,
    interpolated,
    stats: {
      observed,
      interpolated: interpolatedCount,
      missing: missingCount,
      longestGapSteps,
      longestGapStart,
      droppedNonFinite: dropped,
      mergedDuplicates: merged,
    },
  };
}
