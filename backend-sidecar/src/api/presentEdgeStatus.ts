import type { EdgeStatus } from '../detection/CycleResult.js';

/** The API's EdgeStatus (openapi.yaml) of one monitored call edge. */
export function presentEdgeStatus(e: EdgeStatus) {
  return {
    id: e.id,
    client: e.client,
    server: e.server,
    state: e.state,
    detector: e.detector,
    reasons: e.reasons,
    score: e.score,
    threshold: e.threshold,
    anomalous: e.anomalous,
    verdict: e.verdict,
    trust: e.trust,
    onset: e.onset,
    accumulator: e.accumulator,
    requestRate: e.requestRate,
    errorRatio: e.errorRatio,
    latencyP95: e.latencyP95,
    contributions: e.contributions,
    signals: e.signals,
    sources: e.sources,
    agreement: e.agreement,
    chosenSource: e.chosenSource,
    rateDisagreement: e.rateDisagreement,
    lastSeen: e.lastSeen,
  };
}
