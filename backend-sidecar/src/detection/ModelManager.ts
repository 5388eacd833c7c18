import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

import type { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import { MANIFEST_FILE } from '../detectors/autoencoder/loadModel.js';
import type { DetectionMetrics } from '../publish/createDetectionMetrics.js';
import { readJsonFile } from '../storage/readJsonFile.js';
import type { ServiceLogger } from './ServiceLogger.js';

/** One per-service model directory, `<modelDir>/<entity>/`, and what became of its last load. */
export interface EntityModelStatus {
  readonly entity: string;
  readonly directory: string;
  /** The model in service for the entity (possibly an earlier version than the files); null when none. */
  readonly modelId: string | null;
  /** Why the last load of the directory was refused; null after a success. */
  readonly lastError: string | null;
}

interface EntityDirectory {
  fingerprint: string;
  lastError: string | null;
}

/**
 * Loads the shared model and the per-service fine-tuned models from the model directory and
 * reloads each when its manifest changes (checked once per cycle, by modification time and size).
 * Loads go through the registry's model slots: a refused model never replaces the one in service,
 * and a refused per-service model leaves the others alone. Every attempt is counted.
 *
 * Layout: the shared model is `modelDir` itself when it holds a manifest, else `modelDir/default/`.
 * A per-service model is `modelDir/<entity>/` whose manifest names that entity (`finetune` writes
 * such manifests); subdirectories holding shared models (entity null), such as the golden test
 * model shipped beside the default one, are not per-service models and are left alone.
 */
export class ModelManager {
  readonly #registry: ModelRegistry;
  readonly #metrics: DetectionMetrics;
  readonly #logger: ServiceLogger;
  #fingerprint: string | null = null;
  #directory: string | null = null;
  #lastError: string | null = null;
  /** The model directory the per-service models were found in. */
  #root: string | null = null;
  readonly #entities = new Map<string, EntityDirectory>();

  constructor(registry: ModelRegistry, metrics: DetectionMetrics, logger: ServiceLogger) {
    this.#registry = registry;
    this.#metrics = metrics;
    this.#logger = logger;
    metrics.modelLoads.inc({ result: 'success' }, 0);
    metrics.modelLoads.inc({ result: 'refused' }, 0);
  }

  /** The message of the shared model's last refused load; null after a success. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** The per-service model directories found, with the model in service and the last refusal. */
  entityModels(): EntityModelStatus[] {
    const inService = new Map(this.#registry.status().entities.map((e) => [e.entity, e.modelId]));
    return [...this.#entities.entries()]
      .map(([entity, e]) => ({
        entity,
        directory: join(this.#root ?? '', entity),
        modelId: inService.get(entity) ?? null,
        lastError: e.lastError,
      }))
      .sort((a, b) => (a.entity < b.entity ? -1 : 1));
  }

  /**
   * Loads the shared model, then the per-service models, when they are new or their manifests
   * changed since the last attempt. A new shared model re-checks every per-service model, which
   * must take the same windows.
   */
  async ensure(modelDir: string): Promise<void> {
    const baseChanged = await this.#ensureBase(modelDir);
    if (this.#root !== modelDir) {
      // Another model directory: the per-service models of the old one leave service.
      for (const entity of [...this.#entities.keys()]) {
        await this.#unload(entity, 'the model directory changed');
      }
      this.#root = modelDir;
    }
    const changed = await this.#ensureEntities(modelDir, baseChanged);
    if (baseChanged || changed) {
      this.#publishInfo();
    }
  }

  /** The shared model; returns whether a load was attempted. */
  async #ensureBase(modelDir: string): Promise<boolean> {
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
      return false;
    }
    this.#directory = directory;
    this.#fingerprint = fingerprint;
    try {
      const model = await this.#registry.loadBase(directory);
      this.#lastError = null;
      this.#counted('success');
      this.#logger.info(
        { modelId: model.manifest.modelId, directory, signals: model.manifest.signals.length },
        'model loaded'
      );
    } catch (error) {
      this.#lastError = (error as Error).message;
      this.#counted('refused');
      const current = this.#registry.baseModel();
      this.#logger.warn(
        { directory, error: this.#lastError, inService: current?.manifest.modelId ?? null },
        current === null
          ? 'model refused; no model in service, services are scored by the univariate detectors'
          : 'model refused; the model in service stays'
      );
    }
    return true;
  }

  /** Per-service models; returns whether anything was attempted or removed. */
  async #ensureEntities(modelDir: string, force: boolean): Promise<boolean> {
    const found = new Map<string, { directory: string; fingerprint: string; named: ManifestEntity | null }>();
    let names: string[] = [];
    try {
      const entries = await readdir(modelDir, { withFileTypes: true });
      names = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
    } catch {
      // No readable model directory: the shared model's load already reported why.
    }
    for (const name of names.sort()) {
      const directory = join(modelDir, name);
      if (directory === this.#directory) {
        continue;
      }
      const fingerprint = await fingerprintOf(directory);
      if (fingerprint.startsWith('missing:')) {
        continue;
      }
      const known = this.#entities.get(name);
      if (known !== undefined && known.fingerprint === fingerprint && !force) {
        found.set(name, { directory, fingerprint, named: null });
        continue;
      }
      const named = await manifestEntity(directory);
      if (named.kind === 'shared' && known === undefined) {
        // A shared model beside the one in service (e.g. the golden test model): not per-service.
        continue;
      }
      found.set(name, { directory, fingerprint, named });
    }
    let changed = false;
    for (const entity of [...this.#entities.keys()]) {
      if (!found.has(entity)) {
        await this.#unload(entity, `${join(modelDir, entity)} no longer holds a model`);
        changed = true;
      }
    }
    for (const [name, { directory, fingerprint, named }] of found) {
      if (named === null) {
        continue;
      }
      changed = true;
      const entry: EntityDirectory = { fingerprint, lastError: null };
      this.#entities.set(name, entry);
      try {
        if (named.kind === 'unreadable') {
          throw new Error(named.error);
        }
        if (named.kind === 'shared' || named.entity !== name) {
          const entity = named.kind === 'shared' ? null : named.entity;
          throw new Error(
            `${join(directory, MANIFEST_FILE)}: entity is ${JSON.stringify(entity)}; a per-service model must name ` +
              `its service and sit in a directory named after it (${JSON.stringify(name)})` +
              (entity === null ? '' : `; move it to ${join(modelDir, entity)}`)
          );
        }
        const model = await this.#registry.loadEntityModel(name, directory);
        this.#counted('success');
        this.#logger.info({ entity: name, modelId: model.manifest.modelId, directory }, 'per-service model loaded');
      } catch (error) {
        entry.lastError = (error as Error).message;
        this.#counted('refused');
        const inService = this.#registry.status().entities.find((e) => e.entity === name)?.modelId ?? null;
        this.#logger.warn(
          { entity: name, directory, error: entry.lastError, inService },
          inService === null
            ? 'per-service model refused; the service is scored by the shared model'
            : 'per-service model refused; the one in service stays'
        );
      }
    }
    return changed;
  }

  async #unload(entity: string, why: string): Promise<void> {
    this.#entities.delete(entity);
    await this.#registry.unloadEntity(entity);
    this.#logger.info({ entity, why }, 'per-service model taken out of service');
  }

  #counted(result: 'success' | 'refused'): void {
    this.#metrics.modelLoads.inc({ result });
    this.#metrics.modelLastLoadSuccess.set(result === 'success' ? 1 : 0);
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

type ManifestEntity =
  | { readonly kind: 'entity'; readonly entity: string }
  | { readonly kind: 'shared' }
  | { readonly kind: 'unreadable'; readonly error: string };

/**
 * The `entity` a manifest names, read without validating the rest (the registry's load does
 * that): a shared model has none; a manifest that is not JSON is reported as it is.
 */
async function manifestEntity(directory: string): Promise<ManifestEntity> {
  try {
    const json = (await readJsonFile(join(directory, MANIFEST_FILE))) as { entity?: unknown } | null;
    if (json === null || typeof json !== 'object') {
      return { kind: 'unreadable', error: `${join(directory, MANIFEST_FILE)}: must hold a JSON object` };
    }
    return typeof json.entity === 'string' && json.entity !== ''
      ? { kind: 'entity', entity: json.entity }
      : { kind: 'shared' };
  } catch (error) {
    return { kind: 'unreadable', error: (error as Error).message };
  }
}
