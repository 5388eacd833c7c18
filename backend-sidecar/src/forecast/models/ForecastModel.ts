import type { Augurs } from '../loadAugurs.js';
import type { ForecastPath, ModelKind } from '../types.js';

/** What a model needs to know about the series besides its values. */
export interface FitContext {
  readonly augurs: Augurs;
  /** Unix seconds of values[0] (Prophet places its calendar seasonalities with it). */
  readonly start: number;
  readonly stepSeconds: number;
  /** Seasonal periods in steps, strongest first (may be empty). */
  readonly seasons: readonly number[];
  /** Central prediction interval level, e.g. 0.95. */
  readonly level: number;
}

/**
 * One model family. Models are stateless strategies: `forecast` fits on gap-free values and
 * predicts the next `horizon` steps in one call, so the WebAssembly objects augurs allocates
 * are freed before returning and a forecaster only keeps plain numbers.
 */
export interface ForecastModel {
  readonly kind: ModelKind;
  /** Why this model cannot be fitted on `length` values in this context, or undefined when it can. */
  unsuitable(length: number, context: FitContext): string | undefined;
  forecast(values: readonly number[], context: FitContext, horizon: number): ForecastPath;
}
