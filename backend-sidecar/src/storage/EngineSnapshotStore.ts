import { join } from 'node:path';

import type { IncidentState } from '../incidents/types.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const ENGINE_STATE_FILE = 'engine-state.json';

export interface EngineSnapshot {
  /** Milliseconds since the epoch when it was written. */
  readonly savedAt: number;
  /** The incident engine's state; entities at 0 are left out (0 is what a missing entity restores as). */
  readonly state: IncidentState;
}

/**
 * The incident engine's state after each cycle, kept in the state directory: the fallback for a
 * restart while Prometheus is unreachable (the exported series are the primary source).
 */
export class EngineSnapshotStore {
  readonly file: string;

  constructor(stateDir: string) {
    this.file = join(stateDir, ENGINE_STATE_FILE);
  }

  async read(): Promise<EngineSnapshot | null> {
    const json = (await readJsonFile(this.file)) as Partial<EngineSnapshot> | null;
    if (json === null || typeof json !== 'object' || typeof json.savedAt !== 'number' || json.state === undefined) {
      return null;
    }
    return { savedAt: json.savedAt, state: json.state };
  }

  async write(state: IncidentState, savedAt: number): Promise<void> {
    const entities: IncidentState['entities'] = {};
    for (const [id, e] of Object.entries(state.entities)) {
      if (e.value > 0) {
        entities[id] = e;
      }
    }
    const snapshot: EngineSnapshot = { savedAt, state: { ...state, entities } };
    await atomicWriteFile(this.file, JSON.stringify({ version: 1, ...snapshot }));
  }
}
