/** Location and scale of one signal of one entity, in the signal's base unit. */
export interface BaselineStats {
  center: number;
  scale: number;
}

/**
 * Per-entity baselines: `{entity: {signal: {center, scale}}}`, plus a `default` entry used for
 * entities that were not seen during training. Plain JSON by design, so sidecar, training
 * pipeline and browser read the same numbers (the model manifest stores the same statistics
 * as `normalisation.per_entity` and `normalisation.default`).
 */
export type BaselineSet = {
  default: Record<string, BaselineStats>;
} & Record<string, Record<string, BaselineStats>>;

/** Key of the fallback entry; an entity may therefore not be called this. */
export const DEFAULT_BASELINE_KEY = 'default';
