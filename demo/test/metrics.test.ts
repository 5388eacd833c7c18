import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { describe, test, type TestContext } from 'node:test';
import { startMesh, type MeshOptions, type RunningMesh } from '../src/mesh/startMesh.js';
import { loadTopology } from '../src/topology/loadTopology.js';
import { ENVOY_DEFAULT_BUCKETS } from '../src/telemetry/createIstioSink.js';
import { OBI_DURATION_BUCKETS } from '../src/telemetry/createObiSink.js';
import { scrape, select, type Sample } from './helpers/exposition.js';
import { shopTopology } from './helpers/shopTopology.js';

async function shop(t: TestContext, options: Partial<MeshOptions> = {}): Promise<RunningMesh> {
  const mesh = await startMesh({ topology: shopTopology(), seed: 9, callTimeoutMs: 1000, ...options });
  t.after(() => mesh.stop());
  return mesh;
}

const names = (samples: Sample[]): Set<string> => new Set(samples.map((s) => s.name));
const bucketsOf = (samples: Sample[], name: string): number[] =>
  [...new Set(select(samples, `${name}_bucket`).map((s) => s.labels.le!))]
    .map((le) => (le === '+Inf' ? Infinity : Number(le)))
    .sort((a, b) => a - b);

describe('/metrics exposition', () => {
  test('Istio family: documented names, labels, both reporters, Envoy default buckets', async (t) => {
    const mesh = await shop(t, { telemetry: ['istio'] });
    await mesh.send({ service: 'frontend', endpoint: 'home' });
    const s = await scrape(mesh.metricsUrl);
    for (const n of [
      'istio_requests_total',
      'istio_request_duration_milliseconds_bucket',
      'istio_request_bytes_bucket',
      'istio_response_bytes_bucket',
    ]) {
      assert.ok(names(s).has(n), `${n} is exported`);
    }
    assert.ok(!names(s).has('http_server_request_duration_seconds_bucket'), 'OBI is off');
    assert.ok(!names(s).has('container_cpu_usage_seconds_total'), 'cAdvisor is off');
    const dest = select(s, 'istio_requests_total', { reporter: 'destination', destination_workload: 'catalog' })[0]!;
    assert.deepEqual(dest.labels, {
      reporter: 'destination',
      source_workload: 'frontend',
      source_workload_namespace: 'shop',
      source_principal: 'spiffe://cluster.local/ns/shop/sa/frontend',
      source_app: 'frontend',
      source_version: 'unknown',
      source_canonical_service: 'frontend',
      source_canonical_revision: 'latest',
      source_cluster: 'Kubernetes',
      destination_workload: 'catalog',
      destination_workload_namespace: 'shop',
      destination_principal: 'spiffe://cluster.local/ns/shop/sa/catalog',
      destination_app: 'catalog',
      destination_version: 'unknown',
      destination_service: 'catalog.shop.svc.cluster.local',
      destination_service_name: 'catalog',
      destination_service_namespace: 'shop',
      destination_canonical_service: 'catalog',
      destination_canonical_revision: 'latest',
      destination_cluster: 'Kubernetes',
      request_protocol: 'http',
      response_code: '200',
      response_flags: '-',
      connection_security_policy: 'mutual_tls',
    });
    const src = select(s, 'istio_requests_total', { reporter: 'source', source_workload: 'loadgenerator' })[0]!;
    assert.equal(src.labels.destination_workload, 'frontend');
    assert.equal(src.labels.connection_security_policy, 'unknown');
    assert.deepEqual(bucketsOf(s, 'istio_request_duration_milliseconds'), [...ENVOY_DEFAULT_BUCKETS, Infinity]);
    assert.equal(ENVOY_DEFAULT_BUCKETS[0], 0.5);
    assert.equal(ENVOY_DEFAULT_BUCKETS.at(-1), 3600000);
  });

  test('OBI family: RED histograms and service graph metrics with their documented labels', async (t) => {
    const mesh = await shop(t, { telemetry: ['obi'] });
    await mesh.send({ service: 'frontend', endpoint: 'home' });
    const s = await scrape(mesh.metricsUrl);
    assert.ok(!names(s).has('istio_requests_total'));
    for (const n of [
      'http_server_request_duration_seconds_bucket',
      'http_client_request_duration_seconds_bucket',
      'traces_service_graph_request_total',
      'traces_service_graph_request_failed_total',
      'traces_service_graph_request_server_seconds_bucket',
      'traces_service_graph_request_client_seconds_bucket',
    ]) {
      assert.ok(names(s).has(n), `${n} is exported`);
    }
    const server = select(s, 'http_server_request_duration_seconds_count', { service_name: 'catalog' })[0]!;
    assert.equal(server.labels.http_request_method, 'GET');
    assert.equal(server.labels.http_response_status_code, '200');
    assert.equal(server.labels.http_route, '/list');
    assert.equal(server.labels.service_namespace, 'shop');
    assert.equal(server.labels.k8s_deployment_name, 'catalog');
    assert.match(server.labels.k8s_pod_name!, /^catalog-/);
    const client = select(s, 'http_client_request_duration_seconds_count', {
      service_name: 'frontend',
      server_address: 'ads',
    })[0]!;
    assert.equal(client.labels.http_response_status_code, '500');
    const graph = select(s, 'traces_service_graph_request_total', { client: 'frontend', server: 'catalog' })[0]!;
    assert.deepEqual(graph.labels, {
      client: 'frontend',
      client_service_namespace: 'shop',
      server: 'catalog',
      server_service_namespace: 'shop',
      source: 'obi',
    });
    assert.equal(graph.value, 1);
    assert.equal(
      select(s, 'traces_service_graph_request_failed_total', { client: 'frontend', server: 'ads' })[0]!.value,
      1
    );
    assert.deepEqual(bucketsOf(s, 'traces_service_graph_request_server_seconds'), [...OBI_DURATION_BUCKETS, Infinity]);
    // The load generator is not instrumented: it has no client histogram, only the server's view.
    assert.equal(select(s, 'http_client_request_duration_seconds_count', { service_name: 'loadgenerator' }).length, 0);
    assert.equal(
      select(s, 'traces_service_graph_request_total', { client: 'loadgenerator', server: 'frontend' })[0]!.value,
      1
    );
  });

  test('cAdvisor family: CPU, working set and network per pod, one series per service', async (t) => {
    const mesh = await shop(t, { telemetry: ['cadvisor'] });
    await mesh.send({ service: 'frontend', endpoint: 'home' });
    const s = await scrape(mesh.metricsUrl);
    assert.ok(!names(s).has('istio_requests_total'));
    const cpu = select(s, 'container_cpu_usage_seconds_total');
    assert.equal(cpu.length, mesh.topology.services.size);
    const frontend = cpu.find((x) => x.labels.container === 'frontend')!;
    assert.equal(frontend.labels.namespace, 'shop');
    assert.equal(frontend.labels.cpu, 'total');
    assert.match(frontend.labels.pod!, /^frontend-\w{10}-\w{5}$/);
    assert.match(frontend.labels.id!, /^\/kubepods\/burstable\/pod[0-9a-f-]{36}\/[0-9a-f]{64}$/);
    assert.ok(frontend.value > 0, 'frontend burned CPU');
    assert.equal(select(s, 'container_memory_working_set_bytes', { container: 'frontend' })[0]!.value, 1048576);
    const rx = select(s, 'container_network_receive_bytes_total', { pod: frontend.labels.pod! })[0]!;
    const tx = select(s, 'container_network_transmit_bytes_total', { pod: frontend.labels.pod! })[0]!;
    assert.equal(rx.labels.interface, 'eth0');
    // frontend received the request and two responses (700 + an error body), sent 5000 bytes and two requests.
    assert.ok(rx.value > 700, `received ${rx.value}`);
    assert.ok(tx.value > 5000, `transmitted ${tx.value}`);
  });

  test('kube-state-metrics family: pod -> ReplicaSet -> Deployment owners and the workload labels', async (t) => {
    const mesh = await shop(t, { telemetry: ['cadvisor', 'kube-state-metrics'] });
    const s = await scrape(mesh.metricsUrl);
    const pod = select(s, 'container_cpu_usage_seconds_total', { container: 'frontend' })[0]!.labels.pod!;
    const owner = select(s, 'kube_pod_owner', { pod })[0]!;
    assert.equal(owner.labels.owner_kind, 'ReplicaSet');
    assert.equal(owner.labels.owner_name, pod.slice(0, pod.lastIndexOf('-')));
    const rs = select(s, 'kube_replicaset_owner', { replicaset: owner.labels.owner_name! })[0]!;
    assert.deepEqual(
      [rs.labels.owner_kind, rs.labels.owner_name, rs.labels.namespace],
      ['Deployment', 'frontend', 'shop']
    );
    assert.equal(select(s, 'kube_pod_owner').length, mesh.topology.services.size);
    const deployment = select(s, 'kube_deployment_labels', { deployment: 'frontend' })[0]!;
    assert.equal(deployment.value, 1);
    assert.equal(deployment.labels.namespace, 'shop');
  });

  test("kube-state-metrics family: the topology's service labels become label_<name>", async (t) => {
    const topology = loadTopology(fileURLToPath(new URL('../topologies/online-boutique.yaml', import.meta.url)));
    const mesh = await startMesh({ topology, telemetry: ['kube-state-metrics'] });
    t.after(() => mesh.stop());
    const s = await scrape(mesh.metricsUrl);
    const frontend = select(s, 'kube_deployment_labels', { deployment: 'frontend' })[0]!;
    assert.equal(frontend.labels.label_team, 'web');
    assert.equal(frontend.labels.label_tier, 'frontend');
    assert.equal(
      select(s, 'kube_deployment_labels', { deployment: 'paymentservice' })[0]!.labels.label_team,
      'payments'
    );
  });

  test('each mesh has its own registry: two meshes in one process do not collide', async (t) => {
    const a = await shop(t, { telemetry: ['istio'] });
    const b = await shop(t, { telemetry: ['istio'] });
    await a.send({ service: 'frontend', endpoint: 'home' });
    const sb = await scrape(b.metricsUrl);
    assert.equal(select(sb, 'istio_requests_total').length, 0);
    assert.notEqual(a.registry, b.registry);
  });
});
