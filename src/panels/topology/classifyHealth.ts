import type { DetectorState, Health, ThresholdSource } from './types';

export interface HealthInput {
  state: DetectorState;
  score: number | null;
  anomalous: boolean | null;
  /** The entity's own threshold from the data, if any. */
  threshold?: number | null;
}

export interface HealthThresholds {
  thresholdSource: ThresholdSource;
  anomalyThreshold: number;
  warningThreshold: number;
}

/**
 * The class a node or edge is drawn in. Warm-up, stale and unknown keep their own class whatever
 * the score says, and a fallback is `fallback` unless its univariate score flags an anomaly:
 * none of them is ever healthy.
 * With `thresholdSource: 'data'` the detector's own verdict (`anomalous`) and threshold decide;
 * with `'panel'` the panel's thresholds are applied to the score.
 */
export function classifyHealth(input: HealthInput, thresholds: HealthThresholds): Health {
  const { state, score, anomalous } = input;
  if (state === 'warmup' || state === 'stale' || state === 'unknown') {
    return state;
  }
  const fromData = thresholds.thresholdSource === 'data';
  if (fromData && anomalous === true) {
    return 'anomalous';
  }
  if (score === null) {
    return state === 'fallback' ? 'fallback' : 'unknown';
  }
  // A univariate fallback score can flag an anomaly, but a quiet one is not a verdict of health.
  const quiet = state === 'fallback' ? 'fallback' : null;
  const threshold = fromData ? (input.threshold ?? thresholds.anomalyThreshold) : thresholds.anomalyThreshold;
  if (score >= threshold && !(fromData && anomalous === false)) {
    return 'anomalous';
  }
  return score >= Math.min(thresholds.warningThreshold, threshold) ? 'elevated' : (quiet ?? 'healthy');
}
