import { readFile } from 'node:fs/promises';
import { parseProfileYaml } from './parseProfileYaml.js';
import type { LoadProfileDocument } from './types.js';

/** Reads and validates a load profile file; errors carry the path as given, line and column. */
export async function readProfileFile(path: string): Promise<LoadProfileDocument> {
  return parseProfileYaml(await readFile(path, 'utf8'), path);
}
