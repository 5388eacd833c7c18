/**
 * Formats accumulator and temperature values for explanations: one decimal for the usual
 * whole-step values ("3.0"), more only when a fractional gain needs it ("2.25").
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) {
    return String(x);
  }
  if (Math.abs(x * 10 - Math.round(x * 10)) < 1e-9) {
    return x.toFixed(1);
  }
  return x.toFixed(3).replace(/0+$/, '');
}
