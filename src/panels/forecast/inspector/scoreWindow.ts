import { calibratedScore } from './calibratedScore';
import { normaliseWindow } from './normaliseWindow';
import { reconstructionErrors } from './reconstructionErrors';
import { selectBaselines } from './selectBaselines';
import type { ModelRun, ModelSpec, WindowExplanation, WindowScore } from './types';

/**
 * Scores one window in the browser exactly as the sidecar's detector does: the manifest's
 * baselines (or the sidecar's learned ones) and clip, the model run on a float32
 * `[1, signals, steps]` tensor, the manifest's error reduction, then its calibration. Throws a
 * message a user can act on when the window does not fit the model or has missing values (the
 * sidecar scores complete windows only).
 */
export async function scoreWindow(spec: ModelSpec, window: WindowExplanation, run: ModelRun): Promise<WindowScore> {
  if (window.signals.join('\u0000') !== spec.signals.join('\u0000')) {
    throw new Error(
      `the window's signals (${window.signals.join(', ')}) are not the model's (${spec.signals.join(', ')}), in its order`
    );
  }
  const steps = spec.windowLength;
  const raw = window.raw.map((row, s) => {
    if (!Array.isArray(row) || row.length !== steps) {
      throw new Error(
        `${spec.signals[s]}: ${Array.isArray(row) ? row.length : 0} values for a window of ${steps} steps`
      );
    }
    const missing = row.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (missing >= 0) {
      throw new Error(
        `${spec.signals[s]} has no value at step ${missing + 1} of ${steps}: the model scores complete windows only; pick another time`
      );
    }
    return row as number[];
  });
  const baselines = selectBaselines(spec, window);
  const z = normaliseWindow(raw, baselines.stats, spec.clip);
  const signals = spec.signals.length;
  const input = new Float32Array(signals * steps);
  z.forEach((row, s) => row.forEach((v, t) => (input[s * steps + t] = v)));
  const output = await run(input, [1, signals, steps]);
  if (output.length !== input.length) {
    throw new Error(`the model returned ${output.length} values for ${input.length} inputs`);
  }
  const { errors, signalErrors } = reconstructionErrors(input, output, 1, signals, steps, spec.error);
  const error = errors[0]!;
  let total = 0;
  for (let s = 0; s < signals; s++) {
    total += signalErrors[s]!;
  }
  const terms: Record<string, number> = {};
  const contributions: Record<string, number> = {};
  spec.signals.forEach((name, s) => {
    terms[name] = signalErrors[s]!;
    contributions[name] = total > 0 ? signalErrors[s]! / total : 1 / signals;
  });
  const scaled = spec.error.reduction === 'mean_absolute_scaled_residual';
  const rows = (data: Float32Array) =>
    spec.signals.map((_, s) => Array.from(data.subarray(s * steps, (s + 1) * steps)));
  const inputRows = rows(input);
  const reconstruction = rows(output);
  const cellError = inputRows.map((row, s) =>
    row.map((x, t) => {
      const d = x - reconstruction[s]![t]!;
      return scaled ? Math.abs(d) / spec.error.residualScale![s]! : d * d;
    })
  );
  return {
    input: inputRows,
    reconstruction,
    cellError,
    scoredFrom: steps - spec.error.steps,
    error,
    signalErrors: terms,
    contributions,
    score: calibratedScore(error, spec.calibration),
    threshold: spec.calibration.threshold,
    anomalous: error > spec.calibration.threshold,
    baselineSource: baselines.source,
  };
}
