import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from './BaselineSet.js';
import { SignalInputError } from './SignalInputError.js';

export interface ResolvedBaseline extends BaselineStats {
  /** Whether the entity's own baseline was used or the fallback for unseen entities. */
  from: 'entity' | 'default';
}

/**
 * Finds the baseline for one entity and signal, falling back to `default`. Throws when neither
 * has the signal: normalising with a made-up baseline would produce confident nonsense.
 */
export function lookupBaseline(baselines: BaselineSet, entity: string, signal: string): ResolvedBaseline {
  const own = entity === DEFAULT_BASELINE_KEY ? undefined : baselines[entity];
  const stats = own?.[signal];
  if (stats !== undefined) {
    return { ...stats, from: 'entity' };
  }
  const fallback = baselines[DEFAULT_BASELINE_KEY]?.[signal];
  if (fallback !== undefined) {
    return { ...fallback, from: 'default' };
  }
  throw new SignalInputError(
    'signal',
    `no baseline for "${signal}" of "${entity}" and none in "${DEFAULT_BASELINE_KEY}"`
  );
}
