import { Counter, Histogram, type Registry } from 'prom-client';
import type { CallRecord, TelemetrySink } from './TelemetrySink.js';
import type { Workload, WorkloadDirectory } from './WorkloadDirectory.js';

/**
 * Istio standard metrics, as the Envoy sidecars of both ends of a call export them (Istio
 * "Istio Standard Metrics" reference): istio_requests_total, istio_request_duration_milliseconds,
 * istio_request_bytes and istio_response_bytes, with the documented labels. Every call is reported
 * by the caller's proxy (reporter="source") and by the server's proxy (reporter="destination").
 *
 * Histogram buckets are Envoy's defaults, which Istio uses unless a pod overrides them:
 * 0.5 ms ... 1 h for durations, the same boundaries for sizes in bytes.
 */
export const ENVOY_DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
]);

export const ISTIO_LABELS = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_principal',
  'source_app',
  'source_version',
  'source_canonical_service',
  'source_canonical_revision',
  'source_cluster',
  'destination_workload',
  'destination_workload_namespace',
  'destination_principal',
  'destination_app',
  'destination_version',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'destination_canonical_service',
  'destination_canonical_revision',
  'destination_cluster',
  'request_protocol',
  'response_code',
  'response_flags',
  'connection_security_policy',
] as const;

type IstioLabel = (typeof ISTIO_LABELS)[number];

/**
 * The labels dashboards and Seismo's istio preset actually use. Large meshes export only these
 * (as operators trim Istio's labels with the Telemetry API), which roughly halves the size of
 * every scrape.
 */
export const ISTIO_LEAN_LABELS: readonly IstioLabel[] = [
  'reporter',
  'source_workload',
  'source_workload_namespace',
  'source_app',
  'destination_workload',
  'destination_workload_namespace',
  'destination_app',
  'destination_service',
  'destination_service_name',
  'destination_service_namespace',
  'request_protocol',
  'response_code',
  'response_flags',
  'connection_security_policy',
];

export interface IstioSinkOptions {
  /** Also export istio_request_bytes / istio_response_bytes (two more histograms per series). Default true. */
  byteHistograms?: boolean;
  /** Istio's cluster name label value; "Kubernetes" is Istio's default. */
  cluster?: string;
  /** "full" (default): every standard label; "lean": ISTIO_LEAN_LABELS only. */
  labelSet?: 'full' | 'lean';
}

interface Children {
  requests: Counter.Internal;
  duration: Histogram.Internal<IstioLabel>;
  requestBytes?: Histogram.Internal<IstioLabel>;
  responseBytes?: Histogram.Internal<IstioLabel>;
}

export function createIstioSink(
  registry: Registry,
  directory: WorkloadDirectory,
  options: IstioSinkOptions = {}
): TelemetrySink {
  const labelNames = options.labelSet === 'lean' ? [...ISTIO_LEAN_LABELS] : [...ISTIO_LABELS];
  const registers = [registry];
  const requests = new Counter({
    name: 'istio_requests_total',
    help: 'Requests handled by an Istio proxy.',
    labelNames,
    registers,
  });
  const duration = new Histogram({
    name: 'istio_request_duration_milliseconds',
    help: 'Duration of requests in milliseconds.',
    labelNames,
    buckets: [...ENVOY_DEFAULT_BUCKETS],
    registers,
  });
  const byteHistograms = options.byteHistograms ?? true;
  const requestBytes = byteHistograms
    ? new Histogram({
        name: 'istio_request_bytes',
        help: 'HTTP request sizes in bytes.',
        labelNames,
        buckets: [...ENVOY_DEFAULT_BUCKETS],
        registers,
      })
    : undefined;
  const responseBytes = byteHistograms
    ? new Histogram({
        name: 'istio_response_bytes',
        help: 'HTTP response sizes in bytes.',
        labelNames,
        buckets: [...ENVOY_DEFAULT_BUCKETS],
        registers,
      })
    : undefined;
  const cluster = options.cluster ?? 'Kubernetes';

  // Resolving a label set costs a sort and a hash in prom-client; a call's label set is one of a
  // few per edge, so the children are cached by a cheap key.
  const cache = new Map<string, Children>();
  const childrenFor = (reporter: 'source' | 'destination', r: CallRecord): Children => {
    const key = `${reporter}|${r.client}|${r.server}|${r.status}|${r.responseFlags}`;
    let c = cache.get(key);
    if (!c) {
      const all = istioLabels(reporter, directory.get(r.client), directory.get(r.server), r, cluster);
      const labels = Object.fromEntries(labelNames.map((n) => [n, all[n]])) as Record<IstioLabel, string>;
      c = {
        requests: requests.labels(labels),
        duration: duration.labels(labels),
        ...(requestBytes ? { requestBytes: requestBytes.labels(labels) } : {}),
        ...(responseBytes ? { responseBytes: responseBytes.labels(labels) } : {}),
      };
      cache.set(key, c);
    }
    return c;
  };
  const record = (reporter: 'source' | 'destination', r: CallRecord): void => {
    const c = childrenFor(reporter, r);
    c.requests.inc();
    c.duration.observe(r.durationSeconds * 1000);
    c.requestBytes?.observe(r.requestBytes);
    c.responseBytes?.observe(r.responseBytes);
  };
  return {
    clientCall: (r) => record('source', r),
    serverCall: (r) => record('destination', r),
  };
}

function istioLabels(
  reporter: 'source' | 'destination',
  src: Workload,
  dst: Workload,
  r: CallRecord,
  cluster: string
): Record<IstioLabel, string> {
  const principal = (w: Workload): string =>
    w.inMesh || w.name !== 'unknown' ? `spiffe://cluster.local/ns/${w.namespace}/sa/${w.name}` : 'unknown';
  const revision = (w: Workload): string => (w.version === 'unknown' ? 'latest' : w.version);
  return {
    reporter,
    source_workload: src.name,
    source_workload_namespace: src.namespace,
    source_principal: principal(src),
    source_app: src.app,
    source_version: src.version,
    source_canonical_service: src.name,
    source_canonical_revision: revision(src),
    source_cluster: src.name === 'unknown' ? 'unknown' : cluster,
    destination_workload: dst.name,
    destination_workload_namespace: dst.namespace,
    destination_principal: principal(dst),
    destination_app: dst.app,
    destination_version: dst.version,
    destination_service: `${dst.name}.${dst.namespace}.svc.cluster.local`,
    destination_service_name: dst.name,
    destination_service_namespace: dst.namespace,
    destination_canonical_service: dst.name,
    destination_canonical_revision: revision(dst),
    destination_cluster: cluster,
    request_protocol: 'http',
    response_code: String(r.status),
    response_flags: r.responseFlags,
    // Only the server's proxy knows the negotiated policy; the client's reports "unknown".
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
  };
}
