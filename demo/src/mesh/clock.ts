/**
 * Time as the fault scheduler and the ground-truth log see it. Injected so that a scenario of
 * minutes can be checked in a unit test without waiting: the system clock in runs, a manual clock
 * in tests.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once, `ms` milliseconds from now; returns a handle for clearTimeout. */
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  /** Moves time forward, running every timer that falls due, in due order (ties in creation order). */
  advance(ms: number): void;
  /** Number of timers still waiting. */
  pending(): number;
}

export function createManualClock(startMs = Date.UTC(2025, 0, 1)): ManualClock {
  let now = startMs;
  let sequence = 0;
  const timers = new Map<number, { due: number; seq: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout(callback, ms) {
      const id = ++sequence;
      timers.set(id, { due: now + Math.max(0, ms), seq: id, callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const target = now + ms;
      for (;;) {
        let nextId: number | undefined;
        let next: { due: number; seq: number; callback: () => void } | undefined;
        for (const [id, t] of timers) {
          if (t.due <= target && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) {
            next = t;
            nextId = id;
          }
        }
        if (!next || nextId === undefined) {
          break;
        }
        timers.delete(nextId);
        now = next.due;
        next.callback();
      }
      now = target;
    },
    pending: () => timers.size,
  };
}
