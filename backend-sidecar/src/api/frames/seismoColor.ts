/**
 * Seismo's colour for a detector state and score: unknown is never drawn as healthy. Grey for
 * stale and unknown, blue while warming up, then green, amber and red as the score approaches and
 * passes the threshold.
 */
export function seismoColor(state: string, score: number | null, anomalous: boolean | null): string {
  if (score === null || (state !== 'ok' && state !== 'fallback')) {
    return state === 'warmup' ? '#8AB8FF' : '#8E8E8E';
  }
  if (anomalous === true) {
    return '#E02F44';
  }
  return score >= 0.9 ? '#FF9830' : score >= 0.7 ? '#FADE2A' : '#73BF69';
}
