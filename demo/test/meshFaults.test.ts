import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, test, type TestContext } from 'node:test';
import type { FaultSpec } from '../src/faults/types.js';
import { startMesh, type RunningMesh } from '../src/mesh/startMesh.js';
import { eventually } from './helpers/eventually.js';
import { scrape, sumOf, type Sample } from './helpers/exposition.js';
import { shopTopology } from './helpers/shopTopology.js';

const CALL_TIMEOUT_MS = 400;

async function shop(t: TestContext): Promise<RunningMesh> {
  const mesh = await startMesh({ topology: shopTopology(), seed: 5, callTimeoutMs: CALL_TIMEOUT_MS });
  t.after(() => mesh.stop());
  return mesh;
}

/** A fault spec without timing; distributes over the union so each type keeps its own fields. */
type Untimed<T> = T extends unknown ? Omit<T, 'startSeconds' | 'durationSeconds'> : never;

const now = (fault: Untimed<FaultSpec>): FaultSpec =>
  ({ startSeconds: 0, durationSeconds: null, ...fault }) as FaultSpec;

const cpuSeconds = (s: Sample[], service: string): number =>
  sumOf(s, 'container_cpu_usage_seconds_total', { container: service });
const workingSet = (s: Sample[], service: string): number =>
  sumOf(s, 'container_memory_working_set_bytes', { container: service });

async function sendMany(
  mesh: RunningMesh,
  endpoint: string,
  n: number
): Promise<Array<{ status: number; durationMs: number }>> {
  const results = [];
  for (let i = 0; i < n; i++) {
    results.push(await mesh.send({ service: 'frontend', endpoint }));
  }
  return results;
}

describe('fault effects', () => {
  test('delay: the caller waits, the server does not see it, the source proxy flags it DI', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([
      now({ id: 'd', type: 'delay', edge: { client: 'frontend', server: 'catalog' }, delayMs: 200, percentage: 100 }),
    ]);
    const results = await sendMany(mesh, 'home', 3);
    for (const r of results) {
      assert.equal(r.status, 200);
      assert.ok(r.durationMs >= 200, `home took ${r.durationMs} ms with a 200 ms delay on frontend -> catalog`);
    }
    const s = await scrape(mesh.metricsUrl);
    const edge = { source_workload: 'frontend', destination_workload: 'catalog' };
    assert.equal(sumOf(s, 'istio_requests_total', { reporter: 'source', ...edge, response_flags: 'DI' }), 3);
    assert.ok(sumOf(s, 'istio_request_duration_milliseconds_sum', { reporter: 'source', ...edge }) >= 600);
    assert.ok(sumOf(s, 'istio_request_duration_milliseconds_sum', { reporter: 'destination', ...edge }) < 300);
    assert.ok(
      sumOf(s, 'traces_service_graph_request_client_seconds_sum', { client: 'frontend', server: 'catalog' }) >= 0.6
    );
    assert.ok(
      sumOf(s, 'http_client_request_duration_seconds_sum', { service_name: 'frontend', server_address: 'catalog' }) >=
        0.6
    );

    // The other edges of the request are untouched.
    assert.equal(
      sumOf(s, 'istio_requests_total', {
        reporter: 'source',
        source_workload: 'frontend',
        destination_workload: 'ads',
        response_flags: 'DI',
      }),
      0
    );
    mesh.faults.remove('d');
    const after = await mesh.send({ service: 'frontend', endpoint: 'home' });
    assert.ok(after.durationMs < 200, `after removal home took ${after.durationMs} ms`);
  });

  test('delay with percentage 0 affects nothing', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([
      now({ id: 'd0', type: 'delay', edge: { client: 'frontend', server: 'catalog' }, delayMs: 500, percentage: 0 }),
    ]);
    const [r] = await sendMany(mesh, 'home', 1);
    assert.ok(r!.durationMs < 500);
  });

  test('abort: the caller gets the status without reaching the server, flagged FI', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([
      now({
        id: 'a',
        type: 'abort',
        edge: { client: 'frontend', server: 'catalog' },
        httpStatus: 503,
        percentage: 100,
      }),
    ]);
    const results = await sendMany(mesh, 'home', 4);
    assert.deepEqual(
      results.map((r) => r.status),
      [500, 500, 500, 500],
      'catalog is a required call of home'
    );
    const s = await scrape(mesh.metricsUrl);
    const edge = { source_workload: 'frontend', destination_workload: 'catalog' };
    assert.equal(
      sumOf(s, 'istio_requests_total', { reporter: 'source', ...edge, response_code: '503', response_flags: 'FI' }),
      4
    );
    assert.equal(sumOf(s, 'istio_requests_total', { reporter: 'destination', ...edge }), 0);
    assert.equal(sumOf(s, 'traces_service_graph_request_failed_total', { client: 'frontend', server: 'catalog' }), 4);
    assert.equal(sumOf(s, 'traces_service_graph_request_total', { client: 'frontend', server: 'catalog' }), 4);
    assert.equal(sumOf(s, 'http_server_request_duration_seconds_count', { service_name: 'catalog' }), 0);
  });

  test('cpu: extra CPU per request and a background hog are burned for real and charged to the service', async (t) => {
    const mesh = await shop(t);
    const before = await scrape(mesh.metricsUrl);
    await sendMany(mesh, 'home', 5);
    const baseline = cpuSeconds(await scrape(mesh.metricsUrl), 'catalog') - cpuSeconds(before, 'catalog');
    assert.ok(baseline < 0.05, `5 requests at 0.1 ms each charged ${baseline} s`);

    mesh.faults.schedule([now({ id: 'c', type: 'cpu', service: 'catalog', extraCpuMsPerRequest: 20, hogCores: 0 })]);
    const start = cpuSeconds(await scrape(mesh.metricsUrl), 'catalog');
    await sendMany(mesh, 'home', 5);
    const perRequest = cpuSeconds(await scrape(mesh.metricsUrl), 'catalog') - start;
    assert.ok(perRequest >= 0.09, `5 requests with 20 ms extra CPU charged ${perRequest} s`);
    assert.ok(cpuSeconds(await scrape(mesh.metricsUrl), 'cart') < 0.05, 'other services are not charged');

    mesh.faults.remove('c');
    mesh.faults.schedule([now({ id: 'hog', type: 'cpu', service: 'db', extraCpuMsPerRequest: 0, hogCores: 0.5 })]);
    const hogStart = cpuSeconds(await scrape(mesh.metricsUrl), 'db');
    await sleep(1000);
    const hogged = cpuSeconds(await scrape(mesh.metricsUrl), 'db') - hogStart;
    assert.ok(hogged >= 0.25, `half a core for a second charged ${hogged} s`);
    mesh.faults.remove('hog');
    const idleStart = cpuSeconds(await scrape(mesh.metricsUrl), 'db');
    await sleep(300);
    assert.ok(cpuSeconds(await scrape(mesh.metricsUrl), 'db') - idleStart < 0.02, 'the hog stops with the fault');
  });

  test('memory-leak: the working set grows while the fault lasts and drops when it ends', async (t) => {
    const mesh = await shop(t);
    const base = workingSet(await scrape(mesh.metricsUrl), 'cart');
    assert.equal(base, 1048576);
    mesh.faults.schedule([
      now({
        id: 'm',
        type: 'memory-leak',
        service: 'cart',
        bytesPerSecond: 20 * 1024 * 1024,
        maxBytes: 64 * 1024 * 1024,
      }),
    ]);
    await sleep(600);
    const grown = workingSet(await scrape(mesh.metricsUrl), 'cart') - base;
    assert.ok(grown >= 6 * 1024 * 1024, `grew ${grown} bytes in 0.6 s at 20 MiB/s`);
    assert.ok(grown <= 64 * 1024 * 1024);
    mesh.faults.remove('m');
    assert.equal(workingSet(await scrape(mesh.metricsUrl), 'cart'), base);
  });

  test('memory-leak stops at maxBytes', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([
      now({ id: 'm', type: 'memory-leak', service: 'db', bytesPerSecond: 50 * 1024 * 1024, maxBytes: 2 * 1024 * 1024 }),
    ]);
    await sleep(400);
    assert.equal(workingSet(await scrape(mesh.metricsUrl), 'db'), 1048576 + 2 * 1024 * 1024);
  });

  test('dead (hang): callers time out with 504 UT, the dead service records nothing, and it recovers', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([now({ id: 'x', type: 'dead', service: 'db', mode: 'hang' })]);
    const before = await scrape(mesh.metricsUrl);
    const r = await mesh.send({ service: 'frontend', endpoint: 'cart' });
    assert.equal(r.status, 500);
    assert.ok(r.durationMs >= CALL_TIMEOUT_MS, `the caller waited ${r.durationMs} ms`);
    // frontend's own 400 ms timeout on cart fires first, so cart's record of its timed-out call
    // to db lands just after the client has its answer.
    const s = await eventually(async () => {
      const samples = await scrape(mesh.metricsUrl);
      assert.equal(
        sumOf(samples, 'istio_requests_total', {
          reporter: 'source',
          source_workload: 'cart',
          destination_workload: 'db',
          response_code: '504',
          response_flags: 'UT',
        }),
        1
      );
      return samples;
    });
    assert.equal(sumOf(s, 'istio_requests_total', { reporter: 'destination', destination_workload: 'db' }), 0);
    assert.equal(cpuSeconds(s, 'db'), cpuSeconds(before, 'db'), 'no work done by a dead service');
    assert.equal(sumOf(s, 'traces_service_graph_request_failed_total', { client: 'cart', server: 'db' }), 1);

    mesh.faults.remove('x');
    assert.equal((await mesh.send({ service: 'frontend', endpoint: 'cart' })).status, 200);
  });

  test('dead (refuse): callers get 503 UF at once, and the port serves again after the fault', async (t) => {
    const mesh = await shop(t);
    const port = mesh.services.get('db')!.port;
    mesh.faults.schedule([now({ id: 'x', type: 'dead', service: 'db', mode: 'refuse' })]);
    const r = await mesh.send({ service: 'frontend', endpoint: 'cart' });
    assert.equal(r.status, 500);
    assert.ok(r.durationMs < CALL_TIMEOUT_MS, `refused calls fail fast (${r.durationMs} ms)`);
    await assert.rejects(fetch(`http://127.0.0.1:${port}/read`));
    const s = await scrape(mesh.metricsUrl);
    assert.equal(
      sumOf(s, 'istio_requests_total', {
        reporter: 'source',
        source_workload: 'cart',
        destination_workload: 'db',
        response_code: '503',
        response_flags: 'UF',
      }),
      1
    );

    mesh.faults.remove('x');
    for (
      let i = 0;
      i < 20 && (await fetch(`http://127.0.0.1:${port}/read`).catch(() => undefined))?.status !== 200;
      i++
    ) {
      await sleep(50);
    }
    assert.equal((await mesh.send({ service: 'frontend', endpoint: 'cart' })).status, 200);
  });

  test('slow: every response of the service waits longer, seen by both sides', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([now({ id: 's', type: 'slow', service: 'catalog', delayMs: 150 })]);
    const [r] = await sendMany(mesh, 'home', 1);
    assert.ok(r!.durationMs >= 150);
    const s = await scrape(mesh.metricsUrl);
    assert.ok(
      sumOf(s, 'istio_request_duration_milliseconds_sum', {
        reporter: 'destination',
        destination_workload: 'catalog',
      }) >= 150
    );
    assert.ok(sumOf(s, 'http_server_request_duration_seconds_sum', { service_name: 'catalog' }) >= 0.15);
    assert.ok(
      sumOf(s, 'traces_service_graph_request_server_seconds_sum', { client: 'frontend', server: 'catalog' }) >= 0.15
    );
  });
});
