/** Arithmetic mean of the defined values (for percentages such as sMAPE and WAPE). */
export function meanOf(values: ReadonlyArray<number | undefined>): number | undefined {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length === 0 ? undefined : v.reduce((s, x) => s + x, 0) / v.length;
}
