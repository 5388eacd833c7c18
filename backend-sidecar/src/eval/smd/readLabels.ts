import { readNumberMatrix } from './readNumberMatrix.js';

/** One 0/1 label per test row; anything else is a broken file, not a label. */
export async function readLabels(path: string, rows: number): Promise<Uint8Array> {
  const matrix = await readNumberMatrix(path);
  if (matrix.columns !== 1 || matrix.rows !== rows) {
    throw new Error(`${path}: ${matrix.rows} rows × ${matrix.columns} columns of labels for ${rows} test rows`);
  }
  return Uint8Array.from(matrix.values, (v, i) => {
    if (v !== 0 && v !== 1) {
      throw new Error(`${path}: label ${i + 1} is ${v}, expected 0 or 1`);
    }
    return v;
  });
}
