import type { BaselineSet, SignalWindow } from '../../signals/index.js';

/** How a window's reconstruction residual becomes one raw error (manifest `error.reduction`). */
export type ErrorReduction = 'mean_squared_error_over_signals_and_steps' | 'mean_absolute_scaled_residual';

/**
 * The parts of a model manifest (`models/manifest.schema.json`) the detector runs on, after
 * validation. The full JSON stays available as `raw` for display and provenance.
 */
export interface ModelManifest {
  readonly modelId: string;
  readonly kind: string;
  /** null for the shared model; the entity name for a fine-tuned per-entity model. */
  readonly entity: string | null;
  /** What a fine-tuned model started from; null for a shared model. */
  readonly baseModel: { readonly modelId: string; readonly onnxSha256: string } | null;
  readonly onnx: { readonly file: string; readonly sha256: string; readonly sizeBytes: number };
  readonly inputName: string;
  readonly outputName: string;
  /** Ordered: signal i is channel i of the input tensor. */
  readonly signals: readonly string[];
  readonly windowLength: number;
  readonly stepSeconds: number;
  readonly maxGapSteps: number;
  readonly clip: number | null;
  readonly baselines: BaselineSet;
  readonly error: ErrorSpec;
  readonly calibration: CalibrationSpec;
  /** `training.data_source.type`: csv, prometheus or synthetic. */
  readonly dataSource: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

export interface ErrorSpec {
  readonly reduction: ErrorReduction;
  /** Newest steps the error is taken over (the whole window for the squared-error reduction). */
  readonly steps: number;
  /** Per signal, in manifest order; only for the scaled reduction (null otherwise). */
  readonly residualScale: Float64Array | null;
}

export interface CalibrationSpec {
  readonly levels: Float64Array;
  readonly quantiles: Float64Array;
  readonly threshold: number;
  readonly thresholdScore: number;
}

/** One entity's window to score in a detection cycle. */
export interface DetectorInput {
  readonly entity: string;
  readonly window: SignalWindow;
}

/**
 * - `ok`: scored by the model.
 * - `warmup`: the entity has less history than one window.
 * - `stale`: its newest sample is too old for the score to describe the present.
 * - `unknown`: the window is unusable (gaps, missing signals); never shown as healthy.
 * - `fallback`: no usable model for it; the caller scores it with the univariate bands.
 */
export type DetectorState = 'ok' | 'warmup' | 'stale' | 'unknown' | 'fallback';

/** Whose statistics normalised a window: the model's entry for the entity, the sidecar's own, or the model's pooled default. */
export type BaselineSource = 'model' | 'learned' | 'pooled';

export interface DetectionResult {
  readonly entity: string;
  readonly state: DetectorState;
  /** Why the state is not `ok`, in words an operator can act on; empty when ok. */
  readonly reasons: readonly string[];
  /** Unix seconds of the newest step of the window. */
  readonly timestamp: number;
  /** Model that scored (or would have scored) the entity; null when none applies. */
  readonly modelId: string | null;
  /** Whether that model is the entity's own fine-tuned model rather than the shared one. */
  readonly perEntityModel: boolean;
  /** Which baseline normalised the window; null unless `ok`. `pooled` scores deserve less trust. */
  readonly baselineSource: BaselineSource | null;
  /** Raw reconstruction error per the manifest's reduction; null unless `ok`. */
  readonly error: number | null;
  /** Per-signal error terms whose mean is `error`. */
  readonly signalErrors: Readonly<Record<string, number>> | null;
  /** Share of the error per signal; sums to 1. */
  readonly contributions: Readonly<Record<string, number>> | null;
  /** Calibrated score in [0, 1]. */
  readonly score: number | null;
  /** Raw error above which the window is anomalous (from the manifest). */
  readonly threshold: number | null;
  readonly anomalous: boolean | null;
}
