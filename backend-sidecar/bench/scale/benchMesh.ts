/**
 * The mesh of the sidecar-at-scale benchmark: N services named like the detection benchmark's
 * synthetic mesh (`svc-00001` ...), each calling two others, so 2N call edges. Their telemetry
 * is served as recording-rule style series, one per service (or edge) and canonical signal,
 * which is what large deployments precompute instead of querying raw histograms every cycle;
 * BENCH_PRESET_YAML is the preset file that reads them.
 */
import { SYNTHETIC_SERVICE_SIGNALS } from '../../src/detectors/bench/syntheticMesh.js';

/** Namespace every benchmark service is in. */
export const BENCH_NAMESPACE = 'bench';

/** The twelve service signals of the default model, as the synthetic mesh produces them. */
export const SERVICE_SIGNALS = SYNTHETIC_SERVICE_SIGNALS;

export const EDGE_SIGNALS = ['request_rate', 'error_ratio', 'latency_p95'] as const;

/** Metric name of a service or edge signal's recording-rule series. */
export function seriesName(scope: 'service' | 'edge', signal: string): string {
  return `${scope}:${signal}:1m`;
}

/** Service name of index i (0-based), as syntheticMesh names it. */
export function serviceName(i: number): string {
  return `svc-${String(i + 1).padStart(5, '0')}`;
}

/** The callees of service i: two others at fixed offsets. */
export function calleesOf(i: number, services: number): number[] {
  return [(i + 1) % services, (i + 7) % services].filter((j) => j !== i);
}

function signalEntries(scope: 'service' | 'edge', signals: readonly string[], by: string): string {
  return signals.map((s) => `    ${s}: { query: 'sum by (${by}) (${seriesName(scope, s)})' }`).join('\n');
}

/** Reads the benchmark's recording-rule series: one query per signal, every service or edge at once. */
export const BENCH_PRESET_YAML = `source: bench
description: Recording-rule series of the sidecar-at-scale benchmark (one series per service or edge and signal)
identity:
  query: max by (service, namespace) (${seriesName('service', 'request_rate')})
  service: service
  namespace: namespace
signals:
  service:
${signalEntries('service', SERVICE_SIGNALS, 'service')}
  edge:
${signalEntries('edge', EDGE_SIGNALS, 'client, server')}
`;
