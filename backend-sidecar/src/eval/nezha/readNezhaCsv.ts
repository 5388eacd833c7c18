import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';

import { parseCsv } from '../../rootcause/case/index.js';

/**
 * Reads `<base>.csv.gz` or, failing that, `<base>.csv` (the upstream repository ships plain
 * CSV, the shared benchmark copy gzip). Returns null when neither exists.
 */
export async function readNezhaCsv(base: string): Promise<{ header: string[]; rows: string[][]; file: string } | null> {
  for (const file of [`${base}.csv.gz`, `${base}.csv`]) {
    if (!existsSync(file)) {
      continue;
    }
    const raw = await readFile(file);
    const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    return { ...parseCsv(text, file), file };
  }
  return null;
}
