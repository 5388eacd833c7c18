/** A number with at most `digits` decimals, trailing zeros dropped; an en dash when there is no value. */
export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return '–';
  }
  return String(Number(value.toFixed(digits)));
}
