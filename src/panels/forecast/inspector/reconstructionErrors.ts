import type { ModelSpec } from './types';

export interface ReconstructionErrors {
  errors: Float64Array;
  /** `[window * signals + signal]`: the per-signal terms whose mean is the window's error. */
  signalErrors: Float64Array;
}

/**
 * Raw error of each window of a `[count, signals, steps]` batch per the manifest's `error`
 * section, computed exactly as the sidecar does (same loop order, float64 sums over the float32
 * tensors): the scaled residual takes, per signal, the mean |x - x̂| over the newest `steps` steps
 * divided by the signal's typical residual; the squared error the mean (x - x̂)² over the window.
 */
export function reconstructionErrors(
  input: Float32Array,
  reconstruction: Float32Array,
  count: number,
  signals: number,
  steps: number,
  spec: ModelSpec['error']
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
          sum += Math.abs(input[t]! - reconstruction[t]!);
        }
        sum /= span * spec.residualScale![s]!;
      } else {
        for (let t = row; t < row + steps; t++) {
          const d = input[t]! - reconstruction[t]!;
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
