import type { WindowExplanation } from './types';

/**
 * Where the inspector reads a window and a model from: the sidecar's `window`, `models/<id>/manifest`
 * and `models/<id>/onnx` routes, through the Seismo datasource in Grafana.
 */
export interface WindowSource {
  /** The window ending at `at` (unix seconds) for a service. */
  window(service: string, at: number): Promise<WindowExplanation>;
  manifest(modelId: string): Promise<unknown>;
  onnx(modelId: string): Promise<Uint8Array>;
}
