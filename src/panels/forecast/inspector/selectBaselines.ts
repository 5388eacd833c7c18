import type { Baseline, ModelSpec, WindowExplanation } from './types';

export interface SelectedBaselines {
  /** Per signal, in the model's signal order. */
  stats: Baseline[];
  source: 'model' | 'learned' | 'pooled';
}

/**
 * The statistics a service's window is normalised with, chosen as the sidecar chooses them: the
 * model's own entry when the service was in its training data, else the baselines the sidecar
 * learned for it (only it knows them; its window answer carries them), else the model's pooled
 * default. A signal a learned entry lacks falls back to the default, as in the sidecar.
 */
export function selectBaselines(
  spec: ModelSpec,
  window: Pick<WindowExplanation, 'service' | 'baselines' | 'baselineSource'>
): SelectedBaselines {
  const own = window.service !== 'default' ? spec.baselines.perEntity[window.service] : undefined;
  if (own) {
    return { stats: spec.signals.map((s) => own[s]!), source: 'model' };
  }
  if (window.baselineSource === 'learned' && window.baselines) {
    const learned = window.baselines;
    return {
      stats: spec.signals.map((s) => {
        const stats = learned[s];
        return stats && stats.scale > 0 ? stats : spec.baselines.default[s]!;
      }),
      source: 'learned',
    };
  }
  return { stats: spec.signals.map((s) => spec.baselines.default[s]!), source: 'pooled' };
}
