import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from '../../signals/index.js';
import type { BaselineSource, ModelManifest } from './types.js';

/**
 * Which statistics win when an entity has both the model's own and learned ones. `model`: the
 * statistics the model was trained with. `learned`: the entity's levels on the cluster it runs
 * on now, for a model trained on another cluster (or another period) whose levels differ.
 */
export type BaselinePreference = 'model' | 'learned';

/**
 * The statistics an entity's window is normalised with. By default the model's own entry when
 * the entity was in its training data (the model learned on exactly those), else what the
 * sidecar learned for it, else the model's pooled default; with `prefer: 'learned'` learned
 * statistics come first. Signals a learned entry lacks fall back to default.
 */
export function chooseBaselines(
  manifest: ModelManifest,
  entity: string,
  learned: Readonly<Record<string, BaselineStats>> | undefined,
  prefer: BaselinePreference = 'model'
): { set: BaselineSet; source: BaselineSource } {
  const own = entity !== DEFAULT_BASELINE_KEY && manifest.baselines[entity] !== undefined;
  const fromLearned = (stats: Readonly<Record<string, BaselineStats>>) => ({
    set: { [DEFAULT_BASELINE_KEY]: manifest.baselines[DEFAULT_BASELINE_KEY], [entity]: stats } as BaselineSet,
    source: 'learned' as const,
  });
  if (prefer === 'learned' && learned !== undefined) {
    return fromLearned(learned);
  }
  if (own) {
    return { set: manifest.baselines, source: 'model' };
  }
  if (learned !== undefined) {
    return fromLearned(learned);
  }
  return { set: manifest.baselines, source: 'pooled' };
}
