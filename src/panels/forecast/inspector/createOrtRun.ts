import * as ort from 'onnxruntime-web/wasm';

import type { ModelRun, ModelSpec } from './types';

export interface OrtRunner {
  run: ModelRun;
  release(): Promise<void>;
}

/**
 * An onnxruntime-web (WebAssembly) session for a model's bytes. The engine's .wasm and its
 * loader are read from `assetsUrl` (the plugin's own folder, where the build copies them); they
 * are never fetched from a CDN. One thread: more would need a cross-origin isolated page.
 */
export async function createOrtRun(
  model: Uint8Array,
  spec: Pick<ModelSpec, 'inputName' | 'outputName'>,
  assetsUrl: string
): Promise<OrtRunner> {
  ort.env.wasm.wasmPaths = assetsUrl.endsWith('/') ? assetsUrl : `${assetsUrl}/`;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
  });
  if (!session.inputNames.includes(spec.inputName) || !session.outputNames.includes(spec.outputName)) {
    await session.release();
    throw new Error(
      `the model's tensors are ${session.inputNames.join(', ')} → ${session.outputNames.join(', ')}, the manifest names ${spec.inputName} → ${spec.outputName}`
    );
  }
  return {
    async run(input, dims) {
      const result = await session.run({ [spec.inputName]: new ort.Tensor('float32', input, [...dims]) }, [
        spec.outputName,
      ]);
      const tensor = result[spec.outputName];
      if (!tensor || !(tensor.data instanceof Float32Array)) {
        throw new Error(`output "${spec.outputName}" missing or not float32`);
      }
      return tensor.data;
    },
    release: () => session.release(),
  };
}
