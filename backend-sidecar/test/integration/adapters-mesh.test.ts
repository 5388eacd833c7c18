import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { crossCheckEdges, loadBuiltinPreset, TelemetryReader, type SourceReading } from '../../src/adapters/index.js';
import { buildCallGraph } from '../../src/callgraph/index.js';
import { PrometheusClient } from '../../src/prometheus/index.js';
import {
  loadMeshModules,
  loadPrometheusHarness,
  prometheusAvailable,
  type LoadGenerator,
  type RunningMesh,
  type RunningPrometheus,
} from '../adaptersDemoHarness.js';

const available = await prometheusAvailable();

/**
 * The demo mesh (Online Boutique) emits real Istio, OBI and cAdvisor metrics under light load;
 * a real Prometheus scrapes them every second. The istio and obi presets must each produce
 * request rate, error ratio and latency for every service that receives traffic, the call graph
 * must be exactly the topology's call edges, and the two sources must agree on every edge they
 * share. A small kube-state-metrics stand-in (pod → ReplicaSet → Deployment, derived from the
 * mesh's own cAdvisor series) lets the kubernetes preset attribute CPU and memory too. Half of
 * the frontend's ad requests are aborted from the start, so error ratios are exercised as well:
 * both sources must see about half of that edge failing, and nothing else failing.
 */
test(
  'istio, obi and kubernetes presets read the demo mesh; call graph and cross-check match the topology',
  { timeout: 120_000, skip: available ? false : 'the prometheus binary is not installed' },
  async (t) => {
    const demo = await loadMeshModules();
    const { startPrometheus } = await loadPrometheusHarness();
    const topology = demo.loadTopology(demo.topologyPath('online-boutique'));

    let mesh: RunningMesh | undefined;
    let prom: RunningPrometheus | undefined;
    let load: LoadGenerator | undefined;
    let loadDone: Promise<unknown> | undefined;
    let kubeState: http.Server | undefined;
    let client: PrometheusClient | undefined;
    // Teardown in dependency order, also when an assertion fails.
    t.after(async () => {
      load?.stop();
      await loadDone;
      await mesh?.stop();
      await client?.close();
      await prom?.stop();
      await new Promise<void>((resolve) => (kubeState ? kubeState.close(() => resolve()) : resolve()));
    });

    mesh = await demo.startMesh({ topology, seed: 11, callTimeoutMs: 2000 });
    const memory = mesh.registry.getSingleMetric('container_memory_working_set_bytes');
    assert.ok(memory, 'the mesh exports cAdvisor metrics');
    const pods = (await memory.get()).values.map((v) => v.labels as Record<string, string>);
    const kubeStateText = pods
      .flatMap(({ namespace, pod, container }) => {
        const replicaset = (pod as string).replace(/-[^-]+$/, '');
        return [
          `kube_pod_owner{namespace="${namespace}",pod="${pod}",owner_kind="ReplicaSet",owner_name="${replicaset}",owner_is_controller="true"} 1`,
          `kube_replicaset_owner{namespace="${namespace}",replicaset="${replicaset}",owner_kind="Deployment",owner_name="${container}",owner_is_controller="true"} 1`,
        ];
      })
      .join('\n');
    kubeState = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${kubeStateText}\n`)
    );
    await new Promise<void>((resolve) => kubeState!.listen(0, '127.0.0.1', resolve));

    prom = await startPrometheus({
      scrapeTargets: [
        { job: 'mesh', targets: [new URL(mesh.metricsUrl).host] },
        { job: 'kube-state-metrics', targets: [`127.0.0.1:${(kubeState.address() as AddressInfo).port}`] },
      ],
      scrapeIntervalSeconds: 1,
    });
    client = new PrometheusClient({ url: prom.url });

    const fault = await fetch(`${mesh.controlUrl}/faults`, {
      method: 'POST',
      body: JSON.stringify({
        id: 'half-the-ads',
        type: 'abort',
        edge: { client: 'frontend', server: 'adservice' },
        httpStatus: 503,
        percentage: 50,
      }),
    });
    assert.equal(fault.status, 201, await fault.text());

    const runningMesh = mesh;
    load = new demo.LoadGenerator({
      profile: demo.createProfile({ kind: 'steady', rps: 15 }),
      entrypoints: topology.entrypoints,
      seed: 11,
      durationSeconds: 90,
      send: (entry, signal) => runningMesh.send(entry, signal),
    });
    loadDone = load.run();

    const expected = demo
      .callEdges(topology, demo.LOAD_GENERATOR_WORKLOAD)
      .map((e) => `${e.client}->${e.server}`)
      .sort();
    const services = [...topology.services.keys()].sort();
    await prom.waitForTargetsUp(20_000);
    // Every call edge has been scraped, and there are 15 seconds of history for the rate window.
    await prom.waitFor(
      'count(count by (source_workload, destination_workload) (istio_requests_total{reporter="source"}))',
      (v) => (v[0]?.value ?? 0) >= expected.length,
      30_000
    );
    await prom.waitFor('count_over_time(up{job="mesh"}[40s])', (v) => (v[0]?.value ?? 0) >= 16, 40_000);

    const presets = ['istio', 'obi', 'kubernetes'].map(loadBuiltinPreset);
    const reader = new TelemetryReader({ client, presets, windowSeconds: 15 });
    const end = Math.floor(Date.now() / 1000) - 1;
    const reading = await reader.read({ start: end - 5, end, step: 1 });
    assert.equal(
      reading.queries,
      presets.reduce((n, p) => n + p.signals.length, 0),
      'one query per source and signal'
    );
    const bySource = new Map(reading.sources.map((s) => [s.source, s]));

    const latest = (s: SourceReading, service: string, signal: string): number | undefined => {
      const series = s.services.get(service)?.get(signal);
      const values = series?.values.filter((_, i) => !series.missing[i]) ?? [];
      return values[values.length - 1];
    };

    for (const name of ['istio', 'obi']) {
      const source = bySource.get(name)!;
      assert.equal(
        source.coverage.signalsFailed,
        0,
        `${name}: ${JSON.stringify(source.coverage.signals.filter((c) => c.error))}`
      );
      for (const service of services) {
        const rate = latest(source, service, 'request_rate');
        const errors = latest(source, service, 'error_ratio');
        const p95 = latest(source, service, 'latency_p95');
        assert.ok(rate !== undefined && rate > 0, `${name} ${service}: request rate ${rate}`);
        assert.ok(errors !== undefined && errors >= 0 && errors <= 1, `${name} ${service}: error ratio ${errors}`);
        assert.ok(p95 !== undefined && p95 > 0 && p95 < 5, `${name} ${service}: p95 ${p95} s`);
      }
      // Callers have outbound signals too; leaves (no downstream calls) do not.
      for (const caller of ['frontend', 'checkoutservice', 'cartservice', 'recommendationservice']) {
        assert.ok((latest(source, caller, 'outbound_request_rate') ?? 0) > 0, `${name} ${caller}: outbound rate`);
      }

      // Each source alone sees exactly the topology's edges.
      const alone = buildCallGraph(
        { ...reading, sources: [source] },
        { externalClients: [demo.LOAD_GENERATOR_WORKLOAD] }
      );
      assert.deepEqual(
        alone.edges.map((e) => e.id),
        expected,
        `${name} call graph`
      );
    }

    // Both sources together: one graph, each edge once, the load generator explicit.
    const check = crossCheckEdges(reading);
    assert.deepEqual(check.sources, ['istio', 'obi'], 'kubernetes has no edges and is not a party to the check');
    const graph = buildCallGraph(reading, { crossCheckResult: check, externalClients: [demo.LOAD_GENERATOR_WORKLOAD] });
    assert.deepEqual(
      graph.edges.map((e) => e.id),
      expected
    );
    assert.deepEqual(graph.idleEdges, []);
    assert.deepEqual(
      graph.nodes.map((n) => `${n.id}:${n.kind}`),
      [...services.map((s) => `${s}:service`), `${demo.LOAD_GENERATOR_WORKLOAD}:external`].sort()
    );
    assert.deepEqual(
      graph.edges.filter((e) => e.fromOutside).map((e) => e.id),
      [`${demo.LOAD_GENERATOR_WORKLOAD}->frontend`]
    );
    assert.ok(
      graph.nodes.find((n) => n.id === 'redis-cart')?.isServer &&
        !graph.nodes.find((n) => n.id === 'redis-cart')?.isClient
    );

    const edgeLatest = (s: SourceReading, id: string, signal: string): number | undefined => {
      const series = s.edges.get(id)?.signals.get(signal);
      const values = series?.values.filter((_, i) => !series.missing[i]) ?? [];
      return values[values.length - 1];
    };
    for (const name of ['istio', 'obi']) {
      const source = bySource.get(name)!;
      for (const id of expected) {
        const ratio = edgeLatest(source, id, 'error_ratio');
        if (id === 'frontend->adservice') {
          assert.ok(ratio !== undefined && ratio > 0.3 && ratio < 0.7, `${name} ${id}: error ratio ${ratio}`);
        } else {
          assert.equal(ratio, 0, `${name} ${id}: error ratio`);
        }
        assert.ok((edgeLatest(source, id, 'latency_p95') ?? 0) > 0, `${name} ${id}: p95`);
      }
      // The frontend tolerates a missing ad: its own answers stay healthy, its calls do not.
      assert.equal(latest(source, 'frontend', 'error_ratio'), 0, `${name} frontend errors`);
      assert.ok((latest(source, 'frontend', 'outbound_error_ratio') ?? 0) > 0, `${name} frontend outbound errors`);
    }

    assert.equal(check.summary.shared, expected.length);
    assert.deepEqual(check.summary.onlyIn, { istio: [], obi: [] });
    for (const edge of check.edges) {
      assert.equal(
        edge.status,
        'agree',
        `${edge.id}: ${JSON.stringify(edge.sources)} diff ${edge.rateRelativeDifference}`
      );
      assert.ok((edge.rateRelativeDifference ?? 1) < 0.2);
      assert.equal(edge.chosen.source, 'istio');
      assert.ok(
        (edge.errorRatioDifference ?? 1) < 0.15,
        `${edge.id}: error ratio difference ${edge.errorRatioDifference}`
      );
    }

    // cAdvisor attributed through the kube-state-metrics stand-in.
    const k8s = bySource.get('kubernetes')!;
    assert.deepEqual(k8s.coverage.services, services);
    for (const service of services) {
      assert.ok((latest(k8s, service, 'cpu_usage') ?? -1) >= 0, `${service} cpu`);
      assert.ok((latest(k8s, service, 'memory_working_set') ?? 0) > 0, `${service} memory`);
    }
    assert.ok((latest(k8s, 'frontend', 'cpu_usage') ?? 0) > 0, 'the busiest service burns measurable CPU');
  }
);
