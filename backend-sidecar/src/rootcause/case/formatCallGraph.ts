import { formatCsvField } from './formatCsvField.js';

/** Writes `graph.csv`; the inverse of parseCallGraph. */
export function formatCallGraph(graph: ReadonlyArray<{ client: string; server: string }>): string {
  const lines = ['client,server', ...graph.map((e) => `${formatCsvField(e.client)},${formatCsvField(e.server)}`)];
  return `${lines.join('\n')}\n`;
}
