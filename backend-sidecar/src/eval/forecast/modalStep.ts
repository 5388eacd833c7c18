/**
 * The sampling interval of a series: the most common positive difference between consecutive
 * timestamps (seconds). Irregular gaps and duplicated rows do not move the mode, unlike a mean.
 */
export function modalStep(timestamps: readonly number[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < timestamps.length; i++) {
    const d = Math.round((timestamps[i] as number) - (timestamps[i - 1] as number));
    if (d > 0) {
      counts.set(d, (counts.get(d) ?? 0) + 1);
    }
  }
  let best = 0;
  let bestCount = 0;
  for (const [d, c] of counts) {
    if (c > bestCount || (c === bestCount && d < best)) {
      best = d;
      bestCount = c;
    }
  }
  if (best === 0) {
    throw new Error('cannot infer a step: fewer than two distinct timestamps');
  }
  return best;
}
