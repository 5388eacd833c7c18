import { Counter, Histogram, type Registry } from 'prom-client';
import type { CallRecord, TelemetrySink } from './TelemetrySink.js';
import type { Workload, WorkloadDirectory } from './WorkloadDirectory.js';

/**
 * Metrics of OpenTelemetry eBPF Instrumentation (OBI, formerly Grafana Beyla) in its Prometheus
 * export, as its "exported metrics" reference and exporter define them:
 *
 * - http_server_request_duration_seconds / http_client_request_duration_seconds histograms with
 *   http_request_method, http_response_status_code, http_route, service_name, service_namespace,
 *   target_instance and the Kubernetes metadata labels (k8s_namespace_name, k8s_deployment_name,
 *   k8s_pod_name, k8s_container_name). Client histograms also carry server_address (hidden by
 *   default upstream; enabled here because it names the called service, which edge-level
 *   analysis needs).
 * - service graph metrics traces_service_graph_request_total, _failed_total, _server_seconds,
 *   _client_seconds with client, client_service_namespace, server, server_service_namespace and
 *   source ("obi").
 *
 * Buckets are OBI's defaults (OpenTelemetry semantic conventions): 0 ... 10 s.
 *
 * Service graph counting follows the Tempo service-graph model OBI emulates: one count per call.
 * A call between two instrumented services is counted when the caller's side completes (so a call
 * to a dead server still counts, and fails); a call from an uninstrumented client such as the
 * load generator is counted by the server. A call fails on the client side at HTTP >= 400 or a
 * transport error, on the server side at HTTP >= 500, as OBI marks span status.
 */
export const OBI_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

const HTTP_LABELS = [
  'http_request_method',
  'http_response_status_code',
  'http_route',
  'service_name',
  'service_namespace',
  'target_instance',
  'k8s_namespace_name',
  'k8s_deployment_name',
  'k8s_pod_name',
  'k8s_container_name',
] as const;
const CLIENT_LABELS = [...HTTP_LABELS, 'server_address'] as const;
const GRAPH_LABELS = ['client', 'client_service_namespace', 'server', 'server_service_namespace', 'source'] as const;

export interface ObiSinkOptions {
  /** Value of the service-graph `source` label: "obi" for OpenTelemetry eBPF Instrumentation, "beyla" for Grafana Beyla. */
  source?: string;
}

export function createObiSink(
  registry: Registry,
  directory: WorkloadDirectory,
  options: ObiSinkOptions = {}
): TelemetrySink {
  const registers = [registry];
  const buckets = [...OBI_DURATION_BUCKETS];
  const serverDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'duration of HTTP service calls from the server side, in seconds',
    labelNames: [...HTTP_LABELS],
    buckets,
    registers,
  });
  const clientDuration = new Histogram({
    name: 'http_client_request_duration_seconds',
    help: 'duration of HTTP service calls from the client side, in seconds',
    labelNames: [...CLIENT_LABELS],
    buckets,
    registers,
  });
  const graphTotal = new Counter({
    name: 'traces_service_graph_request_total',
    help: 'number of service calls in trace service graph metrics format',
    labelNames: [...GRAPH_LABELS],
    registers,
  });
  const graphFailed = new Counter({
    name: 'traces_service_graph_request_failed_total',
    help: 'number of failed service calls in trace service graph metrics format',
    labelNames: [...GRAPH_LABELS],
    registers,
  });
  const graphServer = new Histogram({
    name: 'traces_service_graph_request_server_seconds',
    help: 'duration of server service calls, in seconds, in trace service graph metrics format',
    labelNames: [...GRAPH_LABELS],
    buckets,
    registers,
  });
  const graphClient = new Histogram({
    name: 'traces_service_graph_request_client_seconds',
    help: 'duration of client service calls, in seconds, in trace service graph metrics format',
    labelNames: [...GRAPH_LABELS],
    buckets,
    registers,
  });
  const source = options.source ?? 'obi';

  const httpLabels = (w: Workload, r: CallRecord): Record<(typeof HTTP_LABELS)[number], string> => ({
    http_request_method: r.method,
    http_response_status_code: String(r.status),
    http_route: `/${r.endpoint}`,
    service_name: w.name,
    service_namespace: w.namespace,
    target_instance: w.pod,
    k8s_namespace_name: w.namespace,
    k8s_deployment_name: w.name,
    k8s_pod_name: w.pod,
    k8s_container_name: w.name,
  });
  const graphLabels = (client: Workload, server: Workload): Record<(typeof GRAPH_LABELS)[number], string> => ({
    client: client.name,
    client_service_namespace: client.namespace,
    server: server.name,
    server_service_namespace: server.namespace,
    source,
  });

  // Label sets repeat per edge, endpoint and status; cache the children to skip prom-client's hashing.
  const cache = new Map<string, unknown>();
  const cached = <T>(key: string, make: () => T): T => {
    let v = cache.get(key) as T | undefined;
    if (v === undefined) {
      v = make();
      cache.set(key, v);
    }
    return v;
  };

  return {
    clientCall(r) {
      const client = directory.get(r.client);
      if (!client.inMesh) {
        return;
      }
      const server = directory.get(r.server);
      const failed = r.status >= 400;
      const c = cached(`c|${r.client}|${r.server}|${r.endpoint}|${r.status}`, () => ({
        duration: clientDuration.labels({ ...httpLabels(client, r), server_address: server.name }),
        graphTotal: graphTotal.labels(graphLabels(client, server)),
        graphFailed: graphFailed.labels(graphLabels(client, server)),
        graphClient: graphClient.labels(graphLabels(client, server)),
      }));
      c.duration.observe(r.durationSeconds);
      c.graphClient.observe(r.durationSeconds);
      c.graphTotal.inc();
      if (failed) {
        c.graphFailed.inc();
      }
    },
    serverCall(r) {
      const server = directory.get(r.server);
      const client = directory.get(r.client);
      const c = cached(`s|${r.client}|${r.server}|${r.endpoint}|${r.status}`, () => ({
        duration: serverDuration.labels(httpLabels(server, r)),
        graphTotal: graphTotal.labels(graphLabels(client, server)),
        graphFailed: graphFailed.labels(graphLabels(client, server)),
        graphServer: graphServer.labels(graphLabels(client, server)),
      }));
      c.duration.observe(r.durationSeconds);
      c.graphServer.observe(r.durationSeconds);
      if (!client.inMesh) {
        c.graphTotal.inc();
        if (r.status >= 500) {
          c.graphFailed.inc();
        }
      }
    },
  };
}
