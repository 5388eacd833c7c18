import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import type { InferenceBackend, ModelSession } from './InferenceBackend.js';

/**
 * onnxruntime-web's WASM backend running inside Node: the engine the browser panels use, so the
 * sidecar's tests can show both give the same scores. The .wasm files are read from the
 * installed package; nothing is fetched from the network. Single-threaded, because threads
 * would need cross-origin isolation in the browser and workers here.
 */
export function createWebBackend(): InferenceBackend {
  return {
    name: 'onnxruntime-web (wasm)',
    async createSession(model: Uint8Array): Promise<ModelSession> {
      // Imported on first use so the sidecar does not load WASM unless asked to.
      const ort = await import('onnxruntime-web/wasm');
      const packageEntry = createRequire(import.meta.url).resolve('onnxruntime-web/wasm');
      ort.env.wasm.wasmPaths = `${dirname(packageEntry)}/`;
      ort.env.wasm.numThreads = 1;
      ort.env.wasm.proxy = false;
      ort.env.logLevel = 'error';
      const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'all' });
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
