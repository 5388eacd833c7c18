/** Edits between two strings, a swap of neighbouring letters counting as one (a common typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    d.push([i]);
  }
  for (let j = 1; j <= b.length; j++) {
    (d[0] as number[])[j] = j;
  }
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The known key an unknown one most likely meant, or null. Typos (a few edits) and keys written
 * without their unit suffix ("timeout" for "timeoutSeconds") are both common, so either counts.
 */
export function suggestKey(unknown: string, known: Iterable<string>): string | null {
  const wanted = unknown.toLowerCase();
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(wanted, lower);
    const limit = Math.max(1, Math.floor(Math.max(wanted.length, lower.length) / 3));
    const prefix = wanted.length >= 4 && (lower.startsWith(wanted) || wanted.startsWith(lower));
    // A prefix match ranks after any close typo but still beats no suggestion at all.
    const score = distance <= limit ? distance : prefix ? limit + 1 : Number.POSITIVE_INFINITY;
    if (score < bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}
