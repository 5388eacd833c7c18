import { CaseFormatError } from './CaseFormatError.js';
import { parseCaseNumber } from './parseCaseNumber.js';
import { parseCsv } from './parseCsv.js';
import type { SignalTable } from './types.js';

/** Reads one service's metrics file: `timestamp,<signal>,...` with ascending unix seconds. */
export function parseSignalTable(text: string, where: string): SignalTable {
  const { header, rows } = parseCsv(text, where);
  if (header[0] !== 'timestamp') {
    throw new CaseFormatError(where, `first column must be "timestamp" (got "${header[0] ?? ''}")`);
  }
  const names = header.slice(1);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate !== undefined) {
    throw new CaseFormatError(where, `column "${duplicate}" appears twice`);
  }
  const timestamps: number[] = [];
  const columns: Record<string, number[]> = {};
  for (const n of names) {
    columns[n] = [];
  }
  rows.forEach((row, r) => {
    const at = `${where}:${r + 2}`;
    const t = parseCaseNumber(row[0] as string, at);
    if (!Number.isFinite(t)) {
      throw new CaseFormatError(at, 'timestamp is empty');
    }
    if (timestamps.length > 0 && !(t > (timestamps[timestamps.length - 1] as number))) {
      throw new CaseFormatError(at, `timestamp ${t} is not after the previous row's`);
    }
    timestamps.push(t);
    names.forEach((n, c) => columns[n]?.push(parseCaseNumber(row[c + 1] as string, `${at} (${n})`)));
  });
  return { timestamps, columns };
}
