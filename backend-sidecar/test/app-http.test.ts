import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import { buildApp, type ApiRoutes } from '../src/app.js';
import { ConfigStore } from '../src/config/ConfigStore.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import { ApiError } from '../src/http/ApiError.js';
import { resolveTimeRange } from '../src/http/resolveTimeRange.js';
import { timeRangeQuerySchema } from '../src/http/timeRangeQuerySchema.js';
import { createSidecarMetrics } from '../src/metrics/createSidecarMetrics.js';

const dir = mkdtempSync(join(tmpdir(), 'seismo-app-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const FILE = join(dir, 'cfg.yaml');

const TOKEN = 'test-token-0123456789abcdef';
const BASE = 'prometheus:\n  url: http://prometheus:9090\n';

function logSink(): { stream: Writable; text: () => string; records: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const text = () => chunks.join('');
  return {
    stream,
    text,
    records: () =>
      text()
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

interface Built {
  app: FastifyInstance;
  store: ConfigStore;
  logs: ReturnType<typeof logSink>;
}

async function build(
  options: { text?: string; env?: Record<string, string>; routes?: ApiRoutes[] } = {}
): Promise<Built> {
  const env = options.env ?? { SEISMO_API_TOKEN: TOKEN };
  const store = new ConfigStore(loadConfigText(options.text ?? BASE, FILE, { env }));
  const logs = logSink();
  const app = buildApp({
    config: store,
    metrics: createSidecarMetrics({ build: { version: '9.9.9', revision: 'abc' }, processMetrics: false }),
    readiness: { check: () => ({ ready: true, reasons: [] }) },
    build: { version: '9.9.9', revision: 'abc' },
    logger: { stream: logs.stream, level: 'info' },
    routes: options.routes ?? [],
  });
  return { app, store, logs };
}

const auth = { authorization: `Bearer ${TOKEN}` };

/** A route module as the API modules will write them: schema-validated, using the limits helper. */
const seriesRoutes: ApiRoutes = async (api, { config }) => {
  api.get<{ Querystring: { start: number; end: number; step?: number } }>(
    '/series',
    { schema: { querystring: timeRangeQuerySchema } },
    async (request) => {
      const { maxRangeSeconds, maxPoints } = config.current().config.api;
      const range = resolveTimeRange(
        request.query,
        { maxRangeSeconds, maxPoints },
        config.current().config.detection.stepSeconds
      );
      return { range };
    }
  );
  api.post(
    '/feedback',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            incident: { type: 'string' },
            verdict: { type: 'string', enum: ['true_positive', 'false_positive'] },
          },
          required: ['incident', 'verdict'],
          additionalProperties: false,
        },
      },
    },
    async () => ({ ok: true })
  );
  api.get('/conflict', async () => {
    throw new ApiError(409, 'conflict', 'incident inc-1 is already closed');
  });
  api.get('/boom', async () => {
    throw new Error('database password=hunter2 at /internal/path');
  });
};

describe('auth', () => {
  it('rejects a missing token with 401, a Bearer challenge and the error shape', async () => {
    const { app } = await build();
    const res = await app.inject({ method: 'GET', url: '/api/v1/config' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="seismo"');
    assert.deepEqual(res.json(), {
      error: {
        code: 'unauthorized',
        message:
          'missing bearer token: send "Authorization: Bearer <token>" with the token configured on the sidecar (api.tokenFile or SEISMO_API_TOKEN)',
      },
    });
  });

  it('rejects a wrong token and a wrong scheme', async () => {
    const { app } = await build();
    const wrong = await app.inject({ url: '/api/v1/config', headers: { authorization: `Bearer ${TOKEN}x` } });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.json().error.message, /^invalid bearer token/);
    const basic = await app.inject({ url: '/api/v1/config', headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.statusCode, 401);
    assert.match(basic.json().error.message, /must use the Bearer scheme/);
  });

  it('accepts the right token, with the scheme in any case', async () => {
    const { app } = await build();
    assert.equal((await app.inject({ url: '/api/v1/config', headers: auth })).statusCode, 200);
    assert.equal(
      (await app.inject({ url: '/api/v1/config', headers: { authorization: `bearer ${TOKEN}` } })).statusCode,
      200
    );
  });

  it('exempts /healthz, /readyz and /metrics', async () => {
    const { app } = await build();
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
    }
    assert.deepEqual((await app.inject({ url: '/healthz' })).json(), { status: 'ok', version: '9.9.9' });
  });

  it('protects unknown paths and routes added later, however they are registered', async () => {
    const { app } = await build({ routes: [seriesRoutes] });
    await app.register(
      async (api) => {
        api.get('/late', async () => ({ late: true }));
      },
      { prefix: '/api/v1' }
    );
    assert.equal((await app.inject({ url: '/nothing-here' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/v1/series?start=0&end=60' })).statusCode, 401);
    assert.equal((await app.inject({ url: '/api/v1/late' })).statusCode, 401);
    assert.deepEqual((await app.inject({ url: '/api/v1/late', headers: auth })).json(), { late: true });
    const missing = await app.inject({ url: '/nothing-here?token=x', headers: auth });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: { code: 'not_found', message: 'no route for GET /nothing-here' } });
  });

  it('applies a reloaded token at once', async () => {
    const { app, store } = await build();
    const next = 'rotated-token-0123456789';
    await store.replace(loadConfigText(BASE, FILE, { env: { SEISMO_API_TOKEN: next } }));
    assert.equal((await app.inject({ url: '/api/v1/config', headers: auth })).statusCode, 401);
    assert.equal(
      (await app.inject({ url: '/api/v1/config', headers: { authorization: `Bearer ${next}` } })).statusCode,
      200
    );
  });

  it('is open when no token is configured (loopback only)', async () => {
    const { app } = await build({ env: {} });
    assert.equal((await app.inject({ url: '/api/v1/config' })).statusCode, 200);
  });

  it('never logs the Authorization header', async () => {
    const { app, logs } = await build();
    await app.inject({ url: '/api/v1/config', headers: auth });
    await app.inject({ url: '/api/v1/config', headers: { authorization: `Bearer ${TOKEN}-wrong` } });
    app.log.info({ call: { headers: { authorization: `Bearer ${TOKEN}` } } }, 'a request object logged by a module');
    const text = logs.text();
    assert.ok(text.includes('a request object logged by a module'), 'the log was captured');
    assert.ok(!text.includes(TOKEN), text);
    assert.ok(text.includes('[redacted]'));
  });
});

describe('GET /api/v1/config', () => {
  it('returns the effective config with every secret redacted', async () => {
    const password = join(dir, 'prom-password');
    writeFileSync(password, 'prometheus-password-value\n');
    const text = `prometheus:\n  url: http://prometheus:9090\n  auth: basic\n  user: grafana\n  passwordFile: ${password}\n  headers:\n    X-Scope-OrgID: tenant-secret-value\n`;
    const { app } = await build({ text });
    const res = await app.inject({ url: '/api/v1/config', headers: auth });
    assert.equal(res.statusCode, 200);
    for (const secret of [TOKEN, 'prometheus-password-value', 'tenant-secret-value']) {
      assert.ok(!res.body.includes(secret), `${secret} leaked`);
    }
    const body = res.json();
    assert.equal(body.file, FILE);
    assert.match(body.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(body.pendingRestart, []);
    assert.equal(body.config.api.token, '<redacted>');
    assert.equal(body.config.prometheus.password, '<redacted>');
    assert.equal(body.config.prometheus.headers['X-Scope-OrgID'], '<redacted>');
    assert.equal(body.config.prometheus.user, 'grafana');
    assert.equal(body.config.detection.intervalSeconds, 15);
  });

  it('lists restart-only settings changed since start', async () => {
    const { app, store } = await build();
    await store.replace(loadConfigText(`${BASE}api:\n  port: 9000\n`, FILE, { env: { SEISMO_API_TOKEN: TOKEN } }));
    const body = (await app.inject({ url: '/api/v1/config', headers: auth })).json();
    assert.deepEqual(body.pendingRestart, ['api.port']);
    assert.equal(body.config.api.port, 9000);
  });
});

describe('errors', () => {
  it('an ApiError keeps its status, code and message', async () => {
    const { app } = await build({ routes: [seriesRoutes] });
    const res = await app.inject({ url: '/api/v1/conflict', headers: auth });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), { error: { code: 'conflict', message: 'incident inc-1 is already closed' } });
  });

  it('an unexpected error is a 500 without internals, logged with its stack', async () => {
    const { app, logs } = await build({ routes: [seriesRoutes] });
    const res = await app.inject({ url: '/api/v1/boom', headers: auth });
    assert.equal(res.statusCode, 500);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['error']);
    assert.equal(body.error.code, 'internal');
    assert.match(body.error.message, /^internal error; the sidecar log has the details under request id \S+$/);
    assert.ok(!res.body.includes('hunter2') && !res.body.includes('/internal/path') && !res.body.includes('at '));
    const logged = logs.records().find((r) => r.msg === 'request failed');
    assert.equal(logged?.level, 50);
    assert.match(String((logged?.err as { stack?: string })?.stack), /database password=hunter2/);
  });

  it('schema violations are 400s that name the field', async () => {
    const { app } = await build({ routes: [seriesRoutes] });
    const cases: Array<[string, string]> = [
      ['/api/v1/series?end=60', 'querystring.start: is required'],
      ['/api/v1/series?start=0&end=60&step=0', 'querystring.step: must be > 0'],
      ['/api/v1/series?start=abc&end=60', 'querystring.start: must be number'],
      ['/api/v1/series?start=0&end=60&stpe=15', 'querystring.stpe: is not a known parameter'],
    ];
    for (const [url, message] of cases) {
      const res = await app.inject({ url, headers: auth });
      assert.equal(res.statusCode, 400, url);
      assert.deepEqual(res.json(), { error: { code: 'bad_request', message } }, url);
    }
    const body = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: auth,
      payload: { incident: 'inc-1', verdict: 'maybe' },
    });
    assert.equal(body.statusCode, 400);
    assert.equal(body.json().error.message, 'body.verdict: must be one of "true_positive", "false_positive"');
  });

  it('body problems: invalid JSON, too large, wrong media type', async () => {
    const { app } = await build({ text: `${BASE}api:\n  bodyLimitBytes: 1024\n`, routes: [seriesRoutes] });
    const headers = { ...auth, 'content-type': 'application/json' };
    const invalid = await app.inject({ method: 'POST', url: '/api/v1/feedback', headers, payload: '{"incident": ' });
    assert.equal(invalid.statusCode, 400);
    assert.equal(invalid.json().error.code, 'bad_request');
    const large = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers,
      payload: JSON.stringify({ incident: 'x'.repeat(2000), verdict: 'true_positive' }),
    });
    assert.equal(large.statusCode, 413);
    assert.deepEqual(large.json(), {
      error: {
        code: 'payload_too_large',
        message: 'the request body is larger than the limit of 1024 bytes (api.bodyLimitBytes)',
      },
    });
    const xml = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      headers: { ...auth, 'content-type': 'application/xml' },
      payload: '<a/>',
    });
    assert.equal(xml.statusCode, 415);
    assert.equal(xml.json().error.code, 'unsupported_media_type');
  });

  it('range limits: too long, too many points, and an automatic step', async () => {
    const { app } = await build({
      text: `${BASE}api:\n  maxRangeSeconds: 3600\n  maxPoints: 100\n`,
      routes: [seriesRoutes],
    });
    const long = await app.inject({ url: '/api/v1/series?start=0&end=7200', headers: auth });
    assert.equal(long.statusCode, 400);
    assert.deepEqual(long.json().error, {
      code: 'range_too_long',
      message: 'the range of 7200 s is longer than the limit of 3600 s (api.maxRangeSeconds); narrow start..end',
    });
    const dense = await app.inject({ url: '/api/v1/series?start=0&end=3600&step=15', headers: auth });
    assert.equal(dense.statusCode, 400);
    assert.deepEqual(dense.json().error, {
      code: 'too_many_points',
      message: 'step 15 s gives 241 points, more than the limit of 100 (api.maxPoints); use step >= 37',
    });
    const auto = await app.inject({ url: '/api/v1/series?start=0&end=3600', headers: auth });
    assert.deepEqual(auto.json(), { range: { start: 0, end: 3600, step: 37, points: 98 } });
    const backwards = await app.inject({ url: '/api/v1/series?start=60&end=0', headers: auth });
    assert.equal(backwards.json().error.code, 'invalid_range');
  });
});
