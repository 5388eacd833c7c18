import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  BUILTIN_PRESET_NAMES,
  crossCheckEdges,
  loadBuiltinPreset,
  parsePreset,
  renderTemplate,
  TelemetryReader,
  type SourceReading,
} from '../src/adapters/index.js';
import { buildCallGraph } from '../src/callgraph/index.js';
import { PrometheusClient, PrometheusError } from '../src/prometheus/index.js';
import { loadPrometheusHarness, prometheusAvailable, type RunningPrometheus } from './adaptersDemoHarness.js';

/**
 * Every built-in template is run through Prometheus' own parser and engine (a real Prometheus
 * started by the demo harness), and the presets whose sources the demo mesh does not emit (Tempo
 * service graphs, cAdvisor with kube-state-metrics, coroot-node-agent) are checked for values on
 * a synthetic exposition whose true rates are known.
 */

type Labels = Record<string, string>;
interface FixtureSeries {
  name: string;
  labels: Labels;
  /** Value at `t` seconds after the fixture started. */
  value: (t: number) => number;
}

const counter = (name: string, labels: Labels, perSecond: number): FixtureSeries => ({
  name,
  labels,
  value: (t) => perSecond * t,
});
const gauge = (name: string, labels: Labels, value: number): FixtureSeries => ({ name, labels, value: () => value });
/** A classic histogram whose observations (perSecond of them) all fall in the bucket ending at `into`. */
const histogram = (
  name: string,
  labels: Labels,
  perSecond: number,
  bounds: number[],
  into: number
): FixtureSeries[] => [
  ...[...bounds, Number.POSITIVE_INFINITY].map((le) => ({
    name: `${name}_bucket`,
    labels: { ...labels, le: le === Number.POSITIVE_INFINITY ? '+Inf' : String(le) },
    value: (t: number) => (le >= into ? perSecond * t : 0),
  })),
  counter(`${name}_count`, labels, perSecond),
  counter(`${name}_sum`, labels, perSecond * into),
];

const NS = 'shop';
const FRONTEND_CONTAINER = `/k8s/${NS}/frontend-6c8d9b7f5d-k2x9p/frontend`;
const CART_PODS = ['cart-7d9f8b6c5d-x2k4p', 'cart-7d9f8b6c5d-q8w2z'];
const SECONDS = [0.05, 0.1, 0.25, 0.5, 1];

const FIXTURE: FixtureSeries[] = [
  // Tempo metrics-generator service graph, plus an OBI series of the same name that the tempo
  // preset must leave alone (and the obi preset must pick up).
  counter('traces_service_graph_request_total', { client: 'frontend', server: 'cart' }, 4),
  counter('traces_service_graph_request_failed_total', { client: 'frontend', server: 'cart' }, 1),
  ...histogram('traces_service_graph_request_server_seconds', { client: 'frontend', server: 'cart' }, 4, SECONDS, 0.1),
  ...histogram('traces_service_graph_request_client_seconds', { client: 'frontend', server: 'cart' }, 4, SECONDS, 0.25),
  counter('traces_service_graph_request_total', { client: 'user', server: 'frontend' }, 2),
  ...histogram('traces_service_graph_request_server_seconds', { client: 'user', server: 'frontend' }, 2, SECONDS, 0.5),
  counter(
    'traces_service_graph_request_total',
    { client: 'frontend', server: 'cart', source: 'obi', server_service_namespace: NS },
    100
  ),

  // cAdvisor: two cart replicas, a StatefulSet pod, an unowned pod, and series that must not count.
  ...CART_PODS.flatMap((pod) => [
    counter('container_cpu_usage_seconds_total', { namespace: NS, pod, container: 'cart', cpu: 'total' }, 0.25),
    counter('container_cpu_usage_seconds_total', { namespace: NS, pod, container: 'POD', cpu: 'total' }, 5),
    counter('container_cpu_usage_seconds_total', { namespace: NS, pod, container: '', cpu: 'total' }, 9),
    gauge('container_memory_working_set_bytes', { namespace: NS, pod, container: 'cart' }, 100 * 2 ** 20),
    counter('container_network_receive_bytes_total', { namespace: NS, pod, interface: 'eth0' }, 1000),
    counter('container_network_receive_bytes_total', { namespace: NS, pod, interface: 'lo' }, 999_999),
    counter('container_network_transmit_bytes_total', { namespace: NS, pod, interface: 'eth0' }, 3000),
    gauge(
      'kube_pod_owner',
      { namespace: NS, pod, owner_kind: 'ReplicaSet', owner_name: 'cart-7d9f8b6c5d', owner_is_controller: 'true' },
      1
    ),
  ]),
  gauge(
    'kube_replicaset_owner',
    {
      namespace: NS,
      replicaset: 'cart-7d9f8b6c5d',
      owner_kind: 'Deployment',
      owner_name: 'cart',
      owner_is_controller: 'true',
    },
    1
  ),
  counter(
    'container_cpu_usage_seconds_total',
    { namespace: NS, pod: 'redis-0', container: 'redis', cpu: 'total' },
    0.1
  ),
  gauge('container_memory_working_set_bytes', { namespace: NS, pod: 'redis-0', container: 'redis' }, 50 * 2 ** 20),
  gauge(
    'kube_pod_owner',
    { namespace: NS, pod: 'redis-0', owner_kind: 'StatefulSet', owner_name: 'redis', owner_is_controller: 'true' },
    1
  ),
  counter('container_cpu_usage_seconds_total', { namespace: NS, pod: 'orphan', container: 'orphan', cpu: 'total' }, 1),
  counter('container_cpu_usage_seconds_total', { namespace: 'other', pod: 'x-0', container: 'x', cpu: 'total' }, 2),
  gauge(
    'kube_pod_owner',
    { namespace: 'other', pod: 'x-0', owner_kind: 'StatefulSet', owner_name: 'x', owner_is_controller: 'true' },
    1
  ),

  // coroot-node-agent: frontend calls the cart Service (ClusterIP 10.96.0.20) over HTTP.
  ...[
    ['2xx', 3],
    ['5xx', 1],
  ].map(([status, rate]) =>
    counter(
      'container_http_requests_total',
      {
        container_id: FRONTEND_CONTAINER,
        destination: '10.96.0.20:8080',
        actual_destination: '10.1.0.5:8080',
        status: String(status),
      },
      Number(rate)
    )
  ),
  ...histogram(
    'container_http_requests_duration_seconds_total',
    { container_id: FRONTEND_CONTAINER, destination: '10.96.0.20:8080', actual_destination: '10.1.0.5:8080' },
    4,
    SECONDS,
    0.25
  ),
  counter(
    'container_net_tcp_successful_connects_total',
    { container_id: FRONTEND_CONTAINER, destination: '10.96.0.20:8080', actual_destination: '10.1.0.5:8080' },
    0.6
  ),
  counter(
    'container_net_tcp_failed_connects_total',
    { container_id: FRONTEND_CONTAINER, destination: '10.96.0.20:8080' },
    0.2
  ),
  counter(
    'container_net_tcp_retransmits_total',
    { container_id: FRONTEND_CONTAINER, destination: '10.96.0.20:8080', actual_destination: '10.1.0.5:8080' },
    0.3
  ),
  gauge('container_net_latency_seconds', { container_id: FRONTEND_CONTAINER, destination_ip: '10.1.0.5' }, 0.002),
  counter('container_resources_cpu_usage_seconds_total', { container_id: FRONTEND_CONTAINER }, 0.3),
  counter(
    'container_resources_cpu_usage_seconds_total',
    { container_id: '/k8s/kube-system/node-agent-np9pk/agent' },
    0.05
  ),
  counter('container_resources_cpu_usage_seconds_total', { container_id: `/k8s/${NS}/redis-0/redis` }, 0.1),
  counter('container_resources_cpu_usage_seconds_total', { container_id: '/system.slice/sshd.service' }, 0.01),
  gauge('kube_service_info', { namespace: NS, service: 'cart', cluster_ip: '10.96.0.20', uid: 'u1' }, 1),
  gauge('kube_service_info', { namespace: NS, service: 'headless', cluster_ip: 'None', uid: 'u2' }, 1),
  gauge(
    'kube_pod_info',
    {
      namespace: NS,
      pod: CART_PODS[0] as string,
      pod_ip: '10.1.0.5',
      host_ip: '192.168.0.2',
      node: 'n1',
      created_by_kind: 'ReplicaSet',
      created_by_name: 'cart-7d9f8b6c5d',
      host_network: 'false',
      uid: 'p1',
    },
    1
  ),
  gauge('kube_pod_status_phase', { namespace: NS, pod: CART_PODS[0] as string, phase: 'Running', uid: 'p1' }, 1),
  gauge('kube_pod_status_phase', { namespace: NS, pod: CART_PODS[0] as string, phase: 'Pending', uid: 'p1' }, 0),
];

function exposition(elapsedSeconds: number): string {
  const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
  return (
    FIXTURE.map((s) => {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escape(v)}"`)
        .join(',');
      return `${s.name}{${labels}} ${s.value(elapsedSeconds)}`;
    }).join('\n') + '\n'
  );
}

const available = await prometheusAvailable();

describe(
  'presets against a real Prometheus',
  { skip: available ? false : 'the prometheus binary is not installed' },
  () => {
    let server: http.Server;
    let prom: RunningPrometheus | undefined;
    let client: PrometheusClient;
    const started = Date.now();

    before(async () => {
      server = http.createServer((req, res) => {
        res
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
          .end(exposition((Date.now() - started) / 1000));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      const { startPrometheus } = await loadPrometheusHarness();
      prom = await startPrometheus({
        scrapeTargets: [{ job: 'fixture', targets: [`127.0.0.1:${port}`] }],
        scrapeIntervalSeconds: 1,
      });
      client = new PrometheusClient({ url: prom.url, retry: { maxAttempts: 2 } });
    });

    after(async () => {
      await client?.close();
      await prom?.stop();
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    });

    test('a malformed template is rejected by this Prometheus (the check below has teeth)', async () => {
      const broken = parsePreset(
        'source: x\nsignals:\n  service:\n    request_rate:\n      query: sum by (service) (rate(x[${window}]) +)\n',
        'x.yaml'
      );
      await assert.rejects(
        client.query(renderTemplate(broken.signals[0]!, { windowSeconds: 5 })),
        (e: unknown) =>
          e instanceof PrometheusError && e.kind === 'query' && e.status === 400 && e.errorType === 'bad_data'
      );
    });

    for (const name of BUILTIN_PRESET_NAMES) {
      test(`every ${name} template parses and evaluates, with and without a namespace filter`, async () => {
        const now = Date.now() / 1000;
        for (const signal of loadBuiltinPreset(name).signals) {
          for (const namespaces of [[], [NS, 'a.b']]) {
            const promql = renderTemplate(signal, { windowSeconds: 5, namespaces });
            try {
              await client.query(promql, now);
              await client.queryRange(promql, now - 10, now, 1);
            } catch (error) {
              assert.fail(`${name} ${signal.scope}.${signal.name}: ${(error as Error).message}`);
            }
          }
        }
        const identity = loadBuiltinPreset(name).identity;
        if (identity !== undefined) {
          const promql = renderTemplate(
            { query: identity.query, namespaceLabel: identity.selectorLabel },
            { windowSeconds: 5 }
          );
          try {
            await client.query(promql, now);
          } catch (error) {
            assert.fail(`${name} identity: ${(error as Error).message}`);
          }
        }
      });
    }

    describe('values on a synthetic exposition', () => {
      let sources: Map<string, SourceReading>;
      let reader: TelemetryReader;
      let range: { start: number; end: number; step: number };

      before(async () => {
        // Ten seconds of 1-second scrapes: enough for 5-second rate windows over the read range.
        await prom!.waitFor('count_over_time(kube_replicaset_owner[20s])', (v) => (v[0]?.value ?? 0) >= 10, 40_000);
        reader = new TelemetryReader({
          client,
          presets: ['tempo-servicegraph', 'obi', 'kubernetes', 'coroot-node-agent'].map(loadBuiltinPreset),
          windowSeconds: 5,
        });
        const end = Math.floor(Date.now() / 1000) - 1;
        range = { start: end - 3, end, step: 1 };
        const reading = await reader.read(range);
        sources = new Map(reading.sources.map((s) => [s.source, s]));
      });

      const near = (actual: number | undefined, expected: number, what: string, tolerance = 0.05): void => {
        assert.ok(actual !== undefined && Number.isFinite(actual), `${what}: no value`);
        assert.ok(
          Math.abs(actual - expected) <= tolerance * Math.abs(expected),
          `${what}: ${actual}, expected ≈ ${expected}`
        );
      };
      const lastOf = (
        s: SourceReading | undefined,
        kind: 'service' | 'edge',
        id: string,
        signal: string
      ): number | undefined => {
        const series = kind === 'service' ? s?.services.get(id)?.get(signal) : s?.edges.get(id)?.signals.get(signal);
        const values = series?.values.filter((_, i) => !series.missing[i]);
        return values?.[values.length - 1];
      };

      test('tempo-servicegraph: edges and per-service signals, OBI series excluded', () => {
        const tempo = sources.get('tempo-servicegraph');
        near(lastOf(tempo, 'edge', 'frontend->cart', 'request_rate'), 4, 'edge rate');
        near(lastOf(tempo, 'edge', 'frontend->cart', 'error_ratio'), 0.25, 'edge error ratio');
        // Client-side histogram preferred: all observations in (0.1, 0.25] → p95 = 0.1 + 0.95 × 0.15.
        near(lastOf(tempo, 'edge', 'frontend->cart', 'latency_p95'), 0.2425, 'edge p95');
        // No client-side histogram for the virtual caller: the server side (0.25, 0.5] is used.
        near(lastOf(tempo, 'edge', 'user->frontend', 'latency_p95'), 0.4875, 'virtual-caller p95');
        near(lastOf(tempo, 'service', 'cart', 'request_rate'), 4, 'cart inbound');
        near(lastOf(tempo, 'service', 'cart', 'latency_p95'), 0.0975, 'cart server-side p95');
        near(lastOf(tempo, 'service', 'frontend', 'request_rate'), 2, 'frontend inbound');
        near(lastOf(tempo, 'service', 'frontend', 'outbound_request_rate'), 4, 'frontend outbound');
        near(lastOf(tempo, 'service', 'frontend', 'outbound_error_ratio'), 0.25, 'frontend outbound errors');
        near(
          lastOf(sources.get('obi'), 'edge', 'frontend->cart', 'request_rate'),
          100,
          'obi reads only its own series'
        );
        assert.equal(
          lastOf(sources.get('obi'), 'edge', 'frontend->cart', 'error_ratio'),
          0,
          'no failures counted: ratio 0, not missing'
        );
      });

      test('kubernetes: containers summed per owning workload, pause and pod cgroups excluded', () => {
        const k8s = sources.get('kubernetes');
        near(lastOf(k8s, 'service', 'cart', 'cpu_usage'), 0.5, 'cart cpu');
        near(lastOf(k8s, 'service', 'redis', 'cpu_usage'), 0.1, 'redis cpu');
        near(lastOf(k8s, 'service', 'cart', 'memory_working_set'), 200 * 2 ** 20, 'cart memory', 0);
        near(lastOf(k8s, 'service', 'redis', 'memory_working_set'), 50 * 2 ** 20, 'redis memory', 0);
        near(lastOf(k8s, 'service', 'cart', 'network_receive_rate'), 2000, 'cart rx (loopback excluded)');
        near(lastOf(k8s, 'service', 'cart', 'network_transmit_rate'), 6000, 'cart tx');
        assert.deepEqual(k8s?.coverage.services, ['cart', 'redis', 'x'], 'the unowned pod is not guessed');
      });

      test('kubernetes: the namespace filter keeps one namespace', async () => {
        const filtered = new TelemetryReader({
          client,
          presets: [loadBuiltinPreset('kubernetes')],
          windowSeconds: 5,
          namespaces: [NS],
        });
        const reading = await filtered.read(range);
        assert.deepEqual(reading.sources[0]?.coverage.services, ['cart', 'redis']);
      });

      test('coroot-node-agent: callers from container ids, callees from Service IPs, TCP health', () => {
        const coroot = sources.get('coroot-node-agent');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'request_rate'), 4, 'edge rate');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'error_ratio'), 0.25, 'edge error ratio');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'latency_p95'), 0.2425, 'edge p95');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'tcp_connect_rate'), 0.6, 'connects');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'tcp_connect_failure_ratio'), 0.25, 'failed connects');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'tcp_retransmit_rate'), 0.3, 'retransmits');
        near(lastOf(coroot, 'edge', 'frontend->cart', 'network_rtt'), 0.002, 'rtt', 0);
        near(lastOf(coroot, 'service', 'frontend', 'outbound_request_rate'), 4, 'outbound rate');
        near(lastOf(coroot, 'service', 'frontend', 'cpu_usage'), 0.3, 'frontend cpu');
        near(lastOf(coroot, 'service', 'node-agent', 'cpu_usage'), 0.05, 'daemonset cpu');
        near(lastOf(coroot, 'service', 'redis', 'cpu_usage'), 0.1, 'statefulset cpu');
        const extras = coroot?.coverage.signals.filter((c) => !c.canonical).map((c) => [c.signal, c.status, c.unit]);
        assert.deepEqual(extras, [
          ['tcp_connect_rate', 'ok', 'connections/second'],
          ['tcp_connect_failure_ratio', 'ok', 'ratio (0-1)'],
          ['tcp_retransmit_rate', 'ok', 'segments/second'],
          ['network_rtt', 'ok', 'seconds'],
        ]);
      });

      test('several edge sources are cross-checked, and the call graph takes one per edge', async () => {
        const reading = await reader.read(range);
        const check = crossCheckEdges(reading);
        assert.deepEqual(check.sources, ['tempo-servicegraph', 'obi', 'coroot-node-agent']);
        const edge = check.edges.find((e) => e.id === 'frontend->cart')!;
        // Tempo and coroot agree on 4/s; the OBI series says 100/s: a disagreement, not a sum.
        assert.equal(edge.status, 'disagree');
        assert.deepEqual(
          edge.sources.map((s) => s.source),
          ['tempo-servicegraph', 'obi', 'coroot-node-agent']
        );
        assert.equal(edge.chosen.source, 'tempo-servicegraph');
        const graph = buildCallGraph(reading, { crossCheckResult: check });
        const drawn = graph.edges.find((e) => e.id === 'frontend->cart')!;
        near(drawn.meanRate, 4, 'drawn edge rate');
        assert.equal(graph.nodes.find((n) => n.id === 'user')?.kind, 'unknown');
      });
    });
  }
);
