import type { ScaleSource } from './fitRobustStats.js';

/** Robust location and scale of one signal of one entity, in the signal's base unit. */
export interface BaselineStats {
  center: number;
  scale: number;
  /** Which estimate produced `scale`; optional so hand-written manifests stay valid. */
  source?: ScaleSource;
}

/**
 * Per-entity baselines as stored in a model manifest: `{entity: {signal: {center, scale}}}`,
 * plus a `default` entry used for entities that were not seen during training. Plain JSON by
 * design, so sidecar, training pipeline and browser read the same object.
 */
export type BaselineSet = {
  default: Record<string, BaselineStats>;
} & Record<string, Record<string, BaselineStats>>;

/** Key of the fallback entry; an entity may therefore not be called this. */
export const DEFAULT_BASELINE_KEY = 'default';
