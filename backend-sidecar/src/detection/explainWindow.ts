import { calibratedScore } from '../detectors/autoencoder/calibratedScore.js';
import { chooseBaselines, type BaselinePreference } from '../detectors/autoencoder/chooseBaselines.js';
import { classifyWindow } from '../detectors/autoencoder/classifyWindow.js';
import type { LoadedModel } from '../detectors/autoencoder/loadModel.js';
import { reconstructionErrors } from '../detectors/autoencoder/reconstructionErrors.js';
import type { BaselineSource } from '../detectors/autoencoder/types.js';
import { normaliseWindow, type BaselineStats, type SignalWindow } from '../signals/index.js';

/** Everything needed to show, and to recompute, how the model scored one window. */
export interface WindowExplanation {
  readonly service: string;
  readonly modelId: string;
  readonly signals: readonly string[];
  /** Unix seconds, oldest first. */
  readonly timestamps: readonly number[];
  /** [signal][step] in base units; null where missing (then the window is not scored). */
  readonly raw: ReadonlyArray<ReadonlyArray<number | null>>;
  readonly baselines: Readonly<Record<string, { center: number; scale: number }>>;
  readonly baselineSource: BaselineSource;
  /** clip((raw − center) / scale, −clip, clip): the model's input. */
  readonly input: number[][];
  readonly reconstruction: number[][];
  /** |x − x̂| divided by the signal's residual scale (scaled reduction) or (x − x̂)² (squared reduction). */
  readonly cellError: number[][];
  /** Per-signal terms whose mean is `error`. */
  readonly signalErrors: Readonly<Record<string, number>>;
  readonly error: number;
  readonly score: number;
  /** Raw error above which the window is anomalous. */
  readonly threshold: number;
  readonly thresholdScore: number;
  readonly anomalous: boolean;
  readonly contributions: Readonly<Record<string, number>>;
  /** How the error is reduced (the manifest's `error` section), so a client can recompute it. */
  readonly errorSpec: {
    readonly reduction: string;
    readonly steps: number;
    readonly residualScale: Record<string, number> | null;
  };
  readonly clip: number | null;
}

/** Why a window cannot be scored (gaps, warm-up, no data): the API answers 422 with it. */
export class WindowNotScorable extends Error {
  readonly reasons: readonly string[];

  constructor(state: string, reasons: readonly string[]) {
    super(`the window cannot be scored (${state}): ${reasons.join('; ')}`);
    this.name = 'WindowNotScorable';
    this.reasons = reasons;
  }
}

/** The baselines the loop would use for the service: learned statistics and the preference. */
export interface WindowBaselines {
  readonly learned?: Readonly<Record<string, BaselineStats>>;
  readonly prefer?: BaselinePreference;
  /** Why the service has no statistics the loop would use (it waits instead of using pooled ones). */
  readonly pending?: string | null;
}

/**
 * Scores one window the way the detection loop does (same normalisation, inference, reduction
 * and calibration) and returns every intermediate step: raw values, the model's input, its
 * reconstruction, the error per cell and per signal, the score and the contributions.
 */
export async function explainWindow(
  model: LoadedModel,
  service: string,
  window: SignalWindow,
  use: WindowBaselines = {}
): Promise<WindowExplanation> {
  const { manifest, session } = model;
  const verdict = classifyWindow(window, window.end, null);
  if (verdict.state !== 'ok') {
    throw new WindowNotScorable(verdict.state, verdict.reasons);
  }
  const chosen = chooseBaselines(manifest, service, use.learned, use.prefer);
  if (chosen.source === 'pooled' && use.pending !== undefined && use.pending !== null) {
    throw new WindowNotScorable('warmup', [use.pending]);
  }
  const normalised = normaliseWindow(window, chosen.set, { clip: manifest.clip });
  const signals = manifest.signals.length;
  const steps = manifest.windowLength;
  const input = new Float32Array(signals * steps);
  normalised.z.forEach((row, s) => row.forEach((v, t) => (input[s * steps + t] = v)));
  const output = await session.run(manifest.inputName, input, [1, signals, steps], manifest.outputName);
  const { errors, signalErrors } = reconstructionErrors(input, output.data, 1, signals, steps, manifest.error);
  const error = errors[0] as number;
  const rows = (data: Float32Array): number[][] =>
    Array.from({ length: signals }, (_, s) => Array.from(data.subarray(s * steps, (s + 1) * steps)));
  const scaled = manifest.error.reduction === 'mean_absolute_scaled_residual';
  const cellError = Array.from({ length: signals }, (_, s) =>
    Array.from({ length: steps }, (_, t) => {
      const d = (input[s * steps + t] as number) - (output.data[s * steps + t] as number);
      return scaled ? Math.abs(d) / ((manifest.error.residualScale as Float64Array)[s] as number) : d * d;
    })
  );
  let total = 0;
  for (let s = 0; s < signals; s++) {
    total += signalErrors[s] as number;
  }
  const terms: Record<string, number> = {};
  const shares: Record<string, number> = {};
  const baselines: Record<string, { center: number; scale: number }> = {};
  manifest.signals.forEach((name, s) => {
    terms[name] = signalErrors[s] as number;
    shares[name] = total > 0 ? (signalErrors[s] as number) / total : 1 / signals;
    const b = normalised.baselines[name];
    if (b !== undefined) {
      baselines[name] = { center: b.center, scale: b.scale };
    }
  });
  const residualScale = manifest.error.residualScale;
  return {
    service,
    modelId: manifest.modelId,
    signals: manifest.signals,
    timestamps: window.timestamps,
    raw: window.values.map((row) => row.map((v) => (Number.isFinite(v) ? v : null))),
    baselines,
    baselineSource: chosen.source,
    input: rows(input),
    reconstruction: rows(output.data),
    cellError,
    signalErrors: terms,
    error,
    score: calibratedScore(error, manifest.calibration),
    threshold: manifest.calibration.threshold,
    thresholdScore: manifest.calibration.thresholdScore,
    anomalous: error > manifest.calibration.threshold,
    contributions: shares,
    errorSpec: {
      reduction: manifest.error.reduction,
      steps: manifest.error.steps,
      residualScale:
        residualScale === null
          ? null
          : Object.fromEntries(manifest.signals.map((name, s) => [name, residualScale[s] as number])),
    },
    clip: manifest.clip,
  };
}
