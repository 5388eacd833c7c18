/**
 * Seven significant digits: more than any metric here is accurate to, and it keeps case files
 * small enough to cache many of them. Unknown values are written as empty fields.
 */
export function formatCaseNumber(value: number): string {
  if (!Number.isFinite(value)) {
    return '';
  }
  return String(Number(value.toPrecision(7)));
}
