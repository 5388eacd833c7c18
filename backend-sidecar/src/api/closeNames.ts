/** Up to `max` names closest to `wanted`: containing it (or contained in it) first, then by edit distance. */
export function closeNames(wanted: string, names: Iterable<string>, max = 5): string[] {
  const w = wanted.toLowerCase();
  const scored: Array<[string, number]> = [];
  for (const name of names) {
    const n = name.toLowerCase();
    const score = n.includes(w) || w.includes(n) ? 0 : distance(w, n);
    if (score <= Math.max(2, Math.floor(w.length / 3))) {
      scored.push([name, score]);
    }
  }
  return scored
    .sort(([a, x], [b, y]) => x - y || (a < b ? -1 : 1))
    .slice(0, max)
    .map(([name]) => name);
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) {
    return Number.POSITIVE_INFINITY;
  }
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length] as number;
}
