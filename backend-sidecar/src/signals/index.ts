/** Canonical signals, alignment onto a step grid, windows and robust baselines. */
export { CANONICAL_SIGNALS } from './canonicalSignals.js';
export type {
  BadDirection,
  EdgeSignalName,
  ServiceSignalName,
  SignalName,
  SignalScope,
  SignalSpec,
} from './canonicalSignals.js';
export { SignalInputError } from './SignalInputError.js';
export { requireSignal } from './requireSignal.js';
export { stepGrid } from './stepGrid.js';
export type { StepGrid } from './stepGrid.js';
export { alignSeries, DEFAULT_MAX_INTERPOLATION_STEPS } from './alignSeries.js';
export type { AlignedSeries, AlignOptions, AlignStats, RawPoint } from './alignSeries.js';
export { buildWindow, DEFAULT_MAX_GAP_STEPS, DEFAULT_MAX_MISSING_FRACTION } from './buildWindow.js';
export type { SignalWindow, WindowOptions, WindowStatus } from './buildWindow.js';
export { fitRobustStats, DEFAULT_ABSOLUTE_FLOOR, DEFAULT_RELATIVE_FLOOR } from './fitRobustStats.js';
export type { RobustStats, RobustStatsOptions, ScaleSource } from './fitRobustStats.js';
export { DEFAULT_BASELINE_KEY } from './BaselineSet.js';
export type { BaselineSet, BaselineStats } from './BaselineSet.js';
export { learnBaselines } from './learnBaselines.js';
export type { LearnBaselinesOptions, LearnedBaselines } from './learnBaselines.js';
export { lookupBaseline } from './lookupBaseline.js';
export type { ResolvedBaseline } from './lookupBaseline.js';
export { normaliseWindow } from './normaliseWindow.js';
export type { NormalisedWindow, NormaliseOptions } from './normaliseWindow.js';
export { parseBaselines } from './parseBaselines.js';
export { quantileSorted } from './quantileSorted.js';
export { meanObserved } from './meanObserved.js';
