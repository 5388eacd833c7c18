import { join } from 'node:path';

import { BaselineExclusions } from '../detection/BaselineExclusions.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const BASELINE_EXCLUSIONS_FILE = 'baseline-exclusions.json';

/**
 * The periods baselines must not be learned from (anomalous services, open incidents), kept in
 * the state directory: a restart in the middle of an incident must not learn the incident as
 * normal at the next refresh. Small (merged intervals within the learning window), so it is
 * rewritten atomically whenever it changes.
 */
export class BaselineExclusionStore {
  readonly file: string;
  #loaded: BaselineExclusions | null = null;

  constructor(stateDir: string) {
    this.file = join(stateDir, BASELINE_EXCLUSIONS_FILE);
  }

  /** What the last load found; null when there was no file. */
  get loaded(): BaselineExclusions | null {
    return this.#loaded;
  }

  async load(): Promise<void> {
    const json = (await readJsonFile(this.file)) as Record<string, unknown> | null;
    if (json === null) {
      this.#loaded = null;
      return;
    }
    if (json.version !== 1) {
      throw new Error(`${this.file}: version must be 1 (got ${String(json.version)})`);
    }
    try {
      this.#loaded = BaselineExclusions.fromJSON(json);
    } catch (error) {
      throw new Error(`${this.file}: ${(error as Error).message}`, { cause: error });
    }
  }

  async save(exclusions: BaselineExclusions): Promise<void> {
    await atomicWriteFile(this.file, JSON.stringify({ version: 1, ...exclusions.toJSON() }));
  }
}
