/**
 * NAB's window-relative score of a detection at `relativePosition`:
 * -1 is the left edge of an anomaly window (≈ +0.987, the best possible), 0 its right edge (0),
 * positive values lie after the window (negative scores, approaching -1 far away). NAB clamps
 * everything beyond three window widths to exactly -1.
 */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) {
    return -1;
  }
  // 2·σ(-5x) − 1 written out: σ(y) = 1 / (1 + e^(−y)).
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}
