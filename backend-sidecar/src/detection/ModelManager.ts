import { stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import { MANIFEST_FILE } from '../detectors/autoencoder/loadModel.js';
import type { DetectionMetrics } from '../publish/createDetectionMetrics.js';
import type { ServiceLogger } from './ServiceLogger.js';

/**
 * Loads the shared model from the model directory and reloads it when its manifest changes
 * (checked once per cycle, by modification time and size). Loads go through the registry's
 * model slot: a refused model never replaces the one in service. Every attempt is counted.
 */
export class ModelManager {
  readonly #registry: ModelRegistry;
  readonly #metrics: DetectionMetrics;
  readonly #logger: ServiceLogger;
  #fingerprint: string | null = null;
  #directory: string | null = null;
  #lastError: string | null = null;

  constructor(registry: ModelRegistry, metrics: DetectionMetrics, logger: ServiceLogger) {
    this.#registry = registry;
    this.#metrics = metrics;
    this.#logger = logger;
    metrics.modelLoads.inc({ result: 'success' }, 0);
    metrics.modelLoads.inc({ result: 'refused' }, 0);
  }

  /** The message of the last refused load; null after a success. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /**
   * Loads the shared model of `modelDir` when it is new or its manifest changed since the last
   * attempt. The model is the directory itself when it holds a manifest, else its `default/`
   * subdirectory (the layout of the models shipped with the sidecar).
   */
  async ensure(modelDir: string): Promise<void> {
    let directory = modelDir;
    let fingerprint = await fingerprintOf(directory);
    if (fingerprint.startsWith('missing:')) {
      const nested = join(modelDir, 'default');
      const inner = await fingerprintOf(nested);
      if (!inner.startsWith('missing:')) {
        directory = nested;
        fingerprint = inner;
      }
    }
    if (directory === this.#directory && fingerprint === this.#fingerprint) {
      return;
    }
    this.#directory = directory;
    this.#fingerprint = fingerprint;
    try {
      const model = await this.#registry.loadBase(directory);
      this.#lastError = null;
      this.#metrics.modelLoads.inc({ result: 'success' });
      this.#metrics.modelLastLoadSuccess.set(1);
      this.#logger.info(
        { modelId: model.manifest.modelId, directory, signals: model.manifest.signals.length },
        'model loaded'
      );
    } catch (error) {
      this.#lastError = (error as Error).message;
      this.#metrics.modelLoads.inc({ result: 'refused' });
      this.#metrics.modelLastLoadSuccess.set(0);
      const current = this.#registry.baseModel();
      this.#logger.warn(
        { directory, error: this.#lastError, inService: current?.manifest.modelId ?? null },
        current === null
          ? 'model refused; no model in service, services are scored by the univariate detectors'
          : 'model refused; the model in service stays'
      );
    }
    this.#publishInfo();
  }

  #publishInfo(): void {
    this.#metrics.modelInfo.reset();
    for (const model of this.#registry.models()) {
      const m = model.manifest;
      this.#metrics.modelInfo.set(
        { model_id: m.modelId, kind: m.kind, entity: m.entity ?? '', data_source: m.dataSource },
        1
      );
    }
  }
}

async function fingerprintOf(directory: string): Promise<string> {
  try {
    const s = await stat(join(directory, MANIFEST_FILE));
    return `${s.mtimeMs}:${s.size}`;
  } catch (error) {
    return `missing:${(error as NodeJS.ErrnoException).code ?? 'error'}`;
  }
}
