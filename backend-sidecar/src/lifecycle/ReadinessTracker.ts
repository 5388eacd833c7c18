import type { Readiness, ReadinessProvider } from './ReadinessProvider.js';

export interface ReadinessTrackerOptions {
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  /**
   * How old Prometheus' last answer may be, in seconds; read on every check so a reloaded
   * detection interval applies. Typically three detection intervals.
   */
  readonly prometheusMaxAgeSeconds: () => number;
}

/**
 * The default readiness: ready once a detection cycle has completed and Prometheus answered
 * recently, and no longer ready once shutdown began (so load balancers drain this replica).
 * The detection loop reports into it; /readyz reads it.
 */
export class ReadinessTracker implements ReadinessProvider {
  readonly #clock: () => number;
  readonly #maxAge: () => number;
  #cycleAt: number | null = null;
  #prometheusAt: number | null = null;
  #stopping = false;

  constructor(options: ReadinessTrackerOptions) {
    this.#clock = options.clock ?? Date.now;
    this.#maxAge = options.prometheusMaxAgeSeconds;
  }

  /** A detection cycle completed (with or without anomalies). */
  cycleCompleted(): void {
    this.#cycleAt = this.#clock();
  }

  /** Prometheus answered a query successfully. */
  prometheusAnswered(): void {
    this.#prometheusAt = this.#clock();
  }

  /** Shutdown began. */
  stopping(): void {
    this.#stopping = true;
  }

  check(): Readiness {
    const reasons: string[] = [];
    if (this.#stopping) {
      reasons.push('shutting down');
    }
    if (this.#cycleAt === null) {
      reasons.push('no detection cycle has completed yet');
    }
    if (this.#prometheusAt === null) {
      reasons.push('Prometheus has not answered yet');
    } else {
      const age = (this.#clock() - this.#prometheusAt) / 1000;
      const limit = this.#maxAge();
      if (age > limit) {
        reasons.push(`Prometheus last answered ${Math.round(age)} s ago (limit ${limit} s)`);
      }
    }
    return { ready: reasons.length === 0, reasons };
  }
}
