import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, test } from 'node:test';

import { sidecarRoute } from '../../preview/server/sidecarRoute.js';
import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';

const TOKEN = 'preview-proxy-token';
let upstream: Server;
let upstreamUrl: string;
const seen: Array<{ url: string; authorization: string | undefined }> = [];
let live: PreviewServer;
let recorded: PreviewServer;

before(async () => {
  upstream = createServer((request, response) => {
    seen.push({ url: request.url ?? '', authorization: request.headers.authorization });
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ frames: [], path: request.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  upstreamUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  live = await startPreviewServer({ sidecar: { url: upstreamUrl, token: TOKEN }, prometheus: { url: upstreamUrl } });
  recorded = await startPreviewServer();
});

after(async () => {
  await live?.close();
  await recorded?.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

const route = (base: PreviewServer, path: string) => `${base.url}api/datasources/uid/seismo/resources/sidecar/${path}`;

test('forwards the datasource sidecar routes to /api/v1 with the token and the query string', async () => {
  const response = await fetch(route(live, 'topology?at=1700000000&hops=2'));
  assert.equal(response.status, 200);
  assert.deepEqual(seen.at(-1), { url: '/api/v1/topology?at=1700000000&hops=2', authorization: `Bearer ${TOKEN}` });
  const model = await fetch(route(live, 'models/m1/onnx'));
  assert.equal(model.status, 200);
  assert.equal(seen.at(-1)!.url, '/api/v1/models/m1/onnx');
});

test('refuses paths the datasource would not forward, and every method but GET and HEAD', async () => {
  const before = seen.length;
  for (const path of ['config', 'models/m1/weights', 'services/a/b/c', '..%2Fmetrics']) {
    const response = await fetch(route(live, path));
    assert.equal(response.status, 403, path);
    assert.match((await response.json()).error, /not a sidecar route the Seismo datasource forwards/);
  }
  assert.equal((await fetch(route(live, 'feedback'), { method: 'POST', body: '{}' })).status, 405);
  assert.equal(seen.length, before);
});

test('forwards range queries to Prometheus without the sidecar token', async () => {
  const response = await fetch(`${live.url}api/prometheus/api/v1/query_range?query=up&start=1&end=2&step=1`);
  assert.equal(response.status, 200);
  assert.deepEqual(seen.at(-1), { url: '/api/v1/query_range?query=up&start=1&end=2&step=1', authorization: undefined });
  const without = await fetch(`${recorded.url}api/prometheus/api/v1/query_range?query=up`);
  assert.equal(without.status, 502);
  assert.match((await without.json()).error, /--prometheus/);
});

test('says how to get live data when started without a sidecar', async () => {
  const response = await fetch(route(recorded, 'topology'));
  assert.equal(response.status, 502);
  assert.match((await response.json()).error, /--sidecar/);
});

test('serves recorded frames and the model files, nothing outside their folders', async () => {
  const topology = await fetch(`${recorded.url}fixtures/delay-one-edge/topology.json`);
  assert.equal(topology.status, 200);
  assert.equal((await topology.json()).frames[0].schema.name, 'nodes');
  const manifest = await fetch(`${recorded.url}models/seismo-default-synthetic-v2/manifest`);
  assert.equal((await manifest.json()).model_id, 'seismo-default-synthetic-v2');
  const onnx = await fetch(`${recorded.url}models/seismo-default-synthetic-v2/onnx`);
  assert.equal(onnx.headers.get('content-type'), 'application/octet-stream');
  assert.ok((await onnx.arrayBuffer()).byteLength > 1000);
  assert.equal((await fetch(`${recorded.url}models/no-such-model/manifest`)).status, 404);
  assert.equal((await fetch(`${recorded.url}fixtures/..%2F..%2Fpackage.json`)).status, 403);
});

test('sidecarRoute names the forwarded path or rejects it', () => {
  assert.equal(sidecarRoute('/api/datasources/uid/x/resources/sidecar/incidents/inc-1'), 'incidents/inc-1');
  assert.equal(sidecarRoute('/dist/module.js'), undefined);
  assert.throws(() => sidecarRoute('/api/datasources/uid/x/resources/sidecar/incidents/../config'));
});
