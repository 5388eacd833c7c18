/** One query_range request of a split range; both ends are points of the caller's step grid. */
export interface RangeChunk {
  readonly start: number;
  readonly end: number;
  readonly points: number;
}

/**
 * Splits [start, end] at `step` into consecutive chunks of at most `maxPoints` points each. Every
 * chunk starts on the original grid (start + k·step), so merged chunks give exactly the points a
 * single request would have, with no overlap to de-duplicate and no gap at the seams.
 */
export function planRangeChunks(start: number, end: number, step: number, maxPoints: number): RangeChunk[] {
  if (!Number.isFinite(start) || !Number.isFinite(end) || start > end) {
    throw new RangeError(`invalid range: start ${start}, end ${end}`);
  }
  if (!Number.isFinite(step) || step <= 0) {
    throw new RangeError(`step must be a positive number of seconds (got ${step})`);
  }
  if (!Number.isInteger(maxPoints) || maxPoints < 1) {
    throw new RangeError(`maxPoints must be an integer >= 1 (got ${maxPoints})`);
  }
  // The epsilon keeps float error (0.1-second steps) from dropping the last point.
  const total = Math.floor((end - start) / step + 1e-9) + 1;
  const chunks: RangeChunk[] = [];
  for (let first = 0; first < total; first += maxPoints) {
    const points = Math.min(maxPoints, total - first);
    chunks.push({ start: start + first * step, end: start + (first + points - 1) * step, points });
  }
  return chunks;
}
