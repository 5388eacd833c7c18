import type { ServiceStatus } from '../detection/CycleResult.js';

/** The API's ServiceStatus (openapi.yaml) of one monitored service. */
export function presentServiceStatus(s: ServiceStatus) {
  return {
    service: s.service,
    namespace: s.namespace,
    team: s.team,
    state: s.state,
    detector: s.detector,
    baselineSource: s.baselineSource,
    reasons: s.reasons,
    score: s.score,
    threshold: s.threshold,
    anomalous: s.anomalous,
    verdict: s.verdict,
    trust: s.trust,
    onset: s.onset,
    accumulator: s.accumulator,
    topContributions: Object.entries(s.contributions ?? {})
      .sort(([, a], [, b]) => b - a)
      .slice(0, 3)
      .map(([signal, share]) => ({ signal, share })),
    lastSeen: s.lastSeen,
  };
}
