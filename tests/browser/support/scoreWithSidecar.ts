import { fileURLToPath } from 'node:url';

import {
  AutoencoderDetector,
  createNodeBackend,
  ModelRegistry,
  type DetectionResult,
} from '../../../backend-sidecar/src/detectors/autoencoder/index.js';
import type { SignalWindow } from '../../../backend-sidecar/src/signals/index.js';

export const DEFAULT_MODEL_DIR = fileURLToPath(new URL('../../../backend-sidecar/models/default', import.meta.url));

export interface RawWindow {
  entity: string;
  signals: readonly string[];
  /** Unix seconds, one per step, newest last. */
  timestamps: readonly number[];
  /** `[signal][step]` in base units. */
  raw: number[][];
  stepSeconds: number;
}

/**
 * Scores one complete window with the sidecar's own detector (AutoencoderDetector on
 * onnxruntime-node), exactly as a detection cycle would at the window's end.
 */
export async function scoreWithSidecar(
  window: RawWindow,
  modelDir = DEFAULT_MODEL_DIR,
  learned?: Record<string, { center: number; scale: number }>
): Promise<DetectionResult> {
  const registry = new ModelRegistry({ backend: createNodeBackend({ intraOpNumThreads: 1 }), scope: 'service' });
  await registry.loadBase(modelDir);
  try {
    const last = window.timestamps[window.timestamps.length - 1]!;
    const detector = new AutoencoderDetector({
      models: registry,
      clock: () => last,
      ...(learned ? { learnedBaselines: (entity: string) => (entity === window.entity ? learned : undefined) } : {}),
    });
    const signalWindow: SignalWindow = {
      entity: window.entity,
      scope: 'service',
      signals: [...window.signals],
      start: window.timestamps[0]!,
      end: last,
      step: window.stepSeconds,
      timestamps: [...window.timestamps],
      values: window.raw.map((row) => [...row]),
      missing: window.raw.map((row) => row.map(() => false)),
      interpolated: window.raw.map((row) => row.map(() => false)),
      status: 'ok',
      reasons: [],
      missingFraction: 0,
      stats: {},
    };
    const [result] = await detector.detect([{ entity: window.entity, window: signalWindow }]);
    if (!result || result.state !== 'ok') {
      throw new Error(`the sidecar did not score the window: ${result?.state} ${result?.reasons.join('; ')}`);
    }
    return result;
  } finally {
    await registry.close();
  }
}
