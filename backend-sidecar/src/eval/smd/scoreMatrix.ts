import type { AutoencoderDetector, DetectorState } from '../../detectors/autoencoder/index.js';
import type { SignalWindow } from '../../signals/index.js';
import type { NumberMatrix } from './readNumberMatrix.js';

export interface MatrixScores {
  /** Raw error of the window ending at each row; -Infinity where the detector did not score. */
  readonly errors: Float64Array;
  /** 1 where the detector flagged the row (error above the manifest's threshold). */
  readonly flagged: Uint8Array;
  readonly states: Readonly<Record<DetectorState, number>>;
}

export interface ScoreMatrixOptions {
  entity: string;
  signals: readonly string[];
  windowLength: number;
  stepSeconds: number;
  /** Unix seconds of row 0 (the files carry no timestamps). */
  start: number;
  /** Windows handed to the detector per call; bounds memory, not inference batches. */
  chunk?: number;
}

/**
 * The window ending at `end`, as the sidecar would have built it at that step: rows before the
 * first one are missing, so the first windows are in warm-up exactly as for a new service.
 */
function windowAt(matrix: NumberMatrix, end: number, options: ScoreMatrixOptions): SignalWindow {
  const { windowLength: length, stepSeconds: step, signals } = options;
  const first = end - length + 1;
  const timestamps = Array.from({ length }, (_, t) => options.start + (first + t) * step);
  const values: number[][] = [];
  const missing: boolean[][] = [];
  let absent = 0;
  for (let s = 0; s < signals.length; s++) {
    const row = new Array<number>(length);
    const gaps = new Array<boolean>(length);
    for (let t = 0; t < length; t++) {
      const r = first + t;
      const v = r >= 0 ? (matrix.values[r * matrix.columns + s] as number) : Number.NaN;
      row[t] = v;
      gaps[t] = !Number.isFinite(v);
      if (gaps[t]) {
        absent++;
      }
    }
    values.push(row);
    missing.push(gaps);
  }
  return {
    entity: options.entity,
    scope: 'service',
    signals,
    start: timestamps[0] as number,
    end: timestamps[length - 1] as number,
    step,
    timestamps,
    values,
    missing,
    interpolated: missing.map((row) => row.map(() => false)),
    status: absent === 0 ? 'ok' : 'unknown',
    reasons: absent === 0 ? [] : [`${absent} values missing`],
    missingFraction: absent / (length * signals.length),
    stats: {},
  };
}

/**
 * Replays a gridded multivariate series through the detector, one window per row, and keeps
 * the raw error and flag of each. The data is already on a regular one-minute grid, so the
 * alignment step of the live path has nothing to do; everything after it (window states,
 * baseline normalisation, inference, error, calibration) is the sidecar's own code.
 */
export async function scoreMatrix(
  detector: AutoencoderDetector,
  matrix: NumberMatrix,
  options: ScoreMatrixOptions
): Promise<MatrixScores> {
  if (matrix.columns !== options.signals.length) {
    throw new Error(`${matrix.columns} columns for a model of ${options.signals.length} signals`);
  }
  const chunk = options.chunk ?? 2048;
  const errors = new Float64Array(matrix.rows).fill(Number.NEGATIVE_INFINITY);
  const flagged = new Uint8Array(matrix.rows);
  const states: Record<DetectorState, number> = { ok: 0, warmup: 0, stale: 0, unknown: 0, fallback: 0 };
  for (let from = 0; from < matrix.rows; from += chunk) {
    const ends = Array.from({ length: Math.min(chunk, matrix.rows - from) }, (_, i) => from + i);
    const results = await detector.detect(
      ends.map((end) => ({ entity: options.entity, window: windowAt(matrix, end, options) }))
    );
    results.forEach((r, i) => {
      const row = ends[i] as number;
      states[r.state]++;
      if (r.state === 'ok') {
        errors[row] = r.error as number;
        flagged[row] = r.anomalous ? 1 : 0;
      }
    });
  }
  return { errors, flagged, states };
}
