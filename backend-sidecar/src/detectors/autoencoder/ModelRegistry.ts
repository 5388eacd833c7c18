import type { SignalScope } from '../../signals/index.js';
import { describeMismatch, type DataShape } from './describeMismatch.js';
import type { InferenceBackend } from './InferenceBackend.js';
import { loadModel, type LoadedModel, type LoadModelOptions } from './loadModel.js';
import { ModelSlot, type ModelLease } from './ModelSlot.js';
import type { ModelManifest } from './types.js';

export interface ModelRegistryOptions {
  backend: InferenceBackend;
  /** Canonical signal scope of the models ('service' in the sidecar); null for benchmark columns. */
  scope: SignalScope | null;
  /** What the sidecar's data looks like; models that disagree are refused at load time. */
  expect?: DataShape;
  /** Loader, replaceable in tests; defaults to loadModel. */
  load?: (directory: string, options: LoadModelOptions) => Promise<LoadedModel>;
}

/** The model an entity is scored with, checked out for one batch. */
export interface ModelChoice {
  readonly lease: ModelLease;
  /** True for the entity's own fine-tuned model, false for the shared base model. */
  readonly perEntity: boolean;
}

export interface RegistryStatus {
  base: { modelId: string | null; lastError: string | null };
  entities: Array<{ entity: string; modelId: string | null; baseModelId: string | null; lastError: string | null }>;
}

function shapeOf(manifest: ModelManifest): DataShape {
  return { signals: manifest.signals, windowLength: manifest.windowLength, stepSeconds: manifest.stepSeconds };
}

/**
 * The shared base model plus per-entity fine-tuned models. An entity is scored with its own
 * model when one is in service and with the base model otherwise. Every load goes through a
 * ModelSlot, so a refused model never displaces a working one.
 */
export class ModelRegistry {
  readonly #options: ModelRegistryOptions;
  readonly #base = new ModelSlot();
  readonly #entities = new Map<string, ModelSlot>();

  constructor(options: ModelRegistryOptions) {
    this.#options = options;
  }

  #loadOptions(accept: (manifest: ModelManifest) => string[]): LoadModelOptions {
    const { backend, scope, expect } = this.#options;
    return expect === undefined ? { backend, scope, accept } : { backend, scope, expect, accept };
  }

  #load(directory: string, accept: (manifest: ModelManifest) => string[]): Promise<LoadedModel> {
    const load = this.#options.load ?? loadModel;
    return load(directory, this.#loadOptions(accept));
  }

  /** Loads (or replaces) the shared model; a fine-tuned model is refused here. */
  loadBase(directory: string): Promise<LoadedModel> {
    return this.#base.replace(() =>
      this.#load(directory, (manifest) =>
        manifest.entity === null
          ? []
          : [
              `entity: model "${manifest.modelId}" is fine-tuned for "${manifest.entity}"; load it as that entity's model`,
            ]
      )
    );
  }

  /**
   * Loads (or replaces) one entity's fine-tuned model. Its manifest must name this entity and a
   * base model, and it must take the same windows as the shared model so one window per entity
   * serves whichever model scores it.
   */
  loadEntityModel(entity: string, directory: string): Promise<LoadedModel> {
    let slot = this.#entities.get(entity);
    if (slot === undefined) {
      slot = new ModelSlot();
      this.#entities.set(entity, slot);
    }
    return slot.replace(() =>
      this.#load(directory, (manifest) => {
        const problems: string[] = [];
        if (manifest.entity !== entity) {
          problems.push(
            manifest.entity === null
              ? `entity: model "${manifest.modelId}" is a shared model, not one fine-tuned for "${entity}"`
              : `entity: model "${manifest.modelId}" is fine-tuned for "${manifest.entity}", not "${entity}"`
          );
        }
        const base = this.#base.current;
        if (base !== null) {
          problems.push(
            ...describeMismatch(manifest, shapeOf(base.manifest)).map((p) => `differs from the shared model: ${p}`)
          );
        }
        return problems;
      })
    );
  }

  /** Takes an entity's own model out of service; it falls back to the shared model. */
  async unloadEntity(entity: string): Promise<void> {
    const slot = this.#entities.get(entity);
    if (slot !== undefined) {
      this.#entities.delete(entity);
      await slot.clear();
    }
  }

  /** Takes every model out of service and releases its session once no batch uses it. */
  async close(): Promise<void> {
    const slots = [this.#base, ...this.#entities.values()];
    this.#entities.clear();
    await Promise.all(slots.map((slot) => slot.clear()));
  }

  /** Checks out the model that scores `entity`, or null when no model is in service for it. */
  lease(entity: string): ModelChoice | null {
    const own = this.#entities.get(entity)?.lease();
    if (own) {
      return { lease: own, perEntity: true };
    }
    const base = this.#base.lease();
    return base ? { lease: base, perEntity: false } : null;
  }

  /** The shared model in service, or null. */
  baseModel(): LoadedModel | null {
    return this.#base.current;
  }

  /** Every model in service: the shared one first, then the fine-tuned ones. */
  models(): LoadedModel[] {
    const out: LoadedModel[] = [];
    if (this.#base.current !== null) {
      out.push(this.#base.current);
    }
    for (const slot of this.#entities.values()) {
      if (slot.current !== null) {
        out.push(slot.current);
      }
    }
    return out;
  }

  /** Why no model serves `entity` (the last refused load), or null. */
  lastError(entity?: string): Error | null {
    const own = entity === undefined ? undefined : this.#entities.get(entity);
    return own?.lastError ?? this.#base.lastError;
  }

  status(): RegistryStatus {
    return {
      base: { modelId: this.#base.current?.manifest.modelId ?? null, lastError: this.#base.lastError?.message ?? null },
      entities: [...this.#entities.entries()].map(([entity, slot]) => ({
        entity,
        modelId: slot.current?.manifest.modelId ?? null,
        baseModelId: slot.current?.manifest.baseModel?.modelId ?? null,
        lastError: slot.lastError?.message ?? null,
      })),
    };
  }
}
