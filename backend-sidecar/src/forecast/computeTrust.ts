import type { ForecastMetrics } from './RollingForecastMetrics.js';

export interface TrustOptions {
  /** Nominal interval level (coverage at or above it scores 1). */
  readonly level: number;
  /** Coverage at or below this scores 0 (it is also where the forecaster falls back to bands). */
  readonly minCoverage: number;
  /** Evaluations needed before the track record counts fully. */
  readonly minEvaluations: number;
}

/**
 * How far the forecaster's band can be relied on, in [0, 1]: the product of
 * - evidence: the share of `minEvaluations` already compared with actuals (no record, no trust);
 * - calibration: 0 at `minCoverage`, 1 at the nominal level, linear between (an interval that
 *   misses more often than promised raises false alarms, which is what trust must warn about);
 * - accuracy: 1 while MASE ≤ 1 (at least as good as repeating the last season), 1/MASE beyond.
 * The incident engine can weight forecast anomalies by it and the UI can grey out low values.
 */
export function computeTrust(metrics: ForecastMetrics, options: TrustOptions): number {
  if (metrics.count === 0 || metrics.coverage === undefined) {
    return 0;
  }
  const evidence = Math.min(1, metrics.count / options.minEvaluations);
  const span = options.level - options.minCoverage;
  const calibration =
    span > 0
      ? Math.min(1, Math.max(0, (metrics.coverage - options.minCoverage) / span))
      : metrics.coverage >= options.level
        ? 1
        : 0;
  const accuracy = metrics.mase === undefined || metrics.mase <= 1 ? 1 : 1 / metrics.mase;
  return evidence * calibration * accuracy;
}
