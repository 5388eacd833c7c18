/** Seasonal forecasters on augurs (MSTL, ETS, Prophet, seasonal-naive) with budgeted refits. */
export { loadAugurs } from './loadAugurs.js';
export type { Augurs } from './loadAugurs.js';
export { ForecastInputError } from './ForecastInputError.js';
export { MODEL_KINDS } from './types.js';
export type { Clock, ForecastPath, ForecasterState, ModelKind } from './types.js';
export { DEFAULT_FORECASTER_CONFIG, resolveForecasterConfig } from './resolveForecasterConfig.js';
export type { ForecasterConfig, ForecasterConfigInput } from './resolveForecasterConfig.js';
export { defaultForecastTargets, DEFAULT_FORECAST_SIGNALS } from './defaultForecastTargets.js';
export type { ForecastTarget } from './defaultForecastTargets.js';
export { Forecaster } from './Forecaster.js';
export type {
  Expectation,
  ForecasterDeps,
  ForecasterSnapshot,
  Observation,
  RefitOutcome,
  StateReason,
} from './Forecaster.js';
export { RefitScheduler } from './RefitScheduler.js';
export type { CycleReport, Refittable, RefitSchedulerOptions } from './RefitScheduler.js';
export { RollingForecastMetrics } from './RollingForecastMetrics.js';
export type { ForecastEvaluation, ForecastMetrics } from './RollingForecastMetrics.js';
export { computeTrust } from './computeTrust.js';
export { fitTarget } from './fitTarget.js';
export { stepsIn } from './stepsIn.js';
export type { ModelChoice, TargetFit, TargetHistory } from './fitTarget.js';
export { selectModel } from './selectModel.js';
export type { CandidateScore, ModelSelection } from './selectModel.js';
export { detectSeasons } from './detectSeasons.js';
export { prepareHistory } from './prepareHistory.js';
export { robustBand } from './robustBand.js';
export { seasonalNaiveMae } from './seasonalNaiveMae.js';
export { masePeriod } from './masePeriod.js';
export { modelFor } from './models/modelFor.js';
export { measureFitTime } from './bench/measureFitTime.js';
export type { FitTimeResult } from './bench/measureFitTime.js';
