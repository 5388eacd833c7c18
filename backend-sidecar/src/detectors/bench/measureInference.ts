import type { LoadedModel } from '../autoencoder/index.js';

export interface InferenceRate {
  readonly batch: number;
  readonly runs: number;
  readonly windowsPerSecond: number;
  /** Median milliseconds per inference call. */
  readonly msPerCall: number;
}

/**
 * Windows per second of one session at a given batch size, on a fixed pseudo-random batch in the
 * normalised range. Two untimed calls first (allocation of the session's buffers), then calls
 * until about `budgetMs` has passed, at least three.
 */
export async function measureInference(
  model: LoadedModel,
  batch: number,
  now: () => number,
  budgetMs = 1500
): Promise<InferenceRate> {
  const { signals, windowLength, inputName, outputName } = model.manifest;
  const input = new Float32Array(batch * signals.length * windowLength);
  let state = 1;
  for (let i = 0; i < input.length; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    input[i] = (state / 2 ** 32 - 0.5) * 4;
  }
  const dims = [batch, signals.length, windowLength];
  for (let i = 0; i < 2; i++) {
    await model.session.run(inputName, input, dims, outputName);
  }
  const times: number[] = [];
  const began = now();
  while (times.length < 3 || now() - began < budgetMs) {
    const t0 = now();
    await model.session.run(inputName, input, dims, outputName);
    times.push(now() - t0);
  }
  const total = times.reduce((a, b) => a + b, 0);
  times.sort((a, b) => a - b);
  return {
    batch,
    runs: times.length,
    windowsPerSecond: (batch * times.length * 1000) / total,
    msPerCall: times[Math.floor(times.length / 2)] as number,
  };
}
