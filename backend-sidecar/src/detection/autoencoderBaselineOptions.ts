import type { AutoencoderDetectorOptions } from '../detectors/autoencoder/AutoencoderDetector.js';
import type { BaselinePreference } from '../detectors/autoencoder/chooseBaselines.js';
import type { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import type { BaselineStats } from '../signals/index.js';

/** Where the autoencoder gets the baselines the sidecar learned (the BaselineLearner). */
export interface BaselineLookup {
  complete(service: string, signals: readonly string[]): Readonly<Record<string, BaselineStats>> | undefined;
  pendingReason(service: string, signals: readonly string[]): string;
  prefer(): BaselinePreference;
}

/**
 * The detector's baseline options in the sidecar: learned baselines only when complete for the
 * model's signals (a half-learned service would mix its own scales with other services'), the
 * configured preference, and no pooled statistics: a service the model does not know waits,
 * in `warmup` with the reason, until its baselines are learned.
 */
export function autoencoderBaselineOptions(
  registry: Pick<ModelRegistry, 'baseModel'>,
  lookup: BaselineLookup
): Pick<AutoencoderDetectorOptions, 'learnedBaselines' | 'preferBaselines' | 'refusePooled'> {
  const signals = (): readonly string[] => registry.baseModel()?.manifest.signals ?? [];
  return {
    learnedBaselines: (entity) => lookup.complete(entity, signals()),
    preferBaselines: () => lookup.prefer(),
    refusePooled: (entity) => lookup.pendingReason(entity, signals()),
  };
}
