import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

/** A headerless numeric table, row-major. */
export interface NumberMatrix {
  readonly rows: number;
  readonly columns: number;
  /** `values[row * columns + column]`; NaN where a field was empty. */
  readonly values: Float64Array;
}

/** Reads a headerless CSV (optionally gzipped) of numbers, as the SMD files are stored. */
export async function readNumberMatrix(path: string): Promise<NumberMatrix> {
  const bytes = await readFile(path);
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) {
    throw new Error(`${path}: no rows`);
  }
  const columns = (lines[0] as string).split(',').length;
  const values = new Float64Array(lines.length * columns);
  lines.forEach((line, row) => {
    const fields = line.split(',');
    if (fields.length !== columns) {
      throw new Error(`${path}: row ${row + 1} has ${fields.length} fields, expected ${columns}`);
    }
    fields.forEach((field, column) => {
      const text = field.trim();
      values[row * columns + column] = text === '' ? Number.NaN : Number(text);
    });
  });
  return { rows: lines.length, columns, values };
}
