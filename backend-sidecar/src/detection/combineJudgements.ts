import { surpriseShares } from './surpriseShares.js';
import type { EntityScore, SignalJudgement } from './types.js';

/**
 * One entity's score from its univariate signal judgements: scored when at least one signal is
 * ok; the score is the strongest signal's, the entity is anomalous when any scored signal is, and
 * the contributions are the signals' shares of the surprise. Without a scored signal the state
 * says why: warming up, stale (no recent data), or unknown.
 */
export function combineJudgements(
  judgements: readonly SignalJudgement[],
  threshold: number,
  extraReasons: readonly string[] = []
): EntityScore {
  const ok = judgements.filter((j) => j.state === 'ok' && j.score !== null);
  const reasons = [
    ...extraReasons,
    ...judgements.filter((j) => j.state !== 'ok').map((j) => `${j.signal}: ${describe(j.state)}`),
  ];
  const base = {
    detector: 'univariate' as const,
    threshold,
    error: null,
    modelId: null,
    perEntityModel: false,
    baselineSource: null,
    modelDataSource: null,
    signals: judgements,
  };
  if (ok.length === 0) {
    const state = judgements.some((j) => j.state === 'warmup')
      ? 'warmup'
      : judgements.length > 0 && judgements.every((j) => j.state === 'stale')
        ? 'stale'
        : judgements.some((j) => j.state === 'stale')
          ? 'stale'
          : 'unknown';
    return { ...base, state, reasons, score: null, anomalous: null, contributions: null };
  }
  const scores: Record<string, number> = {};
  for (const j of ok) {
    scores[j.signal] = j.score as number;
  }
  const score = Math.max(...ok.map((j) => j.score as number));
  return {
    ...base,
    state: 'ok',
    reasons,
    score,
    anomalous: ok.some((j) => j.anomalous === true),
    contributions: surpriseShares(scores),
  };
}

function describe(state: SignalJudgement['state']): string {
  switch (state) {
    case 'warmup':
      return 'warming up';
    case 'stale':
      return 'no recent data (stale)';
    default:
      return 'no data';
  }
}
