/** Root-cause ranking over the call graph: calibration of raw signals and the ranking itself. */
export { rankRootCauses } from './rankRootCauses.js';
export { calibrateDeviation } from './calibrateDeviation.js';
export type { CalibratedDeviation, CalibrationOptions, TimedValues } from './calibrateDeviation.js';
export { resolveRankOptions, DEFAULT_RANK_OPTIONS } from './resolveRankOptions.js';
export { roleOfSignal } from './roleOfSignal.js';
export { summariseSignal, badSide } from './summariseSignal.js';
export type { SignalSummary, WindowIndex } from './summariseSignal.js';
export { RootCauseInputError } from './RootCauseInputError.js';
export type * from './types.js';
