/** Location and scale of one signal, as the manifest and the sidecar's baselines give them. */
export interface Baseline {
  center: number;
  scale: number;
}

export type ErrorReduction = 'mean_squared_error_over_signals_and_steps' | 'mean_absolute_scaled_residual';

/** What the browser needs of a model manifest (backend-sidecar/models/manifest.schema.json). */
export interface ModelSpec {
  modelId: string;
  inputName: string;
  outputName: string;
  /** Ordered: signal i is channel i of the input tensor. */
  signals: string[];
  windowLength: number;
  stepSeconds: number;
  clip: number | null;
  baselines: { default: Record<string, Baseline>; perEntity: Record<string, Record<string, Baseline>> };
  error: { reduction: ErrorReduction; steps: number; residualScale: Float64Array | null };
  calibration: { levels: Float64Array; quantiles: Float64Array; threshold: number; thresholdScore: number };
  onnxSha256: string | null;
}

/** The sidecar's `/api/v1/window` answer (openapi.yaml, WindowExplanation), as far as the inspector reads it. */
export interface WindowExplanation {
  service: string;
  modelId: string;
  signals: string[];
  /** Unix seconds, newest last. */
  timestamps: number[];
  /** `[signal][step]` in base units; null where missing. */
  raw: Array<Array<number | null>>;
  baselines?: Record<string, Baseline>;
  baselineSource?: string;
  error?: number;
  score?: number;
  threshold?: number;
  anomalous?: boolean;
  contributions?: Record<string, number>;
}

/** Runs the model on one batch; returns the reconstruction, row-major like the input. */
export type ModelRun = (input: Float32Array, dims: readonly number[]) => Promise<Float32Array>;

export interface WindowScore {
  /** Normalised input as the model saw it, `[signal][step]`. */
  input: number[][];
  reconstruction: number[][];
  /** Per-cell error term (scaled absolute residual, or squared residual). */
  cellError: number[][];
  /** First step that counts towards the error (the newest `error.steps` steps count). */
  scoredFrom: number;
  error: number;
  signalErrors: Record<string, number>;
  contributions: Record<string, number>;
  score: number;
  threshold: number;
  anomalous: boolean;
  baselineSource: 'model' | 'learned' | 'pooled';
}
