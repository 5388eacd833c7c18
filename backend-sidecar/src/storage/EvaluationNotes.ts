import { join } from 'node:path';

import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const EVALUATIONS_FILE = 'evaluations.json';

export type EvaluationNoteKind = 'opened' | 'escalated' | 'closed' | 'tolerated';

/** An evaluation of the incident engine that mattered, with the reason in one sentence. */
export interface EvaluationNote {
  readonly at: number;
  readonly kind: EvaluationNoteKind;
  /** The engine's rule for this evaluation. */
  readonly rule: string;
  /** The entity a tolerated spike belongs to; null for incident notes. */
  readonly entity: string | null;
  readonly scope: 'service' | 'edge' | null;
  /** Highest accumulator of the spike. */
  readonly peak: number | null;
  /** The entity's own threshold. */
  readonly threshold: number | null;
  readonly temperature: number;
  readonly incidentId: string | null;
  readonly summary: string;
}

function isNote(value: unknown): value is EvaluationNote {
  const n = value as Partial<EvaluationNote> | null;
  return n !== null && typeof n === 'object' && typeof n.at === 'number' && typeof n.kind === 'string';
}

/** Evaluation notes, newest kept, persisted in the state directory (atomic replace). */
export class EvaluationNotes {
  readonly file: string;
  readonly #max: number;
  #notes: EvaluationNote[] = [];
  #dirty = false;

  constructor(stateDir: string, max: number) {
    this.file = join(stateDir, EVALUATIONS_FILE);
    this.#max = max;
  }

  async load(): Promise<void> {
    const json = (await readJsonFile(this.file)) as { notes?: unknown } | null;
    if (json !== null && Array.isArray(json.notes)) {
      this.#notes = json.notes.filter(isNote).slice(-this.#max);
    }
  }

  add(notes: readonly EvaluationNote[]): void {
    if (notes.length === 0) {
      return;
    }
    this.#notes.push(...notes);
    if (this.#notes.length > this.#max) {
      this.#notes.splice(0, this.#notes.length - this.#max);
    }
    this.#dirty = true;
  }

  /** Newest first. */
  list(): EvaluationNote[] {
    return [...this.#notes].reverse();
  }

  async save(): Promise<void> {
    if (!this.#dirty) {
      return;
    }
    this.#dirty = false;
    try {
      await atomicWriteFile(this.file, JSON.stringify({ version: 1, notes: this.#notes }));
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
  }
}
