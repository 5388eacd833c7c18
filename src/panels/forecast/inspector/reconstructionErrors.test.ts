import { reconstructionErrors } from './reconstructionErrors';

describe('reconstructionErrors', () => {
  const input = Float32Array.from([1, 2, 3, 4, /* signal 2 */ 0, 0, 0, 0]);
  const output = Float32Array.from([1, 2, 2, 2, /* signal 2 */ 0, 0, 0, 1]);

  it('takes the scaled mean absolute residual over the newest steps', () => {
    const { errors, signalErrors } = reconstructionErrors(input, output, 1, 2, 4, {
      reduction: 'mean_absolute_scaled_residual',
      steps: 2,
      residualScale: Float64Array.from([0.5, 2]),
    });
    // signal 1: (|3-2| + |4-2|) / 2 / 0.5 = 3; signal 2: (0 + 1) / 2 / 2 = 0.25
    expect(Array.from(signalErrors)).toEqual([3, 0.25]);
    expect(errors[0]).toBeCloseTo(1.625);
  });

  it('takes the mean squared residual over the whole window', () => {
    const { errors, signalErrors } = reconstructionErrors(input, output, 1, 2, 4, {
      reduction: 'mean_squared_error_over_signals_and_steps',
      steps: 4,
      residualScale: null,
    });
    expect(Array.from(signalErrors)).toEqual([5 / 4, 1 / 4]);
    expect(errors[0]).toBeCloseTo(0.75);
  });

  it('refuses tensors smaller than the batch', () => {
    expect(() =>
      reconstructionErrors(input, output, 2, 2, 4, {
        reduction: 'mean_squared_error_over_signals_and_steps',
        steps: 4,
        residualScale: null,
      })
    ).toThrow(RangeError);
  });
});
