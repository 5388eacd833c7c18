/** Output of one inference call: the tensor's data (row-major) and its dimensions. */
export interface InferenceOutput {
  readonly data: Float32Array;
  readonly dims: readonly number[];
}

/** A loaded ONNX graph, independent of which onnxruntime package runs it. */
export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Runs one batch: `input` is float32 with shape `dims`. */
  run(inputName: string, input: Float32Array, dims: readonly number[], outputName: string): Promise<InferenceOutput>;
  release(): Promise<void>;
}

/**
 * Creates sessions from ONNX bytes. The sidecar uses onnxruntime-node; onnxruntime-web (WASM)
 * implements the same interface so tests and the benchmark can prove both give the same numbers.
 */
export interface InferenceBackend {
  readonly name: string;
  createSession(model: Uint8Array): Promise<ModelSession>;
}
