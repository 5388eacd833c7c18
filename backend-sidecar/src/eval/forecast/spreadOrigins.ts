/** `count` origins evenly spread over [from, to] (inclusive), no duplicates. */
export function spreadOrigins(from: number, to: number, count: number): number[] {
  if (to < from) {
    return [];
  }
  if (count <= 1 || to === from) {
    return [from];
  }
  const out = new Set<number>();
  for (let k = 0; k < count; k++) {
    out.add(Math.round(from + (k * (to - from)) / (count - 1)));
  }
  return [...out];
}
