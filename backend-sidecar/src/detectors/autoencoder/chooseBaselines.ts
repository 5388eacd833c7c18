import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from '../../signals/index.js';
import type { BaselineSource, ModelManifest } from './types.js';

/**
 * The statistics an entity's window is normalised with: the model's own entry when the entity
 * was in its training data (the model learned on exactly those), else what the sidecar learned
 * for it, else the model's pooled default. Signals a learned entry lacks fall back to default.
 */
export function chooseBaselines(
  manifest: ModelManifest,
  entity: string,
  learned: Readonly<Record<string, BaselineStats>> | undefined
): { set: BaselineSet; source: BaselineSource } {
  if (entity !== DEFAULT_BASELINE_KEY && manifest.baselines[entity] !== undefined) {
    return { set: manifest.baselines, source: 'model' };
  }
  if (learned !== undefined) {
    return {
      set: { [DEFAULT_BASELINE_KEY]: manifest.baselines[DEFAULT_BASELINE_KEY], [entity]: learned } as BaselineSet,
      source: 'learned',
    };
  }
  return { set: manifest.baselines, source: 'pooled' };
}
