import type { SchedulerTimers } from '../../src/detection/CycleScheduler.js';

/**
 * Simulated time for driving the sidecar through backfilled telemetry: it runs at wall-clock
 * speed (so phase timings, refit budgets and deadlines see the real cost of the work) and jumps
 * to a timer's due time when the harness fires it, instead of waiting for it.
 */
export class SteppedClock implements SchedulerTimers {
  #base: number;
  #realAtBase = performance.now();
  #next = 1;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();

  /** @param startMs milliseconds since the epoch the clock shows now. */
  constructor(startMs: number) {
    this.#base = startMs;
  }

  now = (): number => this.#base + (performance.now() - this.#realAtBase);

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.now() + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** Jumps to the earliest timer's due time (never backwards) and fires it; false when none is pending. */
  fireNext(): boolean {
    let best: [number, { at: number; callback: () => void }] | undefined;
    for (const entry of this.#pending) {
      if (best === undefined || entry[1].at < best[1].at) {
        best = entry;
      }
    }
    if (best === undefined) {
      return false;
    }
    this.#pending.delete(best[0]);
    this.#base = Math.max(this.now(), best[1].at);
    this.#realAtBase = performance.now();
    best[1].callback();
    return true;
  }
}
