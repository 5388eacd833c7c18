import { setMaxListeners } from 'node:events';

import type { EntrypointSpec } from '../topology/types.js';
import { generateArrivals, type Arrival } from './generateArrivals.js';
import { LatencyHistogram, type LatencySummary } from './LatencyHistogram.js';
import type { LoadProfile } from './types.js';

/**
 * Time and timers, injected so that a run of minutes can be tested in simulated time. Shaped
 * like the mesh's clock, so the same object can drive both.
 */
export interface LoadClock {
  /** Milliseconds; only differences are used. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const SYSTEM_CLOCK: LoadClock = {
  // Monotonic, so a wall-clock adjustment cannot skip or replay part of the schedule.
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SendResult {
  /** HTTP status; 2xx and 3xx count as ok. */
  status: number;
  /** Round-trip time as measured by the sender. */
  durationMs: number;
}

/**
 * Issues one request. The signal is aborted when the run ends with the request still in flight,
 * so that a real HTTP client can close its socket instead of holding the process open.
 */
export type Send = (entry: EntrypointSpec, signal: AbortSignal) => Promise<SendResult>;

export interface LoadGeneratorOptions {
  profile: LoadProfile;
  entrypoints: readonly EntrypointSpec[];
  seed: number;
  /** Length of the run; arrivals are scheduled in [0, durationSeconds). Required: a run is always bounded. */
  durationSeconds: number;
  send: Send;
  /** Arrivals that find this many requests outstanding are dropped, not queued. Default 256. */
  maxInFlight?: number;
  /** After the last arrival, how long to wait for outstanding requests. Default 5000 ms. */
  drainTimeoutMs?: number;
  /** Default: the system's monotonic clock and timers. */
  clock?: LoadClock;
}

export interface LoadStats {
  /** Arrivals that came due so far: sent + dropped. */
  arrivals: number;
  sent: number;
  ok: number;
  /** Responses with status >= 400 or < 200, plus sends that threw or rejected. */
  errors: number;
  /** The part of `errors` where send itself failed (no status). */
  failed: number;
  dropped: number;
  inFlight: number;
  /** Requests still outstanding when the run ended (stopped, or drain timeout); not in ok/errors. */
  abandoned: number;
  /** Seconds since start, frozen when the run ends. */
  elapsedSeconds: number;
  finished: boolean;
  /** Over responses with a status (ok and error statuses alike). */
  latencyMs: LatencySummary;
}

const DEFAULT_MAX_IN_FLIGHT = 256;
const DEFAULT_DRAIN_TIMEOUT_MS = 5000;

/**
 * Plays an arrival schedule (see generateArrivals) against `send`, open loop: each request is
 * fired at its scheduled time whether or not earlier ones have answered, as real users do. A
 * closed loop (wait for the answer, then send the next) would slow down exactly when the system
 * under test slows down and hide the overload the detectors are meant to see.
 *
 * Outstanding requests are bounded: an arrival that finds maxInFlight requests outstanding is
 * counted as dropped. Queueing it instead would turn the generator back into a closed loop and
 * grow memory without bound.
 */
export class LoadGenerator {
  private readonly options: Required<Omit<LoadGeneratorOptions, 'clock'>>;
  private readonly clock: LoadClock;
  private readonly latency = new LatencyHistogram();
  private readonly abort = new AbortController();
  private schedule: Iterator<Arrival, void> | undefined;
  private next: Arrival | undefined;
  private timer: unknown;
  private hasTimer = false;
  private startMs = 0;
  private endMs: number | undefined;
  private draining = false;
  private finished = false;
  private started = false;
  private resolveDone: ((stats: LoadStats) => void) | undefined;
  private readonly counts = {
    arrivals: 0,
    sent: 0,
    ok: 0,
    errors: 0,
    failed: 0,
    dropped: 0,
    inFlight: 0,
    abandoned: 0,
  };

  constructor(options: LoadGeneratorOptions) {
    const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
    if (!(Number.isInteger(maxInFlight) && maxInFlight >= 1)) {
      throw new RangeError(`maxInFlight must be an integer >= 1, got ${maxInFlight}`);
    }
    if (!(options.durationSeconds > 0 && Number.isFinite(options.durationSeconds))) {
      throw new RangeError(`durationSeconds must be a finite number > 0, got ${options.durationSeconds}`);
    }
    const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    if (!(drainTimeoutMs >= 0 && Number.isFinite(drainTimeoutMs))) {
      throw new RangeError(`drainTimeoutMs must be a finite number >= 0, got ${drainTimeoutMs}`);
    }
    this.options = { ...options, maxInFlight, drainTimeoutMs };
    // Every request in flight listens on the run's signal; up to maxInFlight listeners is the
    // design, not a leak, so Node's warning at 10 would be a false alarm.
    setMaxListeners(maxInFlight + 1, this.abort.signal);
    this.clock = options.clock ?? SYSTEM_CLOCK;
    // Built now so that a bad mix or profile fails at construction, not on the first timer.
    this.schedule = generateArrivals({
      profile: options.profile,
      entrypoints: options.entrypoints,
      seed: options.seed,
      durationSeconds: options.durationSeconds,
    });
  }

  /** Starts the run; resolves with the final stats when it has ended (duration and drain, or stop()). */
  run(): Promise<LoadStats> {
    if (this.started) {
      throw new Error('a LoadGenerator runs once; create a new one for another run');
    }
    this.started = true;
    const done = new Promise<LoadStats>((resolve) => {
      this.resolveDone = resolve;
    });
    this.startMs = this.clock.now();
    if (this.finished) {
      // stop() came before run(): nothing to do.
      this.endMs = this.startMs;
      this.resolveDone?.(this.stats());
      return done;
    }
    this.next = this.pull();
    this.pump(false);
    return done;
  }

  /** Ends the run now: no further arrivals, outstanding requests are aborted and counted as abandoned. */
  stop(): void {
    this.finish();
  }

  stats(): LoadStats {
    const now = this.endMs ?? (this.started ? this.clock.now() : this.startMs);
    return {
      ...this.counts,
      elapsedSeconds: this.started ? (now - this.startMs) / 1000 : 0,
      finished: this.finished,
      latencyMs: this.latency.summary(),
    };
  }

  private pull(): Arrival | undefined {
    const step = this.schedule?.next();
    return step && !step.done ? step.value : undefined;
  }

  /**
   * Fires every arrival that is due, then sleeps until the next one (or the end of the run).
   * When woken by the timer set for an arrival, that arrival fires even if the clock reads a
   * hair early: timers are not exact, and sleeping again for a fraction of a millisecond could
   * spin without the clock moving.
   */
  private pump(woken: boolean): void {
    this.hasTimer = false;
    if (this.finished) {
      return;
    }
    const elapsedMs = this.clock.now() - this.startMs;
    let due = woken;
    while (this.next && (due || this.next.tSeconds * 1000 <= elapsedMs)) {
      due = false;
      this.fire(this.next.entry);
      if (this.finished) {
        return;
      }
      this.next = this.pull();
    }
    if (this.next) {
      this.sleep(this.next.tSeconds * 1000 - elapsedMs, () => this.pump(true));
      return;
    }
    const untilEnd = this.options.durationSeconds * 1000 - elapsedMs;
    if (untilEnd > 0) {
      this.sleep(untilEnd, () => {
        this.hasTimer = false;
        this.beginDrain();
      });
      return;
    }
    this.beginDrain();
  }

  private beginDrain(): void {
    this.draining = true;
    this.schedule = undefined;
    if (this.counts.inFlight === 0) {
      this.finish();
      return;
    }
    this.sleep(this.options.drainTimeoutMs, () => {
      this.hasTimer = false;
      this.finish();
    });
  }

  private sleep(ms: number, callback: () => void): void {
    this.timer = this.clock.setTimeout(callback, Math.max(0, ms));
    this.hasTimer = true;
  }

  private fire(entry: EntrypointSpec): void {
    this.counts.arrivals += 1;
    if (this.counts.inFlight >= this.options.maxInFlight) {
      this.counts.dropped += 1;
      return;
    }
    this.counts.sent += 1;
    this.counts.inFlight += 1;
    let pending: Promise<SendResult>;
    try {
      pending = Promise.resolve(this.options.send(entry, this.abort.signal));
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (result) => this.settle(result),
      () => this.settle(undefined)
    );
  }

  private settle(result: SendResult | undefined): void {
    if (this.finished) {
      // Already counted as abandoned; the final stats do not change after the run ends.
      return;
    }
    this.counts.inFlight -= 1;
    if (result === undefined) {
      this.counts.errors += 1;
      this.counts.failed += 1;
    } else {
      this.latency.record(result.durationMs);
      if (result.status >= 200 && result.status < 400) {
        this.counts.ok += 1;
      } else {
        this.counts.errors += 1;
      }
    }
    if (this.draining && this.counts.inFlight === 0) {
      this.finish();
    }
  }

  private finish(): void {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.schedule = undefined;
    this.next = undefined;
    if (this.hasTimer) {
      this.clock.clearTimeout(this.timer);
      this.hasTimer = false;
    }
    this.counts.abandoned = this.counts.inFlight;
    this.counts.inFlight = 0;
    this.endMs = this.started ? this.clock.now() : this.startMs;
    if (this.counts.abandoned > 0) {
      this.abort.abort();
    }
    this.resolveDone?.(this.stats());
  }
}
