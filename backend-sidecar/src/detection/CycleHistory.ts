import { CompactCycle, StringListTable } from './CompactCycle.js';
import type { CycleResult } from './CycleResult.js';

export interface CycleHistoryOptions {
  /** Most cycles kept. */
  readonly maxCycles: number;
  /** Most entity records (services + edges) kept over all cycles: bounds memory in large meshes. */
  readonly maxEntities: number;
}

/**
 * The recent cycles' results in memory, newest last, for `/api/v1/topology?at=` replay. Bounded
 * by a number of cycles and by the entity records they hold, so a mesh of thousands of services
 * keeps fewer cycles rather than more memory. The newest cycle is kept as it was produced (the
 * live views read it); older ones are kept compact (`CompactCycle`) and rebuilt when replayed,
 * without their per-signal detail.
 */
export class CycleHistory {
  readonly #o: CycleHistoryOptions;
  readonly #older: CompactCycle[] = [];
  readonly #lists = new StringListTable();
  #newest: CycleResult | null = null;
  #entities = 0;

  constructor(options: CycleHistoryOptions) {
    this.#o = options;
  }

  push(cycle: CycleResult): void {
    if (this.#newest !== null) {
      this.#older.push(new CompactCycle(this.#newest, this.#lists));
    }
    this.#newest = cycle;
    this.#entities += cycle.services.size + cycle.edges.size;
    while (this.#older.length > 0 && (this.length > this.#o.maxCycles || this.#entities > this.#o.maxEntities)) {
      const dropped = this.#older.shift() as CompactCycle;
      this.#entities -= dropped.entities;
    }
  }

  latest(): CycleResult | null {
    return this.#newest;
  }

  /** The newest cycle at or before `at` (unix seconds), or null when it is older than the history. */
  at(at: number): CycleResult | null {
    if (this.#newest === null) {
      return null;
    }
    if (this.#newest.at <= at) {
      return this.#newest;
    }
    for (let i = this.#older.length - 1; i >= 0; i--) {
      const c = this.#older[i] as CompactCycle;
      if (c.at <= at) {
        return c.toCycleResult();
      }
    }
    return null;
  }

  /** Unix seconds of the oldest and newest cycle kept. */
  span(): { oldest: number; newest: number } | null {
    if (this.#newest === null) {
      return null;
    }
    return { oldest: this.#older[0]?.at ?? this.#newest.at, newest: this.#newest.at };
  }

  get length(): number {
    return this.#older.length + (this.#newest === null ? 0 : 1);
  }
}
