import { CaseFormatError } from './CaseFormatError.js';
import { parseCaseNumber } from './parseCaseNumber.js';
import { parseCsv } from './parseCsv.js';
import type { EdgeTable } from './types.js';

/**
 * Reads an edges file: `timestamp,client,server,<signal>,...`, one row per call edge and time.
 * Rows of one edge must be in ascending time; edges may interleave.
 */
export function parseEdgeTables(text: string, where: string): EdgeTable[] {
  const { header, rows } = parseCsv(text, where);
  if (header[0] !== 'timestamp' || header[1] !== 'client' || header[2] !== 'server') {
    throw new CaseFormatError(where, 'header must start with "timestamp,client,server"');
  }
  const names = header.slice(3);
  const byKey = new Map<string, EdgeTable>();
  rows.forEach((row, r) => {
    const at = `${where}:${r + 2}`;
    const t = parseCaseNumber(row[0] as string, at);
    const client = (row[1] as string).trim();
    const server = (row[2] as string).trim();
    if (!Number.isFinite(t) || !client || !server) {
      throw new CaseFormatError(at, 'timestamp, client and server must not be empty');
    }
    const key = `${client}\u0000${server}`;
    let table = byKey.get(key);
    if (!table) {
      table = { client, server, timestamps: [], columns: Object.fromEntries(names.map((n) => [n, [] as number[]])) };
      byKey.set(key, table);
    }
    const last = table.timestamps[table.timestamps.length - 1];
    if (last !== undefined && !(t > last)) {
      throw new CaseFormatError(at, `timestamp ${t} of ${client} -> ${server} is not after its previous row's`);
    }
    table.timestamps.push(t);
    names.forEach((n, c) => table.columns[n]?.push(parseCaseNumber(row[c + 3] as string, `${at} (${n})`)));
  });
  return [...byKey.values()];
}
