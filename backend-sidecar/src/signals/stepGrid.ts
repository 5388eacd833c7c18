import { SignalInputError } from './SignalInputError.js';

/** A regular time grid: `start`, `start + step`, ... up to and including `end` when aligned. */
export interface StepGrid {
  /** Unix seconds of the first point. */
  readonly start: number;
  /** Unix seconds of the last point (`end` as given, rounded down to the step). */
  readonly end: number;
  /** Seconds between points. */
  readonly step: number;
  readonly length: number;
  readonly timestamps: readonly number[];
}

/** Guards against a typo (step in ms, range in years) allocating gigabytes. */
const MAX_POINTS = 1_000_000;

export function stepGrid(start: number, end: number, step: number): StepGrid {
  if (typeof start !== 'number' || !Number.isFinite(start)) {
    throw new SignalInputError('start', `must be a finite number of unix seconds (got ${String(start)})`);
  }
  if (typeof end !== 'number' || !Number.isFinite(end)) {
    throw new SignalInputError('end', `must be a finite number of unix seconds (got ${String(end)})`);
  }
  if (typeof step !== 'number' || !Number.isFinite(step) || step <= 0) {
    throw new SignalInputError('step', `must be a number of seconds > 0 (got ${String(step)})`);
  }
  if (start > end) {
    throw new SignalInputError('start', `start ${start} is after end ${end}`);
  }
  // The epsilon absorbs float error so that e.g. 0.1-second steps still land on `end`.
  const length = Math.floor((end - start) / step + 1e-9) + 1;
  if (length > MAX_POINTS) {
    throw new SignalInputError(
      'step',
      `grid of ${length} points exceeds the limit of ${MAX_POINTS}; use a larger step`
    );
  }
  const timestamps: number[] = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    timestamps[i] = start + i * step;
  }
  return Object.freeze({
    start,
    end: start + (length - 1) * step,
    step,
    length,
    timestamps: Object.freeze(timestamps),
  });
}
