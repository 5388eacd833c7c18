import { join } from 'node:path';

import type { SelectionOverrideLists } from '../config/createSelectionJudge.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const SELECTION_FILE = 'selection-overrides.json';

function strings(value: unknown, field: string, file: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new Error(`${file}: ${field} must be a list of service names`);
  }
  return [...(value as string[])];
}

/**
 * The monitored-set overrides made through the API, persisted in the state directory (atomic
 * replace) so they survive restarts.
 */
export class SelectionOverrideStore {
  readonly file: string;
  #current: SelectionOverrideLists = { include: [], exclude: [] };

  constructor(stateDir: string) {
    this.file = join(stateDir, SELECTION_FILE);
  }

  get current(): SelectionOverrideLists {
    return this.#current;
  }

  async load(): Promise<void> {
    const json = (await readJsonFile(this.file)) as Record<string, unknown> | null;
    if (json === null) {
      return;
    }
    if (typeof json !== 'object' || Array.isArray(json)) {
      throw new Error(`${this.file}: must be an object {include, exclude}`);
    }
    this.#current = {
      include: strings(json.include, 'include', this.file),
      exclude: strings(json.exclude, 'exclude', this.file),
    };
  }

  async replace(next: SelectionOverrideLists): Promise<void> {
    const value = { include: [...new Set(next.include)].sort(), exclude: [...new Set(next.exclude)].sort() };
    await atomicWriteFile(this.file, `${JSON.stringify(value, null, 2)}\n`);
    this.#current = value;
  }
}
