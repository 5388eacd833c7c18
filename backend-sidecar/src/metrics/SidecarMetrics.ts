import type { Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The sidecar's own health metrics, registered on the app's registry (never prom-client's
 * global one). The detection loop and the Prometheus client update them; /metrics serves them.
 */
export interface SidecarMetrics {
  readonly registry: Registry;
  /** seismo_build_info{version, revision, nodejs_version} = 1. */
  readonly buildInfo: Gauge<'version' | 'revision' | 'nodejs_version'>;
  /** seismo_cycle_duration_seconds: wall time of one detection cycle. */
  readonly cycleDuration: Histogram;
  /** seismo_cycle_overruns_total: cycles that took longer than detection.intervalSeconds. */
  readonly cycleOverruns: Counter;
  /** seismo_cycle_last_success_timestamp_seconds: when the last cycle completed (0: never). */
  readonly cycleLastSuccess: Gauge;
  /** seismo_prometheus_queries_total: PromQL queries issued (instant and range). */
  readonly prometheusQueries: Counter;
  /** seismo_prometheus_query_errors_total{kind}: failed queries by the kind of their final error. */
  readonly prometheusQueryErrors: Counter<'kind'>;
  /** seismo_inference_duration_seconds: one batched model inference. */
  readonly inferenceDuration: Histogram;
  /** seismo_config_reload_total{result="success|failure"}. */
  readonly configReloads: Counter<'result'>;
  /** seismo_config_last_reload_success: 1 when the last reload attempt (or the start) succeeded. */
  readonly configLastReloadSuccess: Gauge;
  /** seismo_config_last_reload_success_timestamp_seconds. */
  readonly configLastReloadSuccessTimestamp: Gauge;
  /**
   * Counts one finished query: `outcome` is 'ok' or the error kind (the Prometheus client's
   * PrometheusErrorKind); errors also count in seismo_prometheus_query_errors_total{kind}.
   */
  recordQuery(outcome: string): void;
}
