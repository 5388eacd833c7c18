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
 * keeps fewer cycles rather than more memory.
 */
export class CycleHistory {
  readonly #o: CycleHistoryOptions;
  readonly #cycles: CycleResult[] = [];
  #entities = 0;

  constructor(options: CycleHistoryOptions) {
    this.#o = options;
  }

  push(cycle: CycleResult): void {
    this.#cycles.push(cycle);
    this.#entities += cycle.services.size + cycle.edges.size;
    while (
      this.#cycles.length > 1 &&
      (this.#cycles.length > this.#o.maxCycles || this.#entities > this.#o.maxEntities)
    ) {
      const dropped = this.#cycles.shift() as CycleResult;
      this.#entities -= dropped.services.size + dropped.edges.size;
    }
  }

  latest(): CycleResult | null {
    return this.#cycles[this.#cycles.length - 1] ?? null;
  }

  /** The newest cycle at or before `at` (unix seconds), or null when it is older than the history. */
  at(at: number): CycleResult | null {
    for (let i = this.#cycles.length - 1; i >= 0; i--) {
      const c = this.#cycles[i] as CycleResult;
      if (c.at <= at) {
        return c;
      }
    }
    return null;
  }

  /** Unix seconds of the oldest and newest cycle kept. */
  span(): { oldest: number; newest: number } | null {
    const first = this.#cycles[0];
    const last = this.#cycles[this.#cycles.length - 1];
    return first === undefined || last === undefined ? null : { oldest: first.at, newest: last.at };
  }

  get length(): number {
    return this.#cycles.length;
  }
}
