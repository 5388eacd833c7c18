import * as ort from 'onnxruntime-node';

import type { InferenceBackend, ModelSession } from './InferenceBackend.js';

export interface NodeBackendOptions {
  /**
   * Threads per inference call. Default 1: the sidecar shares its host with Prometheus and
   * batching across services already amortises the per-call overhead.
   */
  intraOpNumThreads?: number;
}

/** onnxruntime-node (native CPU library shipped in the npm package). */
export function createNodeBackend(options: NodeBackendOptions = {}): InferenceBackend {
  const intraOpNumThreads = options.intraOpNumThreads ?? 1;
  return {
    name: 'onnxruntime-node',
    async createSession(model: Uint8Array): Promise<ModelSession> {
      const session = await ort.InferenceSession.create(model, {
        intraOpNumThreads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Warnings (e.g. about the CPU vendor) would be printed on every load and mean nothing here.
        logSeverityLevel: 3,
      });
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(inputName, input, dims, outputName) {
          const feeds = { [inputName]: new ort.Tensor('float32', input, dims) };
          const result = await session.run(feeds, [outputName]);
          const tensor = result[outputName];
          if (tensor === undefined || !(tensor.data instanceof Float32Array)) {
            throw new Error(`output "${outputName}" missing or not float32`);
          }
          return { data: tensor.data, dims: tensor.dims };
        },
        release: () => session.release(),
      };
    },
  };
}
