import { ForecastInputError } from './ForecastInputError.js';
import type { DetectSeasonsOptions } from './detectSeasons.js';
import { MODEL_KINDS, type ModelKind } from './types.js';

export interface ForecasterConfig {
  /** Central prediction interval level; an actual outside the interval is an anomaly. */
  level: number;
  /** Model families the selection compares, simplest first (ties go to the simpler one). */
  candidates: ModelKind[];
  /** Length of the forecast path computed at each fit. */
  horizonSeconds: number;
  /** Lead the model selection optimises: the typical age of a forecast between refits. */
  selectionLeadSeconds: number;
  /** Validation origins per selection ... */
  validationOrigins: number;
  /** ... spread over this much recent history (at most a quarter of it). */
  validationSpanSeconds: number;
  /** Model selection runs at the first fit and then every this many fits; other fits refit the chosen family. */
  reselectEveryFits: number;
  /** History kept and fitted: at most this much time ... */
  maxHistorySeconds: number;
  /** ... and at most this many steps (fit cost grows with length). */
  maxHistoryPoints: number;
  /** Below this many usable steps the forecaster stays in warm-up. */
  minHistoryPoints: number;
  /** Gaps up to this long are bridged for fitting (at least two steps); longer ones end the usable history. */
  maxFillSeconds: number;
  seasons: DetectSeasonsOptions;
  /** Forecasts are kept within the history's range widened by this multiple of it (see limitExtrapolation). */
  extrapolationLimit: number;
  /** Recent evaluations the rolling MAE, MAPE, MASE and coverage are computed over. */
  metricsWindow: number;
  /** Coverage is only judged once this many forecasts were compared with actuals. */
  minEvaluations: number;
  /** Recent coverage below this switches to the robust band ... */
  minCoverage: number;
  /** ... and it must recover to this before the model's interval is used again. */
  recoverCoverage: number;
  /** Robust band used in warm-up and fallback: median ± k · MAD-sigma of the last `window` values. */
  band: { window: number; k: number; minPoints: number };
}

export type ForecasterConfigInput = Partial<Omit<ForecasterConfig, 'seasons' | 'band'>> & {
  seasons?: Partial<DetectSeasonsOptions>;
  band?: Partial<ForecasterConfig['band']>;
};

const DAY = 86_400;

const DEFAULTS: ForecasterConfig = {
  level: 0.95,
  candidates: ['naive', 'seasonal-naive', 'ets', 'mstl', 'prophet'],
  horizonSeconds: DAY,
  selectionLeadSeconds: 3_600,
  validationOrigins: 6,
  validationSpanSeconds: DAY,
  reselectEveryFits: 24,
  maxHistorySeconds: 21 * DAY,
  maxHistoryPoints: 10_080,
  minHistoryPoints: 30,
  maxFillSeconds: 1_800,
  // 0.2 keeps the daily cycle of busy services (strength 0.3–0.9 on the benchmark metrics)
  // and rejects the 0.0–0.1 that noise and one-off level shifts produce.
  seasons: { minStrength: 0.2, maxSeasons: 2, snapTolerance: 0.1 },
  extrapolationLimit: 0.5,
  metricsWindow: 288,
  minEvaluations: 30,
  minCoverage: 0.8,
  recoverCoverage: 0.85,
  // k = 3 MAD-sigmas: about 0.3 % of normal noise outside, a conventional robust outlier limit.
  band: { window: 60, k: 3, minPoints: 10 },
};

Object.freeze(DEFAULTS.candidates);
Object.freeze(DEFAULTS.seasons);
Object.freeze(DEFAULTS.band);
export const DEFAULT_FORECASTER_CONFIG: Readonly<ForecasterConfig> = Object.freeze(DEFAULTS);

function positive(name: string, v: number, integer = false): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new ForecastInputError(name, `must be a ${integer ? 'positive integer' : 'number > 0'} (got ${String(v)})`);
  }
}

/** Defaults filled in and every field checked, so a bad setting fails at start-up with its name. */
export function resolveForecasterConfig(input: ForecasterConfigInput = {}): ForecasterConfig {
  const d = DEFAULT_FORECASTER_CONFIG;
  const config: ForecasterConfig = {
    ...d,
    ...input,
    candidates: [...(input.candidates ?? d.candidates)],
    seasons: { ...d.seasons, ...input.seasons },
    band: { ...d.band, ...input.band },
  };
  if (!(config.level > 0 && config.level < 1)) {
    throw new ForecastInputError('level', `must be strictly between 0 and 1 (got ${String(config.level)})`);
  }
  if (config.candidates.length === 0 || config.candidates.some((k) => !MODEL_KINDS.includes(k))) {
    throw new ForecastInputError('candidates', `must name one or more of ${MODEL_KINDS.join(', ')}`);
  }
  positive('horizonSeconds', config.horizonSeconds);
  positive('selectionLeadSeconds', config.selectionLeadSeconds);
  positive('maxHistorySeconds', config.maxHistorySeconds);
  positive('maxFillSeconds', config.maxFillSeconds);
  positive('validationSpanSeconds', config.validationSpanSeconds);
  positive('extrapolationLimit', config.extrapolationLimit);
  for (const key of [
    'validationOrigins',
    'reselectEveryFits',
    'maxHistoryPoints',
    'minHistoryPoints',
    'metricsWindow',
    'minEvaluations',
  ] as const) {
    positive(key, config[key], true);
  }
  if (config.minHistoryPoints > config.maxHistoryPoints) {
    throw new ForecastInputError('minHistoryPoints', 'must not exceed maxHistoryPoints');
  }
  if (!(config.minCoverage >= 0 && config.minCoverage <= config.recoverCoverage && config.recoverCoverage <= 1)) {
    throw new ForecastInputError('minCoverage', 'need 0 <= minCoverage <= recoverCoverage <= 1');
  }
  positive('band.window', config.band.window, true);
  positive('band.k', config.band.k);
  positive('band.minPoints', config.band.minPoints, true);
  if (!(config.seasons.minStrength >= 0 && config.seasons.minStrength <= 1)) {
    throw new ForecastInputError('seasons.minStrength', 'must be in [0, 1]');
  }
  if (!Number.isInteger(config.seasons.maxSeasons) || config.seasons.maxSeasons < 0) {
    throw new ForecastInputError('seasons.maxSeasons', 'must be an integer >= 0');
  }
  return config;
}
