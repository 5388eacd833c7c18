import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService, type TestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const TOKEN = 'fuzz-token-0123456789abcdef';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Values that have broken parsers somewhere: wrong types, huge numbers, traversal, control characters. */
const HOSTILE = [
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '99999999999999999999',
  'now-100y',
  'now-',
  'now+1e9s',
  '2024-13-45T99:99:99Z',
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%00',
  '\u0000',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"}) or vector(1)',
  'a'.repeat(5000),
  '{}',
  '[]',
  'true',
  'frontend->cart',
  'c',
];

const ROUTES: Array<{ path: string; params: string[] }> = [
  { path: '/api/v1/status', params: [] },
  { path: '/api/v1/services', params: ['state', 'q'] },
  { path: '/api/v1/services/c', params: [] },
  { path: '/api/v1/services/c/scores', params: ['from', 'to', 'step'] },
  { path: '/api/v1/edges', params: [] },
  { path: '/api/v1/topology', params: ['at', 'service', 'hops', 'anomalousOnly'] },
  { path: '/api/v1/forecasts', params: [] },
  { path: '/api/v1/forecasts/target', params: ['scope', 'service', 'client', 'server', 'signal', 'from', 'to'] },
  { path: '/api/v1/incidents', params: ['state', 'from', 'to', 'format'] },
  { path: '/api/v1/evaluations', params: ['kind', 'from', 'to', 'format'] },
  { path: '/api/v1/rootcause', params: ['incidentId', 'format'] },
  { path: '/api/v1/models', params: [] },
  { path: '/api/v1/window', params: ['service', 'at'] },
  { path: '/api/v1/signals', params: ['scope', 'service', 'client', 'server', 'signal', 'from', 'to', 'step'] },
  { path: '/api/v1/feedback', params: ['from', 'to'] },
  { path: '/api/v1/selection', params: [] },
];

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertClientError(res: { statusCode: number; body: string }, what: string): void {
  assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body) as { error?: { code?: unknown; message?: unknown } };
    assert.equal(typeof body.error?.code, 'string', `${what}: error code`);
    assert.ok(typeof body.error?.message === 'string' && body.error.message.length > 0, `${what}: error message`);
  }
}

describe('API fuzz: malformed and hostile input gets a clear 4xx, never a 5xx', () => {
  const clock = new ManualClock(1_700_000_001_000);
  let t: TestService;
  let app: FastifyInstance;

  before(async () => {
    t = buildTestService({
      prometheus: new FakePrometheus(meshEntities(), meshValues({ current: null })),
      clock,
      token: TOKEN,
    });
    app = buildTestApp(t, clock);
    await app.ready();
    await t.service.start();
    await t.service.ready;
    await runCycles(t, clock, 2);
  });
  after(async () => {
    await app.close();
    await t.service.stop();
  });

  it('rejects missing and wrong tokens on every route', async () => {
    for (const { path } of ROUTES) {
      const none = await app.inject(path);
      assert.equal(none.statusCode, 401, path);
      const wrong = await app.inject({ url: path, headers: { authorization: 'Bearer not-the-token-000000' } });
      assert.equal(wrong.statusCode, 401, path);
      assert.match(wrong.json().error.message, /invalid bearer token/);
    }
  });

  it('names the problem for specific bad inputs', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/api/v1/topology?hops=abc', 400, /querystring\.hops/],
      ['/api/v1/topology?hops=11', 400, /querystring\.hops/],
      ['/api/v1/topology?anomalousOnly=maybe', 400, /querystring\.anomalousOnly/],
      ['/api/v1/services?state=broken', 400, /querystring\.state: must be one of "ok", "warmup"/],
      ['/api/v1/services?unknown=1', 400, /querystring\.unknown: is not a known parameter/],
      ['/api/v1/services/c/scores?from=now-100y', 400, /longer than the limit of 604800 s \(api\.maxRangeSeconds\)/],
      ['/api/v1/services/c/scores?from=now-7d&step=1', 400, /api\.maxPoints/],
      ['/api/v1/services/c/scores?from=1700000000000', 400, /not a plausible unix time in seconds/],
      ['/api/v1/services/c/scores?to=yesterday', 400, /querystring\.to: cannot read "yesterday" as a time/],
      ['/api/v1/services/nope', 404, /"nope" is not a monitored service/],
      ['/api/v1/window?service=nope', 404, /"nope" is not a known service/],
      ['/api/v1/window', 400, /querystring\.service: is required/],
      [
        '/api/v1/signals?scope=service&service=c&signal=bogus',
        400,
        /unknown service signal "bogus" \(known: request_rate/,
      ],
      ['/api/v1/signals?scope=edge&client=a&signal=latency_p95', 400, /scope edge needs client and server/],
      ['/api/v1/forecasts/target?scope=service&service=c&signal=latency_p95', 404, /no forecast for latency_p95 of c/],
      ['/api/v1/incidents/..%2F..%2Fetc%2Fpasswd', 400, /params\.id: must match pattern/],
      ['/api/v1/incidents/inc-1', 404, /no incident "inc-1"/],
      ['/api/v1/models/..%2Fsecret/onnx', 400, /params\.modelId: must match pattern/],
      ['/api/v1/models/other-model/manifest', 404, /no loaded model "other-model"/],
      ['/api/v1/rootcause', 404, /no incident has a root-cause ranking yet/],
      ['/api/v1/nothing', 404, /no route for GET \/api\/v1\/nothing/],
    ];
    for (const [url, status, message] of cases) {
      const res = await app.inject({ url, headers: AUTH });
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.match(res.json().error.message, message, url);
    }
  });

  it('validates bodies: wrong types, unknown fields, windows, oversized payloads', async () => {
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/feedback',
        headers: { ...AUTH, ...headers },
        payload: payload as string,
      });
    const ok = { kind: 'expected', scope: 'service', entity: 'c', from: 1_700_000_000, to: 1_700_000_060 };
    const cases: Array<[unknown, RegExp]> = [
      [{ ...ok, kind: 'maybe' }, /body\.kind: must be one of "expected", "false_positive"/],
      [{ ...ok, from: 'yesterday' }, /body\.from/],
      [{ ...ok, to: ok.from - 1 }, /body\.to \(1699999999\) must be after body\.from/],
      [{ ...ok, extra: 1 }, /body\.extra: is not a known field/],
      [{ ...ok, scope: 'edge' }, /an edge is written client->server/],
      [{ ...ok, entity: 'a->b' }, /use scope edge/],
      [{ ...ok, from: 1_700_000_000_000 }, /body\.from/],
      [{ ...ok, incidentId: '../x' }, /body\.incidentId: must match pattern/],
    ];
    for (const [payload, message] of cases) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().error.message, message);
    }
    const notJson = await post('{"kind":', { 'content-type': 'application/json' });
    assert.equal(notJson.statusCode, 400);
    const huge = await post(JSON.stringify({ ...ok, note: 'x'.repeat(2_000_000) }), {
      'content-type': 'application/json',
    });
    assert.equal(huge.statusCode, 413);
    assert.match(huge.json().error.message, /larger than the limit of 1048576 bytes/);
    const selection = await app.inject({
      method: 'PUT',
      url: '/api/v1/selection',
      headers: AUTH,
      payload: { include: ['c'], exclude: ['c'] },
    });
    assert.equal(selection.statusCode, 400);
    assert.match(selection.json().error.message, /"c" cannot be both included and excluded/);
    const tooMany = await app.inject({
      method: 'PUT',
      url: '/api/v1/selection',
      headers: AUTH,
      payload: { exclude: Array.from({ length: 1001 }, (_, i) => `s${i}`) },
    });
    assert.equal(tooMany.statusCode, 400);
  });

  it('random hostile query strings on every route: no 5xx, clear errors, bounded memory', async () => {
    const rand = random(20_240_501);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const before = process.memoryUsage().heapUsed;
    let requests = 0;
    for (let round = 0; round < 1500; round++) {
      const route = pick(ROUTES);
      const params = new URLSearchParams();
      const n = Math.floor(rand() * 4);
      for (let i = 0; i < n; i++) {
        params.append(
          rand() < 0.85 && route.params.length > 0 ? pick(route.params) : pick(['x', 'format', 'step']),
          pick(HOSTILE)
        );
      }
      const url = `${route.path}${params.size > 0 ? `?${params.toString()}` : ''}`;
      const res = await app.inject({ url, headers: AUTH });
      requests++;
      assertClientError(res, url);
    }
    global.gc?.();
    const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    assert.equal(requests, 1500);
    assert.ok(grown < 100, `heap grew by ${grown.toFixed(1)} MB over ${requests} requests`);
  });
});
