import { RootCauseInputError } from './RootCauseInputError.js';
import type { RankOptions } from './types.js';

/**
 * Defaults for ranking live, when the incident engine has just opened an incident: look back
 * over the quarter hour that led to it and nothing after. Offline evaluation, where the fault
 * time is known, passes a window around it instead.
 */
export const DEFAULT_RANK_OPTIONS: Readonly<RankOptions> = Object.freeze({
  lookbackSeconds: 900,
  lookaheadSeconds: 0,
  // Two points: at the sidecar's 15-s cadence that is 30 s, at 1-minute data two minutes; a
  // single point is too often a scrape artefact.
  minSteps: 2,
  // A quarter: strong pre-existing anomalies still show up, but a fresh one of similar size wins.
  preexistingWeight: 0.25,
  // Three times the edge of normal is where a deviation stops being arguable.
  clearDeviation: 3,
  maxEvidenceItems: 5,
});

function positive(name: keyof RankOptions, value: number, allowZero: boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new RootCauseInputError(
      `options.${name}`,
      `must be a finite number ${allowZero ? '>= 0' : '> 0'} (got ${String(value)})`
    );
  }
}

/** Fills defaults and rejects values that would make the ranking meaningless. */
export function resolveRankOptions(options: Partial<RankOptions> = {}): RankOptions {
  const resolved: RankOptions = { ...DEFAULT_RANK_OPTIONS, ...options };
  positive('lookbackSeconds', resolved.lookbackSeconds, true);
  positive('lookaheadSeconds', resolved.lookaheadSeconds, true);
  positive('preexistingWeight', resolved.preexistingWeight, true);
  if (!Number.isInteger(resolved.minSteps) || resolved.minSteps < 1) {
    throw new RootCauseInputError('options.minSteps', `must be an integer >= 1 (got ${String(resolved.minSteps)})`);
  }
  if (!(resolved.clearDeviation > 1) || !Number.isFinite(resolved.clearDeviation)) {
    throw new RootCauseInputError(
      'options.clearDeviation',
      `must be a finite number > 1 (got ${String(resolved.clearDeviation)})`
    );
  }
  if (resolved.preexistingWeight > 1) {
    throw new RootCauseInputError('options.preexistingWeight', `must be in [0, 1] (got ${resolved.preexistingWeight})`);
  }
  if (!Number.isInteger(resolved.maxEvidenceItems) || resolved.maxEvidenceItems < 1) {
    throw new RootCauseInputError(
      'options.maxEvidenceItems',
      `must be an integer >= 1 (got ${String(resolved.maxEvidenceItems)})`
    );
  }
  return resolved;
}
