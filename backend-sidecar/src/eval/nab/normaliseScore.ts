/**
 * NAB's reported score: 0 for the null detector (which never detects anything), 100 for a
 * perfect one (every window detected on its first point, no false positive).
 */
export function normaliseScore(raw: number, nullScore: number, perfectScore: number): number {
  return (100 * (raw - nullScore)) / (perfectScore - nullScore);
}
