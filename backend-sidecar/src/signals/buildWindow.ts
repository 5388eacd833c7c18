import { alignSeries, type AlignOptions, type AlignStats, type RawPoint } from './alignSeries.js';
import type { SignalScope } from './canonicalSignals.js';
import { requireSignal } from './requireSignal.js';
import { SignalInputError } from './SignalInputError.js';
import type { StepGrid } from './stepGrid.js';

export interface WindowOptions extends Omit<AlignOptions, 'name'> {
  scope: SignalScope;
  /** Ordered signal list; the row order of the window (and of a model's input tensor). */
  signals: readonly string[];
  /** Signals whose absence makes the window unknown. Default: all of `signals`. */
  required?: readonly string[];
  /** Largest tolerated share of missing values over the required signals, in [0, 1]. */
  maxMissingFraction?: number;
  /** Longest tolerated run of missing points in any required signal, in steps. */
  maxGapSteps?: number;
}

export type WindowStatus = 'ok' | 'unknown';

/**
 * `[signals × time]` for one entity. `values[s][t]` is NaN exactly where `missing[s][t]` is
 * true. An `unknown` window carries the reasons; consumers must show it as unknown, never
 * score it as healthy.
 */
export interface SignalWindow {
  readonly entity: string;
  readonly scope: SignalScope;
  readonly signals: readonly string[];
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly timestamps: readonly number[];
  readonly values: number[][];
  readonly missing: boolean[][];
  readonly interpolated: boolean[][];
  readonly status: WindowStatus;
  readonly reasons: string[];
  /** Share of missing values over the required signals. */
  readonly missingFraction: number;
  /** Alignment statistics per signal; null when no series was supplied for it. */
  readonly stats: Readonly<Record<string, AlignStats | null>>;
}

export const DEFAULT_MAX_MISSING_FRACTION = 0.2;
export const DEFAULT_MAX_GAP_STEPS = 3;

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function checkSignalList(options: WindowOptions): { signals: string[]; required: Set<string> } {
  if (!Array.isArray(options.signals) || options.signals.length === 0) {
    throw new SignalInputError('signals', 'must be a non-empty list of canonical signal names');
  }
  const seen = new Set<string>();
  for (const name of options.signals) {
    requireSignal(options.scope, name, 'signals');
    if (seen.has(name)) {
      throw new SignalInputError('signals', `"${name}" is listed twice`);
    }
    seen.add(name);
  }
  const required = new Set(options.required ?? options.signals);
  for (const name of required) {
    requireSignal(options.scope, name, 'required');
    if (!seen.has(name)) {
      throw new SignalInputError('required', `"${name}" is required but not among the window's signals`);
    }
  }
  return { signals: [...options.signals], required };
}

function checkLimits(options: WindowOptions): { maxMissingFraction: number; maxGapSteps: number } {
  const maxMissingFraction = options.maxMissingFraction ?? DEFAULT_MAX_MISSING_FRACTION;
  if (typeof maxMissingFraction !== 'number' || !(maxMissingFraction >= 0 && maxMissingFraction <= 1)) {
    throw new SignalInputError('maxMissingFraction', `must be in [0, 1] (got ${String(maxMissingFraction)})`);
  }
  const maxGapSteps = options.maxGapSteps ?? DEFAULT_MAX_GAP_STEPS;
  if (!Number.isInteger(maxGapSteps) || maxGapSteps < 0) {
    throw new SignalInputError('maxGapSteps', `must be an integer >= 0 (got ${String(maxGapSteps)})`);
  }
  return { maxMissingFraction, maxGapSteps };
}

/**
 * Aligns each signal of one entity onto `grid` and decides whether the window is usable.
 * A signal with no series at all (`undefined`) is all-missing; an empty array is rejected by
 * alignSeries because it usually means a caller bug rather than absent telemetry.
 */
export function buildWindow(
  entity: string,
  series: Readonly<Record<string, readonly RawPoint[] | undefined>>,
  grid: StepGrid,
  options: WindowOptions
): SignalWindow {
  if (typeof entity !== 'string' || entity.length === 0) {
    throw new SignalInputError('entity', 'must be a non-empty string');
  }
  if (series === null || typeof series !== 'object') {
    throw new SignalInputError('series', 'must be an object mapping signal names to raw series');
  }
  const { signals, required } = checkSignalList(options);
  const { maxMissingFraction, maxGapSteps } = checkLimits(options);
  for (const name of Object.keys(series)) {
    requireSignal(options.scope, name, `series.${name}`);
  }

  const values: number[][] = [];
  const missing: boolean[][] = [];
  const interpolated: boolean[][] = [];
  const stats: Record<string, AlignStats | null> = {};
  const reasons: string[] = [];
  let requiredCells = 0;
  let requiredMissing = 0;

  for (const name of signals) {
    const raw = series[name];
    const isRequired = required.has(name);
    if (raw === undefined) {
      values.push(new Array<number>(grid.length).fill(Number.NaN));
      missing.push(new Array<boolean>(grid.length).fill(true));
      interpolated.push(new Array<boolean>(grid.length).fill(false));
      stats[name] = null;
      if (isRequired) {
        requiredCells += grid.length;
        requiredMissing += grid.length;
        reasons.push(`${name}: no data`);
      }
      continue;
    }
    const aligned = alignSeries(raw, grid, {
      maxInterpolationSteps: options.maxInterpolationSteps,
      tolerance: options.tolerance,
      name: `${entity}.${name}`,
    });
    values.push(aligned.values);
    missing.push(aligned.missing);
    interpolated.push(aligned.interpolated);
    stats[name] = aligned.stats;
    if (!isRequired) {
      continue;
    }
    requiredCells += grid.length;
    requiredMissing += aligned.stats.missing;
    if (aligned.stats.missing === grid.length) {
      reasons.push(`${name}: no data`);
    } else if (aligned.stats.longestGapSteps > maxGapSteps) {
      const gap = aligned.stats.longestGapSteps;
      reasons.push(
        `${name}: gap of ${gap} steps (${gap * grid.step} s) from ${aligned.stats.longestGapStart} exceeds ${maxGapSteps} steps`
      );
    }
  }

  const missingFraction = requiredCells === 0 ? 0 : requiredMissing / requiredCells;
  if (missingFraction > maxMissingFraction) {
    reasons.unshift(
      `missing ${percent(missingFraction)} of required values exceeds limit ${percent(maxMissingFraction)}`
    );
  }

  return {
    entity,
    scope: options.scope,
    signals,
    start: grid.start,
    end: grid.end,
    step: grid.step,
    timestamps: grid.timestamps,
    values,
    missing,
    interpolated,
    status: reasons.length === 0 ? 'ok' : 'unknown',
    reasons,
    missingFraction,
    stats,
  };
}
