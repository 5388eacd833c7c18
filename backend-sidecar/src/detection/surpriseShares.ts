/**
 * Shares of a set of scores in [0, 1] by their surprise, −log10(1 − score): a signal at 0.999 is
 * a thousand-to-one event and should outweigh one at 0.9 by far more than the scores' ratio
 * says. Shares sum to 1; all-zero surprise is spread evenly.
 */
export function surpriseShares(scores: Readonly<Record<string, number>>): Record<string, number> {
  const names = Object.keys(scores);
  const surprise = names.map((n) => -Math.log10(Math.max(1e-12, 1 - Math.min(1, Math.max(0, scores[n] as number)))));
  const total = surprise.reduce((a, b) => a + b, 0);
  const out: Record<string, number> = {};
  names.forEach((n, i) => {
    out[n] = total > 0 ? (surprise[i] as number) / total : 1 / names.length;
  });
  return out;
}
