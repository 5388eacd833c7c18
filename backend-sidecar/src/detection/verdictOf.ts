import type { EntityScore, Verdict } from './types.js';

/**
 * The incident engine's verdict for one entity: anomalous or normal only when a detector scored
 * it; warm-up, stale and unknown are `unknown`, never normal, so they hold accumulators rather
 * than draining them.
 */
export function verdictOf(score: Pick<EntityScore, 'state' | 'score' | 'anomalous'>): Verdict {
  if ((score.state === 'ok' || score.state === 'fallback') && score.anomalous !== null && score.score !== null) {
    return score.anomalous ? 'anomalous' : 'normal';
  }
  return 'unknown';
}
