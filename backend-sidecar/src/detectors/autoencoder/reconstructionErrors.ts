import type { ErrorSpec } from './types.js';

export interface ReconstructionErrors {
  /** One raw error per window. */
  readonly errors: Float64Array;
  /** `[window * signals + signal]`: the per-signal terms whose mean is the window's error. */
  readonly signalErrors: Float64Array;
}

/**
 * Raw error of each window of a `[count, signals, steps]` batch, as the manifest's `error`
 * section defines it. Sums run in float64 so the result matches the training pipeline's
 * (which computes in float64 from the same float32 tensors) far below the golden tolerance.
 *
 * - squared error: per signal, the mean over all steps of (x - x̂)².
 * - scaled residual: per signal, the mean of |x - x̂| over the newest `steps` steps divided by
 *   the signal's typical residual; a signal the model always reconstructs loosely then does not
 *   drown a clean signal that breaks, and the newest steps decide so the score follows the
 *   present rather than the half-hour-old start of the window.
 */
export function reconstructionErrors(
  input: Float32Array,
  reconstruction: Float32Array,
  count: number,
  signals: number,
  steps: number,
  spec: ErrorSpec
): ReconstructionErrors {
  const size = count * signals * steps;
  if (input.length < size || reconstruction.length < size) {
    throw new RangeError(`tensors hold ${input.length} / ${reconstruction.length} values, expected ${size}`);
  }
  const errors = new Float64Array(count);
  const signalErrors = new Float64Array(count * signals);
  const scaled = spec.reduction === 'mean_absolute_scaled_residual';
  const from = scaled ? steps - spec.steps : 0;
  const span = steps - from;
  for (let n = 0; n < count; n++) {
    let total = 0;
    for (let s = 0; s < signals; s++) {
      const row = (n * signals + s) * steps;
      let sum = 0;
      if (scaled) {
        for (let t = row + from; t < row + steps; t++) {
          sum += Math.abs((input[t] as number) - (reconstruction[t] as number));
        }
        sum /= span * ((spec.residualScale as Float64Array)[s] as number);
      } else {
        for (let t = row; t < row + steps; t++) {
          const d = (input[t] as number) - (reconstruction[t] as number);
          sum += d * d;
        }
        sum /= span;
      }
      signalErrors[n * signals + s] = sum;
      total += sum;
    }
    errors[n] = total / signals;
  }
  return { errors, signalErrors };
}
