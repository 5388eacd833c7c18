/** Multivariate detection with an ONNX autoencoder per model manifest; see AutoencoderDetector. */
export { AutoencoderDetector, DEFAULT_MAX_BATCH, DEFAULT_STALE_AFTER_STEPS } from './AutoencoderDetector.js';
export type { AutoencoderDetectorOptions, ModelSource } from './AutoencoderDetector.js';
export { calibratedScore } from './calibratedScore.js';
export { checkWindowShape } from './checkWindowShape.js';
export { classifyWindow } from './classifyWindow.js';
export type { WindowClass } from './classifyWindow.js';
export { createNodeBackend } from './createNodeBackend.js';
export type { NodeBackendOptions } from './createNodeBackend.js';
export { createWebBackend } from './createWebBackend.js';
export { describeMismatch } from './describeMismatch.js';
export type { DataShape } from './describeMismatch.js';
export { DetectorInputError } from './DetectorInputError.js';
export type { InferenceBackend, InferenceOutput, ModelSession } from './InferenceBackend.js';
export { loadModel, MANIFEST_FILE } from './loadModel.js';
export type { LoadedModel, LoadModelOptions } from './loadModel.js';
export { ManifestError } from './ManifestError.js';
export { ModelLoadError } from './ModelLoadError.js';
export type { ModelLoadProblem } from './ModelLoadError.js';
export { ModelRegistry } from './ModelRegistry.js';
export type { ModelChoice, ModelRegistryOptions, RegistryStatus } from './ModelRegistry.js';
export { ModelSlot } from './ModelSlot.js';
export type { ModelLease } from './ModelSlot.js';
export { parseManifest } from './parseManifest.js';
export type { ParseManifestOptions } from './parseManifest.js';
export { readManifestSchema } from './readManifestSchema.js';
export { reconstructionErrors } from './reconstructionErrors.js';
export type { ReconstructionErrors } from './reconstructionErrors.js';
export type {
  BaselineSource,
  CalibrationSpec,
  DetectionResult,
  DetectorInput,
  DetectorState,
  ErrorReduction,
  ErrorSpec,
  ModelManifest,
} from './types.js';
export { validateJsonSchema } from './validateJsonSchema.js';
export { chooseBaselines } from './chooseBaselines.js';
export type { BaselinePreference } from './chooseBaselines.js';
