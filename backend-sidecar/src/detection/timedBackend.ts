import type { InferenceBackend } from '../detectors/autoencoder/InferenceBackend.js';

/** Wraps a backend so every inference call reports its duration in seconds. */
export function timedBackend(
  backend: InferenceBackend,
  onRun: (seconds: number) => void,
  now: () => number = () => performance.now()
): InferenceBackend {
  return {
    name: backend.name,
    async createSession(model) {
      const session = await backend.createSession(model);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(inputName, input, dims, outputName) {
          const started = now();
          try {
            return await session.run(inputName, input, dims, outputName);
          } finally {
            onRun((now() - started) / 1000);
          }
        },
        release: () => session.release(),
      };
    },
  };
}
