import { formatCaseNumber } from './formatCaseNumber.js';
import { formatCsvField } from './formatCsvField.js';
import type { EdgeTable } from './types.js';

/** Writes an edges file; the inverse of parseEdgeTables. Columns are the union over edges. */
export function formatEdgeTables(edges: readonly EdgeTable[]): string {
  const names: string[] = [];
  for (const e of edges) {
    for (const n of Object.keys(e.columns)) {
      if (!names.includes(n)) {
        names.push(n);
      }
    }
  }
  const lines = [['timestamp', 'client', 'server', ...names].map(formatCsvField).join(',')];
  for (const e of edges) {
    e.timestamps.forEach((t, i) => {
      lines.push(
        [
          String(t),
          formatCsvField(e.client),
          formatCsvField(e.server),
          ...names.map((n) => formatCaseNumber(e.columns[n]?.[i] ?? Number.NaN)),
        ].join(',')
      );
    });
  }
  return `${lines.join('\n')}\n`;
}
