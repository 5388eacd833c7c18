/** Quotes a CSV field when it would otherwise be misread (comma, quote, line break). */
export function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
