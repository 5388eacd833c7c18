/** Timers the scheduler waits with; tests pass manual ones and drive cycles without sleeping. */
export interface SchedulerTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CycleOutcome {
  /** Unix seconds of the boundary the cycle ran for. */
  readonly at: number;
  readonly durationSeconds: number;
  /** Longer than the interval. */
  readonly overrun: boolean;
  /** Boundaries that passed while it ran (or before its timer fired) and were not run. */
  readonly skipped: number;
}

export interface CycleSchedulerOptions {
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly timers: SchedulerTimers;
  /** Read before each wait, so a reloaded interval applies from the next cycle. */
  readonly intervalSeconds: () => number;
  /** One cycle for the boundary `at` (unix seconds). A rejection is reported, never fatal. */
  readonly runCycle: (at: number) => Promise<void>;
  readonly onCycleEnd?: (outcome: CycleOutcome) => void;
  readonly onError?: (error: unknown, at: number) => void;
}

export const realTimers: SchedulerTimers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Runs one cycle per interval boundary (multiples of the interval in unix time, so every
 * replica and every restart lands on the same grid). Cycles never overlap and never pile up: a
 * cycle that overruns is measured and reported, the boundaries it covered are counted as
 * skipped, and the next cycle starts at the first boundary after it ended.
 */
export class CycleScheduler {
  readonly #o: CycleSchedulerOptions;
  #timer: unknown = null;
  #running: Promise<void> | null = null;
  #stopped = true;

  constructor(options: CycleSchedulerOptions) {
    this.#o = options;
  }

  get running(): boolean {
    return !this.#stopped;
  }

  /** Schedules the first cycle at the next boundary (or at once, when `immediately`). */
  start(options: { immediately?: boolean } = {}): void {
    if (!this.#stopped) {
      return;
    }
    this.#stopped = false;
    if (options.immediately === true) {
      const interval = this.#o.intervalSeconds();
      const now = this.#o.clock() / 1000;
      this.#fire(Math.floor(now / interval) * interval);
    } else {
      this.#schedule(this.#o.clock() / 1000);
    }
  }

  /** Stops scheduling and waits for a running cycle to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) {
      this.#o.timers.clearTimeout(this.#timer);
      this.#timer = null;
    }
    await this.#running;
  }

  /** The next boundary strictly after `afterSeconds`. */
  static nextBoundary(afterSeconds: number, interval: number): number {
    return (Math.floor(afterSeconds / interval + 1e-9) + 1) * interval;
  }

  #schedule(afterSeconds: number): void {
    if (this.#stopped) {
      return;
    }
    const interval = this.#o.intervalSeconds();
    const next = CycleScheduler.nextBoundary(afterSeconds, interval);
    const wait = Math.max(0, next * 1000 - this.#o.clock());
    this.#timer = this.#o.timers.setTimeout(() => {
      this.#timer = null;
      this.#fire(next);
    }, wait);
  }

  #fire(boundary: number): void {
    if (this.#stopped) {
      return;
    }
    const interval = this.#o.intervalSeconds();
    const startedMs = this.#o.clock();
    // A timer that fired late (a blocked event loop) runs the latest boundary that has passed;
    // the ones in between are skipped, not run back to back.
    const latest = Math.max(boundary, Math.floor(startedMs / 1000 / interval + 1e-9) * interval);
    const lateSkips = Math.round((latest - boundary) / interval);
    this.#running = (async () => {
      try {
        await this.#o.runCycle(latest);
      } catch (error) {
        this.#o.onError?.(error, latest);
      }
      const endMs = this.#o.clock();
      const durationSeconds = Math.max(0, (endMs - startedMs) / 1000);
      const next = CycleScheduler.nextBoundary(endMs / 1000, interval);
      const coveredSkips = Math.max(0, Math.round((next - latest) / interval) - 1);
      this.#o.onCycleEnd?.({
        at: latest,
        durationSeconds,
        overrun: durationSeconds > interval,
        skipped: lateSkips + coveredSkips,
      });
      this.#running = null;
      this.#schedule(endMs / 1000);
    })();
  }
}
