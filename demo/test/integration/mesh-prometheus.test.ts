import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readGroundTruth } from '../../src/faults/readGroundTruth.js';
import { createProfile, LoadGenerator } from '../../src/load/index.js';
import { startMesh } from '../../src/mesh/startMesh.js';
import { startPrometheus, type RunningPrometheus } from '../../src/prometheus/index.js';
import { loadTopology } from '../../src/topology/loadTopology.js';

/**
 * The mesh as Seismo sees it in production: real Prometheus scraping /metrics every second while
 * light load runs, faults injected through the control API. A 200 ms delay on
 * frontend -> shippingservice must show up in histogram_quantile over the Istio and the OBI
 * histograms, and an abort on frontend -> adservice in response codes and failed totals.
 */
test('injected faults show up in Prometheus queries over Istio and OBI metrics', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'seismo-mesh-prom-'));
  const groundTruthPath = join(dir, 'ground-truth.jsonl');
  const topology = loadTopology(fileURLToPath(new URL('../../topologies/online-boutique.yaml', import.meta.url)));

  let prom: RunningPrometheus | undefined;
  let load: LoadGenerator | undefined;
  let loadDone: Promise<unknown> | undefined;
  const mesh = await startMesh({ topology, seed: 21, groundTruthPath, callTimeoutMs: 2000 });
  // One teardown in dependency order, also when an assertion fails: load, mesh, Prometheus, files.
  t.after(async () => {
    load?.stop();
    await loadDone;
    await mesh.stop();
    await prom?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const metricsPort = Number(new URL(mesh.metricsUrl).port);
  prom = await startPrometheus({
    scrapeTargets: [{ job: 'mesh', targets: [`127.0.0.1:${metricsPort}`] }],
    scrapeIntervalSeconds: 1,
  });

  // Light load on the pages that use the faulted edges: the cart page asks shippingservice for a
  // quote, product pages show an ad.
  const entry = (endpoint: string, weight: number) => ({ service: 'frontend', endpoint, weight });
  load = new LoadGenerator({
    profile: createProfile({ kind: 'steady', rps: 8 }),
    entrypoints: [entry('viewCart', 3), entry('browseProduct', 2), entry('checkout', 1)],
    seed: 21,
    durationSeconds: 75,
    send: (e, signal) => mesh.send(e, signal),
  });
  loadDone = load.run();

  await prom.waitForTargetsUp(20_000);
  const shippingEdge = 'source_workload="frontend",destination_workload="shippingservice"';
  const istioP90 = `histogram_quantile(0.9, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="source",${shippingEdge}}[5s])))`;
  const graphP90 =
    'histogram_quantile(0.9, sum by (le) (rate(traces_service_graph_request_client_seconds_bucket{client="frontend",server="shippingservice"}[5s])))';
  const obiClientP90 =
    'histogram_quantile(0.9, sum by (le) (rate(http_client_request_duration_seconds_bucket{service_name="frontend",server_address="shippingservice"}[5s])))';

  // Baseline: the edge is seen and fast.
  const baseline = await prom.waitFor(istioP90, (v) => v.length === 1 && Number.isFinite(v[0]!.value), 20_000);
  assert.ok(baseline[0]!.value < 100, `baseline p90 of frontend -> shippingservice is ${baseline[0]!.value} ms`);

  const post = async (fault: object): Promise<void> => {
    const res = await fetch(`${mesh.controlUrl}/faults`, { method: 'POST', body: JSON.stringify(fault) });
    assert.equal(res.status, 201, await res.text());
  };
  await post({
    id: 'delay-shipping',
    type: 'delay',
    edge: { client: 'frontend', server: 'shippingservice' },
    delayMs: 200,
    percentage: 100,
  });
  await post({
    id: 'abort-ads',
    type: 'abort',
    edge: { client: 'frontend', server: 'adservice' },
    httpStatus: 503,
    percentage: 100,
  });
  const injectedAt = Date.now();

  const delayed = await prom.waitFor(istioP90, (v) => (v[0]?.value ?? 0) > 150, 30_000);
  assert.ok(delayed[0]!.value < 2000, `Istio p90 ${delayed[0]!.value} ms`);
  await prom.waitFor(graphP90, (v) => (v[0]?.value ?? 0) > 0.15, 30_000);
  await prom.waitFor(obiClientP90, (v) => (v[0]?.value ?? 0) > 0.15, 30_000);
  // The delay is added on the caller's side: shippingservice's own (destination) view stays fast.
  const serverSide = await prom.queryVector(
    `histogram_quantile(0.9, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination",${shippingEdge}}[5s])))`
  );
  assert.ok((serverSide[0]?.value ?? 0) < 100, `destination-reported p90 is ${serverSide[0]?.value} ms`);

  await prom.waitFor(
    'sum(rate(istio_requests_total{reporter="source",source_workload="frontend",destination_workload="adservice",response_code="503",response_flags="FI"}[5s]))',
    (v) => (v[0]?.value ?? 0) > 0,
    30_000
  );
  await prom.waitFor(
    'sum(rate(traces_service_graph_request_failed_total{client="frontend",server="adservice"}[5s]))',
    (v) => (v[0]?.value ?? 0) > 0,
    30_000
  );
  assert.ok(Date.now() - injectedAt < 30_000);

  // Ground truth while the faults are active, then after they are removed.
  const active = readGroundTruth(groundTruthPath);
  assert.deepEqual(active.map((r) => [r.id, r.end]).sort(), [
    ['abort-ads', null],
    ['delay-shipping', null],
  ]);
  for (const id of ['delay-shipping', 'abort-ads']) {
    assert.equal((await fetch(`${mesh.controlUrl}/faults/${id}`, { method: 'DELETE' })).status, 200);
  }
  const ended = readGroundTruth(groundTruthPath);
  const delay = ended.find((r) => r.id === 'delay-shipping')!;
  assert.deepEqual(delay.target, { client: 'frontend', server: 'shippingservice' });
  assert.equal(delay.delayMs, 200);
  assert.ok(delay.end !== null && Date.parse(delay.end) >= Date.parse(delay.start));
  assert.ok(Math.abs(Date.parse(delay.start) - injectedAt) < 5000);

  // Clean shutdown: load first, then the mesh; its ports are closed afterwards.
  load.stop();
  await loadDone;
  await mesh.stop();
  const closed = await new Promise<boolean>((resolve) => {
    const socket = connect(metricsPort, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
  assert.ok(closed, 'the metrics port is closed after stop()');
});
