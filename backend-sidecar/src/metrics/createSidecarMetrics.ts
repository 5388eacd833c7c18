import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { SidecarMetrics } from './SidecarMetrics.js';

export interface BuildInfo {
  readonly version: string;
  /** VCS revision the build was made from; "unknown" when not stamped. */
  readonly revision: string;
}

export interface SidecarMetricsOptions {
  /** Default: a new Registry. Pass one to share it with other exporters of this process. */
  readonly registry?: Registry;
  readonly build: BuildInfo;
  /** Process and Node.js runtime metrics, prefixed seismo_; default true. */
  readonly processMetrics?: boolean;
}

/**
 * Error kinds pre-created at 0 so rate() and alerts work before the first failure. Mirrors
 * the Prometheus client's error kinds; a kind not listed here still counts when it happens.
 */
export const QUERY_ERROR_KINDS: readonly string[] = Object.freeze([
  'query',
  'auth',
  'http',
  'server',
  'rate_limited',
  'network',
  'tls',
  'timeout',
  'deadline',
  'budget',
  'decode',
  'aborted',
]);

// A 15-s cycle is the default; buckets reach past 4 cycles to show how badly an overrun ran.
const CYCLE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60];
// Batched CPU inference of a small autoencoder: milliseconds, up to seconds for large meshes.
const INFERENCE_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Creates and registers the sidecar's health metrics. Call once per registry. */
export function createSidecarMetrics(options: SidecarMetricsOptions): SidecarMetrics {
  const registry = options.registry ?? new Registry();
  const registers = [registry];

  const buildInfo = new Gauge({
    name: 'seismo_build_info',
    help: 'Build of the running sidecar; always 1.',
    labelNames: ['version', 'revision', 'nodejs_version'] as const,
    registers,
  });
  buildInfo.set(
    { version: options.build.version, revision: options.build.revision, nodejs_version: process.version },
    1
  );

  const cycleDuration = new Histogram({
    name: 'seismo_cycle_duration_seconds',
    help: 'Wall time of one detection cycle: queries, inference, incidents, export.',
    buckets: CYCLE_BUCKETS,
    registers,
  });
  const cycleOverruns = new Counter({
    name: 'seismo_cycle_overruns_total',
    help: 'Detection cycles that took longer than the detection interval.',
    registers,
  });
  const cycleLastSuccess = new Gauge({
    name: 'seismo_cycle_last_success_timestamp_seconds',
    help: 'Unix time the last detection cycle completed; 0 before the first.',
    registers,
  });
  const prometheusQueries = new Counter({
    name: 'seismo_prometheus_queries_total',
    help: 'PromQL queries sent to Prometheus (instant and range), retries not counted separately.',
    registers,
  });
  const prometheusQueryErrors = new Counter({
    name: 'seismo_prometheus_query_errors_total',
    help: 'PromQL queries that failed, by the kind of their final error.',
    labelNames: ['kind'] as const,
    registers,
  });
  for (const kind of QUERY_ERROR_KINDS) {
    prometheusQueryErrors.inc({ kind }, 0);
  }
  const inferenceDuration = new Histogram({
    name: 'seismo_inference_duration_seconds',
    help: 'Wall time of one batched model inference.',
    buckets: INFERENCE_BUCKETS,
    registers,
  });
  const configReloads = new Counter({
    name: 'seismo_config_reload_total',
    help: 'Config reload attempts by result; a failed reload keeps the running config.',
    labelNames: ['result'] as const,
    registers,
  });
  configReloads.inc({ result: 'success' }, 0);
  configReloads.inc({ result: 'failure' }, 0);
  const configLastReloadSuccess = new Gauge({
    name: 'seismo_config_last_reload_success',
    help: 'Whether the last config reload attempt succeeded (1) or was refused (0).',
    registers,
  });
  configLastReloadSuccess.set(1);
  const configLastReloadSuccessTimestamp = new Gauge({
    name: 'seismo_config_last_reload_success_timestamp_seconds',
    help: 'Unix time of the last successful config load or reload.',
    registers,
  });

  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'seismo_' });
  }

  return {
    registry,
    buildInfo,
    cycleDuration,
    cycleOverruns,
    cycleLastSuccess,
    prometheusQueries,
    prometheusQueryErrors,
    inferenceDuration,
    configReloads,
    configLastReloadSuccess,
    configLastReloadSuccessTimestamp,
    recordQuery(outcome: string): void {
      prometheusQueries.inc();
      if (outcome !== 'ok') {
        prometheusQueryErrors.inc({ kind: outcome });
      }
    },
  };
}
