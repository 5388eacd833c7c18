import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import { JsonLinesFile } from './JsonLinesFile.js';

export type FeedbackKind = 'expected' | 'false_positive';

export interface FeedbackInput {
  readonly kind: FeedbackKind;
  readonly scope: 'service' | 'edge';
  /** Service name, or "client->server". */
  readonly entity: string;
  /** Unix seconds. */
  readonly from: number;
  readonly to: number;
  readonly incidentId?: string;
  readonly note?: string;
  readonly author?: string;
}

export interface FeedbackRecord extends FeedbackInput {
  readonly id: string;
  /** Unix seconds. */
  readonly receivedAt: number;
}

export const FEEDBACK_FILE = 'feedback.jsonl';

export interface FeedbackStoreOptions {
  readonly stateDir: string;
  /** Unix seconds. */
  readonly clock: () => number;
  readonly newId?: () => string;
}

function isRecord(value: unknown): value is FeedbackRecord {
  const r = value as Partial<FeedbackRecord> | null;
  return (
    r !== null &&
    typeof r === 'object' &&
    typeof r.id === 'string' &&
    (r.kind === 'expected' || r.kind === 'false_positive') &&
    (r.scope === 'service' || r.scope === 'edge') &&
    typeof r.entity === 'string' &&
    typeof r.from === 'number' &&
    typeof r.to === 'number' &&
    typeof r.receivedAt === 'number'
  );
}

/**
 * Feedback on windows (expected behaviour, false positives), kept in an fsync'd JSON-lines file
 * in the state directory: stored before the API answers, never rewritten. The windows are
 * excluded from what the detectors learn (`isMasked`) and the file is the label export for
 * training (docs/feedback.md).
 */
export class FeedbackStore {
  readonly #file: JsonLinesFile;
  readonly #clock: () => number;
  readonly #newId: () => string;
  #records: FeedbackRecord[] = [];
  /** entity → windows, for the learning mask. */
  readonly #windows = new Map<string, Array<{ from: number; to: number; kind: FeedbackKind }>>();
  #skipped = 0;

  constructor(options: FeedbackStoreOptions) {
    this.#file = new JsonLinesFile(join(options.stateDir, FEEDBACK_FILE));
    this.#clock = options.clock;
    this.#newId = options.newId ?? (() => `fb-${randomUUID()}`);
  }

  get file(): string {
    return this.#file.file;
  }

  /** Lines of the file that could not be read (a torn last line after a crash). */
  get skipped(): number {
    return this.#skipped;
  }

  async load(): Promise<void> {
    const { records, skipped } = await this.#file.readAll();
    this.#skipped = skipped;
    this.#records = [];
    this.#windows.clear();
    for (const record of records) {
      if (isRecord(record)) {
        this.#index(record);
      } else {
        this.#skipped++;
      }
    }
  }

  async add(input: FeedbackInput): Promise<FeedbackRecord> {
    const record: FeedbackRecord = { id: this.#newId(), receivedAt: this.#clock(), ...input };
    await this.#file.append(record);
    this.#index(record);
    return record;
  }

  /** Newest first, optionally only those received or covering [from, to]. */
  list(range?: { from: number; to: number }): FeedbackRecord[] {
    const picked =
      range === undefined ? this.#records : this.#records.filter((r) => r.to >= range.from && r.from <= range.to);
    return [...picked].sort((a, b) => b.receivedAt - a.receivedAt || (a.id < b.id ? -1 : 1));
  }

  /** Feedback about one incident. */
  forIncident(id: string): FeedbackRecord[] {
    return this.#records.filter((r) => r.incidentId === id);
  }

  /** Whether the point of `entity` at unix second `t` lies in a feedback window. */
  isMasked(entity: string, t: number): boolean {
    const windows = this.#windows.get(entity);
    return windows !== undefined && windows.some((w) => t >= w.from && t <= w.to);
  }

  /** Whether the point of `entity` at unix second `t` lies in a feedback window of this kind. */
  isMarked(entity: string, t: number, kind: FeedbackKind): boolean {
    const windows = this.#windows.get(entity);
    return windows !== undefined && windows.some((w) => w.kind === kind && t >= w.from && t <= w.to);
  }

  /** Records stored so far; grows with every accepted feedback (learning reruns when it changes). */
  get count(): number {
    return this.#records.length;
  }

  #index(record: FeedbackRecord): void {
    this.#records.push(record);
    let windows = this.#windows.get(record.entity);
    if (windows === undefined) {
      windows = [];
      this.#windows.set(record.entity, windows);
    }
    windows.push({ from: record.from, to: record.to, kind: record.kind });
  }
}
