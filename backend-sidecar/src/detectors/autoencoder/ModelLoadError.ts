/** What stopped a model from being loaded; lets callers count refusals by cause. */
export type ModelLoadProblem = 'manifest' | 'file' | 'size' | 'sha256' | 'onnx' | 'contract' | 'probe' | 'mismatch';

/**
 * A model directory that cannot be put into service. Raised before the model replaces anything,
 * so the previous model keeps serving; the message says which file and what is wrong with it.
 */
export class ModelLoadError extends Error {
  readonly problem: ModelLoadProblem;
  readonly directory: string;

  constructor(problem: ModelLoadProblem, directory: string, message: string, options?: { cause?: unknown }) {
    super(`model ${directory}: ${message}`, options);
    this.name = 'ModelLoadError';
    this.problem = problem;
    this.directory = directory;
  }
}
