import { formatCaseNumber } from './formatCaseNumber.js';
import { formatCsvField } from './formatCsvField.js';
import type { SignalTable } from './types.js';

/** Writes one service's metrics file; the inverse of parseSignalTable. */
export function formatSignalTable(table: SignalTable): string {
  const names = Object.keys(table.columns);
  const lines = [['timestamp', ...names].map(formatCsvField).join(',')];
  table.timestamps.forEach((t, i) => {
    lines.push([String(t), ...names.map((n) => formatCaseNumber(table.columns[n]?.[i] ?? Number.NaN))].join(','));
  });
  return `${lines.join('\n')}\n`;
}
