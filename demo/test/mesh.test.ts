import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { SERVICE_HEADER } from '../src/mesh/headers.js';
import { startMesh, type MeshOptions, type RunningMesh } from '../src/mesh/startMesh.js';
import { scrape, sumOf } from './helpers/exposition.js';
import { shopTopology } from './helpers/shopTopology.js';

async function shop(t: TestContext, options: Partial<MeshOptions> = {}): Promise<RunningMesh> {
  const mesh = await startMesh({ topology: shopTopology(), seed: 3, callTimeoutMs: 1000, ...options });
  t.after(() => mesh.stop());
  return mesh;
}

/** Requests the destination (server-side) proxies counted on an edge. */
const served = (
  samples: Awaited<ReturnType<typeof scrape>>,
  client: string,
  server: string,
  extra: Record<string, string> = {}
): number =>
  sumOf(samples, 'istio_requests_total', {
    reporter: 'destination',
    source_workload: client,
    destination_workload: server,
    ...extra,
  });

describe('request flow across real sockets', () => {
  test('every service listens on its own 127.0.0.1 port and answers its endpoints', async (t) => {
    const mesh = await shop(t);
    const ports = [...mesh.services.values()].map((s) => s.port);
    assert.equal(new Set(ports).size, mesh.topology.services.size);
    assert.ok(ports.every((p) => p > 0));
    const catalog = mesh.services.get('catalog')!;
    assert.match(catalog.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${catalog.url}/list`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get(SERVICE_HEADER), 'catalog');
    assert.equal((await res.arrayBuffer()).byteLength, 700);
    const missing = await fetch(`${catalog.url}/nope`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /serves GET \/<endpoint> for: list/);
    assert.equal((await fetch(`${catalog.url}/%E0%A4%A`)).status, 404, 'a malformed path is a 404, not a crash');
    assert.equal((await fetch(`${catalog.url}/list`, { method: 'POST', body: 'x' })).status, 405);
  });

  test('a request reaches exactly the downstream endpoints of its endpoint, with the configured payload', async (t) => {
    const mesh = await shop(t);
    for (let i = 0; i < 5; i++) {
      const r = await mesh.send({ service: 'frontend', endpoint: 'home' });
      assert.equal(r.status, 200, 'ads fails on every request but is not required');
      assert.equal(r.bytes, 5000);
    }
    await mesh.send({ service: 'frontend', endpoint: 'cart' });
    const s = await scrape(mesh.metricsUrl);
    assert.equal(served(s, 'loadgenerator', 'frontend'), 6);
    assert.equal(served(s, 'frontend', 'catalog', { response_code: '200' }), 5);
    assert.equal(served(s, 'frontend', 'ads', { response_code: '500' }), 5);
    assert.equal(served(s, 'frontend', 'cart'), 1);
    assert.equal(served(s, 'cart', 'db'), 1);
    assert.equal(sumOf(s, 'istio_requests_total', { destination_workload: 'payment' }), 0);
    // The server learns its client from the request: db was called by cart, not by frontend.
    assert.equal(served(s, 'frontend', 'db'), 0);
    // Response sizes as the destination proxy measured them.
    assert.equal(
      sumOf(s, 'istio_response_bytes_sum', { reporter: 'destination', destination_workload: 'catalog' }),
      5 * 700
    );
  });

  test('a call with probability 0 is never made', async (t) => {
    const mesh = await shop(t);
    for (let i = 0; i < 5; i++) {
      assert.equal((await mesh.send({ service: 'frontend', endpoint: 'skip' })).status, 200);
    }
    const s = await scrape(mesh.metricsUrl);
    assert.equal(served(s, 'frontend', 'catalog'), 0);
    assert.equal(served(s, 'loadgenerator', 'frontend'), 5);
  });

  test('a failing required call turns into 500 at every hop up to the client', async (t) => {
    const mesh = await shop(t);
    const r = await mesh.send({ service: 'frontend', endpoint: 'checkout' });
    assert.equal(r.status, 500);
    const s = await scrape(mesh.metricsUrl);
    assert.equal(served(s, 'payment', 'bank', { response_code: '500' }), 1);
    assert.equal(served(s, 'frontend', 'payment', { response_code: '500' }), 1);
    assert.equal(served(s, 'loadgenerator', 'frontend', { response_code: '500' }), 1);
    assert.equal(sumOf(s, 'traces_service_graph_request_failed_total', { client: 'payment', server: 'bank' }), 1);
    assert.equal(
      sumOf(s, 'traces_service_graph_request_failed_total', { client: 'loadgenerator', server: 'frontend' }),
      1
    );
  });

  test('parallel calls overlap, sequential ones add up', async (t) => {
    const mesh = await shop(t);
    mesh.faults.schedule([
      { id: 'slow-catalog', type: 'slow', service: 'catalog', delayMs: 300, startSeconds: 0, durationSeconds: null },
      { id: 'slow-cart', type: 'slow', service: 'cart', delayMs: 300, startSeconds: 0, durationSeconds: null },
    ]);
    const parallel = await mesh.send({ service: 'frontend', endpoint: 'fan' });
    assert.equal(parallel.status, 200);
    assert.ok(parallel.durationMs >= 300, `parallel took ${parallel.durationMs} ms`);
    assert.ok(parallel.durationMs < 550, `two 300 ms calls in parallel took ${parallel.durationMs} ms`);
    const home = await mesh.send({ service: 'frontend', endpoint: 'home' });
    const cart = await mesh.send({ service: 'frontend', endpoint: 'cart' });
    assert.ok(home.durationMs >= 300 && cart.durationMs >= 300);
  });

  test('the seed fixes the pod names; another seed gives other names', async (t) => {
    const podOf = async (seed: number): Promise<string> => {
      const mesh = await shop(t, { seed, telemetry: ['cadvisor'] });
      const s = await scrape(mesh.metricsUrl);
      await mesh.stop();
      return s.find((x) => x.name === 'container_memory_working_set_bytes' && x.labels.container === 'catalog')!.labels
        .pod!;
    };
    const a = await podOf(11);
    assert.match(a, /^catalog-[bcdfghjklmnpqrstvwxz2456789]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.equal(await podOf(11), a);
    assert.notEqual(await podOf(12), a);
  });
});
