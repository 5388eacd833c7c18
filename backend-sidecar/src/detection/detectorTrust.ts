import type { EntityScore } from './types.js';

/**
 * Trust in the detector behind an entity's verdict, in [0, 1]: the share of recent intervals it
 * could judge (coverage) times the quality of what judged it. A univariate detector calibrated
 * on the entity's own history counts fully; the autoencoder counts fully with the model's own
 * statistics for the entity, less with baselines the sidecar learned (0.8) or the model's pooled
 * ones (0.5), and half again when the model was trained on synthetic data. 0 while warming up.
 */
export function detectorTrust(score: EntityScore, coverage: number): number {
  if (score.state === 'warmup') {
    return 0;
  }
  let quality = 1;
  if (score.detector === 'autoencoder') {
    quality = score.baselineSource === 'learned' ? 0.8 : score.baselineSource === 'pooled' ? 0.5 : 1;
    if (score.modelDataSource === 'synthetic') {
      quality *= 0.5;
    }
  }
  return Math.round(Math.max(0, Math.min(1, coverage * quality)) * 1000) / 1000;
}
