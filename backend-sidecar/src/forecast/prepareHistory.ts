import { ForecastInputError } from './ForecastInputError.js';

export interface PrepareHistoryOptions {
  /**
   * Longest run of missing steps that is bridged by linear interpolation for fitting. A longer
   * gap ends the usable history: the fit starts after it, because inventing a long stretch would
   * teach the model a shape that never happened.
   */
  maxFillSteps: number;
  /** Only the most recent `maxPoints` steps are kept (fit cost grows with length). */
  maxPoints: number;
  /** Fewer usable steps than this is an error naming the shortfall. */
  minPoints: number;
  /** Used in error messages. */
  name?: string;
}

/** Gap-free values ready for a model fit, on the same step grid as the input. */
export interface PreparedHistory {
  readonly values: number[];
  /** Unix seconds of values[0]. */
  readonly start: number;
  readonly step: number;
  /** Steps that were missing in the input and filled by interpolation (fitting only). */
  readonly filled: number;
  /** Index in the input array of values[0]. */
  readonly offset: number;
}

/**
 * Turns a series on a step grid with explicit gaps (NaN) into the gap-free values a model fit
 * needs: leading and trailing gaps are cut, short interior gaps are interpolated, and the
 * history starts after the last gap longer than `maxFillSteps`. The input is not modified:
 * filled values exist only for fitting, so gaps stay gaps everywhere else.
 */
export function prepareHistory(
  values: readonly number[],
  start: number,
  step: number,
  options: PrepareHistoryOptions
): PreparedHistory {
  const name = options.name ?? 'values';
  if (!Array.isArray(values)) {
    throw new ForecastInputError(name, 'must be an array of numbers (NaN marks a missing step)');
  }
  if (values.length === 0) {
    throw new ForecastInputError(name, 'series is empty');
  }
  if (!Number.isFinite(start)) {
    throw new ForecastInputError('start', `must be finite unix seconds (got ${String(start)})`);
  }
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new ForecastInputError('step', `must be a number of seconds > 0 (got ${String(step)})`);
  }
  const { maxFillSteps, maxPoints, minPoints } = options;
  if (!Number.isInteger(maxFillSteps) || maxFillSteps < 0) {
    throw new ForecastInputError('maxFillSteps', `must be an integer >= 0 (got ${String(maxFillSteps)})`);
  }
  if (!Number.isInteger(minPoints) || minPoints < 1 || !Number.isInteger(maxPoints) || maxPoints < minPoints) {
    throw new ForecastInputError(
      'maxPoints',
      `need integers 1 <= minPoints <= maxPoints (got ${minPoints}, ${maxPoints})`
    );
  }
  const finite = (i: number): boolean => {
    const v = values[i];
    return typeof v === 'number' && Number.isFinite(v);
  };

  let last = values.length - 1;
  while (last >= 0 && !finite(last)) {
    last--;
  }
  if (last < 0) {
    throw new ForecastInputError(name, `no finite values among ${values.length} steps`);
  }
  // Walk back from the newest value to the first gap that is too long to bridge.
  let first = last;
  let run = 0;
  for (let i = last - 1; i >= 0; i--) {
    if (finite(i)) {
      if (run > maxFillSteps) {
        break;
      }
      first = i;
      run = 0;
    } else {
      run++;
    }
  }
  // Bounded history: keep the newest maxPoints steps, and start on an observed value.
  first = Math.max(first, last - maxPoints + 1);
  while (!finite(first)) {
    first++;
  }
  const length = last - first + 1;
  if (length < minPoints) {
    throw new ForecastInputError(
      name,
      `too short: ${length} usable steps after the last gap longer than ${maxFillSteps} steps, need at least ${minPoints}`
    );
  }

  const out = new Array<number>(length);
  let filled = 0;
  let prev = first;
  for (let i = first; i <= last; i++) {
    if (finite(i)) {
      const v = values[i] as number;
      // Interpolate the run between the previous observed step and this one.
      for (let k = prev + 1; k < i; k++) {
        const a = values[prev] as number;
        out[k - first] = a + ((v - a) * (k - prev)) / (i - prev);
        filled++;
      }
      out[i - first] = v;
      prev = i;
    }
  }
  return { values: out, start: start + first * step, step, filled, offset: first };
}
