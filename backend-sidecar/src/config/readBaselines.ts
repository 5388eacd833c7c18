import type { ConfigReader } from './ConfigReader.js';
import type { BaselineLearningConfig } from './types.js';

export const BASELINE_PREFERENCES = ['model', 'learned'] as const;

/**
 * detection.baselines: how the sidecar learns each service's baselines (robust center and scale
 * per signal) from its own history, for the autoencoder's normalisation.
 */
export function readBaselines(r: ConfigReader): BaselineLearningConfig {
  // A full daily cycle by default: baselines from a few hours describe only that part of the day.
  const windowSeconds = r.int('windowSeconds', 86_400, { min: 60, max: 30 * 86_400, unit: 'seconds' });
  const refreshSeconds = r.int('refreshSeconds', 3600, { min: 5, max: 7 * 86_400, unit: 'seconds' });
  const stepSeconds = r.int('stepSeconds', 300, { min: 1, max: 86_400, unit: 'seconds' });
  const minPoints = r.int('minPoints', 48, { min: 10, max: 100_000 });
  const prefer = r.choice('prefer', BASELINE_PREFERENCES, 'model');
  const capacity = Math.floor(windowSeconds / stepSeconds) + 1;
  if (capacity < minPoints) {
    r.report(
      'minPoints',
      `is ${minPoints}, but detection.baselines.windowSeconds (${windowSeconds}) holds only ${capacity} points of ` +
        `stepSeconds (${stepSeconds}); lower minPoints or stepSeconds, or widen windowSeconds`,
      r.nodeOf('minPoints')
    );
  }
  r.finish();
  return { windowSeconds, refreshSeconds, stepSeconds, minPoints, prefer };
}
