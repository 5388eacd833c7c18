import type { ReadinessTracker } from '../lifecycle/ReadinessTracker.js';
import type { SidecarMetrics } from './SidecarMetrics.js';

export interface HealthReporterOptions {
  readonly metrics: SidecarMetrics;
  readonly readiness: Pick<ReadinessTracker, 'cycleCompleted' | 'prometheusAnswered'>;
  /** The detection interval in force, in seconds; read per cycle so reloads apply. */
  readonly intervalSeconds: () => number;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
}

/**
 * The two calls the detection loop makes to keep the shell's health metrics and readiness
 * right, so what an overrun or a healthy Prometheus means is decided in one place.
 */
export class HealthReporter {
  readonly #o: HealthReporterOptions;
  readonly #clock: () => number;

  constructor(options: HealthReporterOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
  }

  /** A detection cycle finished after `durationSeconds`; longer than the interval is an overrun. */
  cycleCompleted(durationSeconds: number): void {
    const { metrics, readiness, intervalSeconds } = this.#o;
    metrics.cycleDuration.observe(durationSeconds);
    if (durationSeconds > intervalSeconds()) {
      metrics.cycleOverruns.inc();
    }
    metrics.cycleLastSuccess.set(this.#clock() / 1000);
    readiness.cycleCompleted();
  }

  /**
   * A PromQL query finished: `outcome` is 'ok' or the Prometheus client's error kind. Only a
   * successful answer counts as Prometheus being reachable for readiness.
   */
  prometheusQuery(outcome: string): void {
    this.#o.metrics.recordQuery(outcome);
    if (outcome === 'ok') {
      this.#o.readiness.prometheusAnswered();
    }
  }

  /** One batched inference took `durationSeconds`. */
  inference(durationSeconds: number): void {
    this.#o.metrics.inferenceDuration.observe(durationSeconds);
  }
}
