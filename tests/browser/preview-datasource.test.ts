/**
 * The preview server standing in for the Seismo datasource's Go backend: the write routes
 * forwarded to the sidecar with the token, the checks on their bodies, the health check worded
 * as the backend words it, and Grafana's page paths served by the host page.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';

import { readFileSync } from 'node:fs';

import { formatGoDuration } from '../../preview/server/checkDatasourceHealth.js';
import { sidecarRoute } from '../../preview/server/sidecarRoute.js';
import { startPreviewServer, type PreviewServer } from '../../preview/server/startPreviewServer.js';
import { type AppPreview, SIDECAR_TOKEN, startAppPreview } from './support/appPreview.js';

let preview: AppPreview;
const datasource = (server: PreviewServer, path: string) => `${server.url}api/datasources/uid/seismo/${path}`;
const json = (body: unknown) => ({ 'content-type': 'application/json', body: JSON.stringify(body) });

before(async () => {
  preview = await startAppPreview();
});
after(async () => preview?.close());
beforeEach(() => preview.sidecar.reset());

describe('writes', () => {
  test('PUT selection reaches the sidecar with the body and the token, and its answer comes back', async () => {
    const body = { include: [], exclude: ['adservice'] };
    const response = await fetch(datasource(preview.server, 'resources/selection'), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200);
    assert.deepEqual((await response.json()).overrides, body);
    assert.deepEqual(preview.sidecar.requests, [
      { method: 'PUT', path: '/api/v1/selection', authorization: `Bearer ${SIDECAR_TOKEN}`, body },
    ]);
    assert.equal(preview.sidecar.state, 'adservice-excluded');
  });

  test('POST feedback is stored by the sidecar (201 with the record)', async () => {
    const write = preview.recording.writes.find((w) => w.method === 'POST')!;
    const { body, ...headers } = json(write.body);
    const response = await fetch(datasource(preview.server, 'resources/feedback'), {
      method: 'POST',
      headers,
      body,
    });
    assert.equal(response.status, 201);
    assert.match((await response.json()).id, /^fb-/);
    assert.deepEqual(preview.sidecar.requests.at(-1)!.body, write.body);
  });

  test('a sidecar refusal passes through with its status and message', async () => {
    const response = await fetch(datasource(preview.server, 'resources/feedback'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'expected' }),
    });
    assert.equal(response.status, 400);
    assert.match((await response.json()).error.message, /the recording holds no answer to POST \/api\/v1\/feedback/);
  });

  test('wrong methods, bodies that are not one JSON object and oversized bodies never reach the sidecar', async () => {
    const cases: Array<[string, RequestInit, number, RegExp]> = [
      ['resources/feedback', { method: 'GET' }, 405, /method GET is not allowed on resources\/feedback; use POST/],
      ['resources/selection', { method: 'POST', body: '{}' }, 405, /use PUT/],
      ['resources/selection', { method: 'PUT', body: '[1, 2]' }, 400, /must be a JSON object/],
      ['resources/feedback', { method: 'POST', body: 'kind=expected' }, 400, /must be a JSON object/],
      [
        'resources/feedback',
        { method: 'POST', body: `{"note": "${'x'.repeat(300_000)}"}` },
        413,
        /larger than 256 KiB/,
      ],
      ['resources/sidecar/feedback', { method: 'POST', body: '{}' }, 405, /use GET/],
      ['resources/services', { method: 'GET' }, 404, /unknown resource "resources\/services"/],
    ];
    for (const [path, init, status, message] of cases) {
      const response = await fetch(datasource(preview.server, path), init);
      assert.equal(response.status, status, path);
      assert.match((await response.json()).error, message, path);
    }
    assert.deepEqual(preview.sidecar.requests, []);
  });

  test('a datasource uid the preview does not have is not found, as in Grafana', async () => {
    const response = await fetch(`${preview.server.url}api/datasources/uid/other/resources/sidecar/status`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { message: 'Data source not found' });
  });
});

describe('health check', () => {
  test('OK from the sidecar: version, token accepted, age of the last cycle and detector states', async () => {
    const response = await fetch(datasource(preview.server, 'health'));
    assert.equal(response.status, 200);
    const health = await response.json();
    assert.equal(health.status, 'OK');
    assert.equal(
      health.details.sidecar.message,
      `OK, version 1.0.0 at ${preview.sidecar.url}, token accepted; last detection cycle 20s ago, services: 10 ok, 1 unknown`
    );
    assert.match(health.message, /^Prometheus: not checked: the preview was started without --prometheus/);
    assert.deepEqual(
      preview.sidecar.requests.map((r) => [r.path, r.authorization]),
      [
        ['/healthz', `Bearer ${SIDECAR_TOKEN}`],
        ['/api/v1/status', `Bearer ${SIDECAR_TOKEN}`],
      ]
    );
  });

  test('a wrong token: reachable, but the API refused it (Grafana answers 400 with the message)', async () => {
    const server = await startPreviewServer({ sidecar: { url: preview.sidecar.url, token: 'not-the-token' } });
    try {
      const response = await fetch(datasource(server, 'health'));
      assert.equal(response.status, 400);
      const health = await response.json();
      assert.equal(health.status, 'ERROR');
      assert.match(
        health.details.sidecar.message,
        /^reachable \(version 1\.0\.0 at .*\), but its API refused the token \(HTTP 401\)/
      );
    } finally {
      await server.close();
    }
  });

  test('without a sidecar the check says so, and the app pages get advice instead of data', async () => {
    const server = await startPreviewServer();
    try {
      const health = await (await fetch(datasource(server, 'health'))).json();
      assert.match(health.details.sidecar.message, /started without --sidecar/);
      const status = await fetch(datasource(server, 'resources/sidecar/status'));
      assert.equal(status.status, 502);
      assert.match((await status.json()).error, /--sidecar/);
    } finally {
      await server.close();
    }
  });

  describe('with Prometheus', () => {
    let prometheus: Server;
    let url = '';
    let series: Array<Record<string, string>> = [];
    before(async () => {
      prometheus = createServer((request, response) => {
        const path = new URL(request.url ?? '/', 'http://p').pathname;
        const data = path === '/api/v1/status/buildinfo' ? { version: '2.53.0' } : series;
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'success', data }));
      });
      await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
      const address = prometheus.address();
      url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    after(() => new Promise<void>((resolve) => prometheus.close(() => resolve())));

    test('OK when it holds the sidecar series, an error when it holds none', async () => {
      const server = await startPreviewServer({
        sidecar: { url: preview.sidecar.url, token: SIDECAR_TOKEN },
        prometheus: { url },
        now: () => preview.recording.recordedAt * 1000,
      });
      try {
        series = [{ __name__: 'seismo_build_info', version: '1.0.0' }];
        let health = await (await fetch(datasource(server, 'health'))).json();
        assert.equal(health.status, 'OK');
        assert.equal(
          health.details.prometheus.message,
          `OK, version 2.53.0 at ${url}; Seismo series present (1 sidecar replica(s), version 1.0.0)`
        );
        series = [];
        const response = await fetch(datasource(server, 'health'));
        assert.equal(response.status, 400);
        health = await response.json();
        assert.match(health.details.prometheus.message, /holds no seismo_build_info series from the last 15m0s/);
      } finally {
        await server.close();
      }
    });
  });
});

test('the preview forwards exactly the sidecar paths the Go backend allows', () => {
  const go = readFileSync(new URL('../../pkg/plugin/resource_sidecar.go', import.meta.url), 'utf8');
  const table = /func sidecarReadPaths\(\) \[\]\[\]string \{([\s\S]*?)\n\}/.exec(go)?.[1] ?? '';
  const allowed = [...table.matchAll(/\{((?:"[^"]*"(?:, )?)+)\}/g)].map((m) =>
    [...m[1]!.matchAll(/"([^"]*)"/g)].map((q) => (q[1] === '*' ? 'some-name' : q[1])).join('/')
  );
  assert.ok(allowed.length >= 18, `read ${allowed.length} paths from the Go allow-list`);
  const route = (path: string) => `/api/datasources/uid/seismo/resources/sidecar/${path}`;
  for (const path of allowed) {
    assert.equal(sidecarRoute(route(path)), path);
  }
  for (const path of ['config', 'metrics', 'services/a/scores', 'models/m/weights', 'incidents/a/b']) {
    assert.throws(() => sidecarRoute(route(path)), /not a sidecar route/, path);
  }
});

test('durations read like the backend prints them', () => {
  assert.deepEqual([0, 20, 65, 3600, 7325.4].map(formatGoDuration), ['0s', '20s', '1m5s', '1h0m0s', '2h2m5s']);
});

test("Grafana's page paths are the host page; missing files stay missing", async () => {
  for (const path of ['a/seismo-aiops-app/incidents/inc-1', 'plugins/seismo-aiops-app', 'd/seismo-incident']) {
    const response = await fetch(`${preview.server.url}${path}`);
    assert.equal(response.status, 200, path);
    assert.match(response.headers.get('content-type')!, /text\/html/);
  }
  assert.equal((await fetch(`${preview.server.url}dist/no-such-module.js`)).status, 404);
  assert.equal((await fetch(`${preview.server.url}no-such-file.js`)).status, 404);
});
