import { CaseFormatError } from './CaseFormatError.js';
import { parseCsv } from './parseCsv.js';

/** Reads `graph.csv`: a header with `client` and `server` columns (others are ignored). */
export function parseCallGraph(text: string, where: string): Array<{ client: string; server: string }> {
  const { header, rows } = parseCsv(text, where);
  const ci = header.indexOf('client');
  const si = header.indexOf('server');
  if (ci < 0 || si < 0) {
    throw new CaseFormatError(where, 'header must name a "client" and a "server" column');
  }
  return rows.map((row, r) => {
    const client = (row[ci] as string).trim();
    const server = (row[si] as string).trim();
    if (!client || !server) {
      throw new CaseFormatError(`${where}:${r + 2}`, 'client and server must not be empty');
    }
    return { client, server };
  });
}
