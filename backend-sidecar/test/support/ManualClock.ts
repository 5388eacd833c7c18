import type { SchedulerTimers } from '../../src/detection/CycleScheduler.js';

/**
 * A clock and timers under the test's control: time moves only when the test advances it, and
 * timers fire in order as it passes them. Nothing sleeps.
 */
export class ManualClock implements SchedulerTimers {
  #now: number;
  #next = 1;
  readonly #pending = new Map<number, { at: number; callback: () => void }>();

  constructor(startMs: number) {
    this.#now = startMs;
  }

  now = (): number => this.#now;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#pending.set(id, { at: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  /** Moves time forward without firing timers (work that takes time). */
  spend(ms: number): void {
    this.#now += ms;
  }

  /** Fires the earliest due timer at its time; returns false when none is pending. */
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
    this.#now = Math.max(this.#now, best[1].at);
    best[1].callback();
    return true;
  }

  get pending(): number {
    return this.#pending.size;
  }

  /** When the earliest pending timer fires, or null. */
  nextAt(): number | null {
    let at: number | null = null;
    for (const { at: t } of this.#pending.values()) {
      at = at === null ? t : Math.min(at, t);
    }
    return at;
  }
}
