/** Shared types of the seasonal forecasters. */

/** The model families a forecaster can run. `naive` is the seasonal-naive model with period 1. */
export type ModelKind = 'naive' | 'seasonal-naive' | 'ets' | 'mstl' | 'prophet';

export const MODEL_KINDS: readonly ModelKind[] = Object.freeze(['naive', 'seasonal-naive', 'ets', 'mstl', 'prophet']);

/**
 * A forecast for the `point.length` grid steps after the last fitted point: point forecast and
 * the central prediction interval at `level` (e.g. 0.95).
 */
export interface ForecastPath {
  readonly point: number[];
  readonly lower: number[];
  readonly upper: number[];
  readonly level: number;
}

/**
 * `warmup`: not enough history (or no fit yet), robust bands decide. `ok`: the model's interval
 * decides. `fallback`: the model exists but is not trusted right now (poor recent coverage, a
 * failed fit, or a forecast that no longer reaches the current time), robust bands decide.
 */
export type ForecasterState = 'warmup' | 'ok' | 'fallback';

/** Milliseconds from an arbitrary origin; injected so tests and replays control time. */
export interface Clock {
  now(): number;
}
