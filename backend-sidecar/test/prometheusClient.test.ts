import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, test, type TestContext } from 'node:test';
import {
  fullJitterDelay,
  mergeMatrixChunks,
  planRangeChunks,
  PrometheusClient,
  PrometheusError,
  type PrometheusClientEvent,
} from '../src/prometheus/index.js';

/** A request as the fake Prometheus saw it; form and query-string parameters are merged. */
interface SeenRequest {
  method: string;
  path: string;
  params: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> } | 'hang' | 'reset';

/** A Prometheus stand-in on 127.0.0.1 that answers each request with whatever `reply` returns. */
async function fakePrometheus(
  t: TestContext,
  reply: (request: SeenRequest, index: number) => Reply
): Promise<{ url: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params = new URLSearchParams(url.search);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) {
        params.append(k, v);
      }
      const request = { method: req.method ?? '', path: url.pathname, params, headers: req.headers };
      seen.push(request);
      const answer = reply(request, seen.length - 1);
      if (answer === 'hang') {
        return;
      }
      if (answer === 'reset') {
        req.socket.destroy();
        return;
      }
      const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const success = (data: unknown): Reply => ({ status: 200, body: { status: 'success', data } });
const apiError = (status: number, errorType: string, error: string): Reply => ({
  status,
  body: { status: 'error', errorType, error },
});

/** A fake clock whose sleep advances time instantly and records each wait. */
function fakeTime(start = 1_000_000): { clock: () => number; sleep: (ms: number) => Promise<void>; waits: number[] } {
  let now = start;
  const waits: number[] = [];
  return {
    clock: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

function client(t: TestContext, options: ConstructorParameters<typeof PrometheusClient>[0]): PrometheusClient {
  const c = new PrometheusClient(options);
  t.after(() => c.close());
  return c;
}

async function rejects(promise: Promise<unknown>): Promise<PrometheusError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof PrometheusError, `expected a PrometheusError, got ${inspect(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('PrometheusClient results', () => {
  test('an instant vector is typed, numbers parsed, NaN and ±Inf kept', async (t) => {
    const prom = await fakePrometheus(t, () =>
      success({
        resultType: 'vector',
        result: [
          { metric: { service: 'a' }, value: [1700000000.5, '1.25'] },
          { metric: { service: 'b' }, value: [1700000000.5, 'NaN'] },
          { metric: { service: 'c' }, value: [1700000000.5, '+Inf'] },
          { metric: { service: 'd' }, value: [1700000000.5, '-Inf'] },
        ],
      })
    );
    const result = await client(t, { url: prom.url }).query('up', 1700000000.5);
    assert.equal(result.resultType, 'vector');
    assert.ok(result.resultType === 'vector');
    assert.deepEqual(
      result.result.map((s) => [s.metric['service'], s.time, s.value]),
      [
        ['a', 1700000000.5, 1.25],
        ['b', 1700000000.5, Number.NaN],
        ['c', 1700000000.5, Number.POSITIVE_INFINITY],
        ['d', 1700000000.5, Number.NEGATIVE_INFINITY],
      ]
    );
    const request = prom.seen[0]!;
    assert.equal(request.method, 'POST');
    assert.equal(request.path, '/api/v1/query');
    assert.equal(request.params.get('query'), 'up');
    assert.equal(request.params.get('time'), '1700000000.5');
  });

  test('scalar results and warnings come through; GET sends the query in the URL', async (t) => {
    const prom = await fakePrometheus(t, () => ({
      status: 200,
      body: { status: 'success', data: { resultType: 'scalar', result: [10, '3'] }, warnings: ['partial data'] },
    }));
    const result = await client(t, { url: `${prom.url}/prefix/`, method: 'GET' }).query('1+2');
    assert.deepEqual(result, { resultType: 'scalar', result: [10, 3], warnings: ['partial data'] });
    assert.equal(prom.seen[0]!.method, 'GET');
    assert.equal(prom.seen[0]!.path, '/prefix/api/v1/query');
    assert.equal(prom.seen[0]!.params.get('query'), '1+2');
  });

  test('a 2xx answer that is not an API response is a decode error', async (t) => {
    const prom = await fakePrometheus(t, () => ({ status: 200, body: '<html>login</html>' }));
    const error = await rejects(client(t, { url: prom.url }).query('up'));
    assert.equal(error.kind, 'decode');
    assert.equal(prom.seen.length, 1);
  });
});

describe('PrometheusClient auth and secrets', () => {
  test('basic auth from options is sent as an Authorization header', async (t) => {
    const prom = await fakePrometheus(t, () => success({ resultType: 'vector', result: [] }));
    await client(t, { url: prom.url, auth: { type: 'basic', username: 'reader', password: 's3cret!' } }).query('up');
    assert.equal(prom.seen[0]!.headers.authorization, `Basic ${Buffer.from('reader:s3cret!').toString('base64')}`);
  });

  test('bearer auth and custom headers are sent', async (t) => {
    const prom = await fakePrometheus(t, () => success({ resultType: 'vector', result: [] }));
    await client(t, {
      url: prom.url,
      auth: { type: 'bearer', token: 'tok-123' },
      headers: { 'X-Scope-OrgID': 'tenant-a' },
    }).query('up');
    assert.equal(prom.seen[0]!.headers.authorization, 'Bearer tok-123');
    assert.equal(prom.seen[0]!.headers['x-scope-orgid'], 'tenant-a');
  });

  test('user info in the URL becomes basic auth and never shows in errors', async (t) => {
    const prom = await fakePrometheus(t, () => apiError(400, 'bad_data', 'parse error at char 3'));
    const port = new URL(prom.url).port;
    const c = client(t, { url: `http://admin:hunter2@127.0.0.1:${port}` });
    assert.equal(c.baseUrl, `http://127.0.0.1:${port}`);
    const error = await rejects(c.query('up{'));
    assert.equal(prom.seen[0]!.headers.authorization, `Basic ${Buffer.from('admin:hunter2').toString('base64')}`);
    for (const text of [error.message, String(error.stack), inspect(error, { depth: 5 })]) {
      assert.ok(!text.includes('hunter2'), text);
      assert.ok(!text.includes(Buffer.from('admin:hunter2').toString('base64')), text);
    }
  });

  test('a bearer token never shows in errors, including network errors', async (t) => {
    const prom = await fakePrometheus(t, () => 'reset');
    const time = fakeTime();
    const error = await rejects(
      client(t, {
        url: prom.url,
        auth: { type: 'bearer', token: 'tok-very-secret' },
        headers: { 'x-api-key': 'key-very-secret' },
        retry: { maxAttempts: 2 },
        clock: time.clock,
        sleep: time.sleep,
      }).query('up')
    );
    assert.equal(error.kind, 'network');
    const text = `${error.message} ${String(error.stack)} ${inspect(error, { depth: 6 })}`;
    assert.ok(!text.includes('tok-very-secret'));
    assert.ok(!text.includes('key-very-secret'));
  });

  test('credentials configured twice or malformed are refused without echoing them', () => {
    assert.throws(
      () => new PrometheusClient({ url: 'http://u:pw-x@h:9090', auth: { type: 'bearer', token: 't' } }),
      (e: Error) => /one place/.test(e.message) && !e.message.includes('pw-x')
    );
    assert.throws(
      () => new PrometheusClient({ url: 'not a url with secret-y' }),
      (e: Error) => !e.message.includes('secret-y')
    );
    assert.throws(
      () => new PrometheusClient({ url: 'http://h', auth: { type: 'bearer', token: 'a b' } }),
      /whitespace/
    );
  });
});

describe('PrometheusClient retries', () => {
  test('5xx and 429 are retried with full-jitter backoff until success', async (t) => {
    const answers: Reply[] = [
      apiError(503, 'unavailable', 'overloaded'),
      { status: 502, body: 'Bad Gateway' },
      { status: 429, body: 'slow down' },
      success({ resultType: 'vector', result: [{ metric: {}, value: [1, '7'] }] }),
    ];
    const prom = await fakePrometheus(t, (_r, i) => answers[i]!);
    const time = fakeTime();
    const events: PrometheusClientEvent[] = [];
    const c = client(t, {
      url: prom.url,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000 },
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0.5,
      onEvent: (e) => events.push(e),
    });
    const result = await c.query('up');
    assert.ok(result.resultType === 'vector');
    assert.equal(result.result[0]!.value, 7);
    assert.equal(prom.seen.length, 4);
    // Half of the cap, which doubles per attempt: 100, 200, 400.
    assert.deepEqual(time.waits, [50, 100, 200]);
    assert.deepEqual(
      events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && [e.attempt, e.reason]),
      [
        [1, 'server'],
        [2, 'http'],
        [3, 'rate_limited'],
      ]
    );
    const stats = c.stats();
    assert.equal(stats.requests, 4);
    assert.equal(stats.retries, 3);
    assert.deepEqual(stats.queries, { instant: 1, range: 0 });
    assert.deepEqual(stats.errors, {});
    const done = events.find((e) => e.type === 'query');
    assert.ok(done?.type === 'query' && done.outcome === 'ok' && done.requests === 4);
  });

  test('Retry-After of a 429 is honoured up to the cap', async (t) => {
    const answers: Reply[] = [
      { status: 429, body: 'later', headers: { 'retry-after': '3' } },
      { status: 429, body: 'later', headers: { 'retry-after': '120' } },
      success({ resultType: 'vector', result: [] }),
    ];
    const prom = await fakePrometheus(t, (_r, i) => answers[i]!);
    const time = fakeTime();
    await client(t, {
      url: prom.url,
      retry: { baseDelayMs: 10, maxDelayMs: 5_000 },
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0,
    }).query('up');
    assert.deepEqual(time.waits, [3_000, 5_000]);
  });

  test('a 400 query error is not retried and keeps errorType and message', async (t) => {
    const prom = await fakePrometheus(t, () =>
      apiError(400, 'bad_data', 'invalid parameter "query": 1:4: parse error: unexpected "}"')
    );
    const time = fakeTime();
    const c = client(t, { url: prom.url, clock: time.clock, sleep: time.sleep });
    const error = await rejects(c.query('up{}}'));
    assert.equal(error.kind, 'query');
    assert.equal(error.status, 400);
    assert.equal(error.errorType, 'bad_data');
    assert.equal(error.description, 'invalid parameter "query": 1:4: parse error: unexpected "}"');
    assert.equal(error.retryable, false);
    assert.equal(error.attempts, 1);
    assert.match(error.message, /\/api\/v1\/query HTTP 400 bad_data: invalid parameter/);
    assert.match(error.message, /query: up\{\}\}/);
    assert.equal(prom.seen.length, 1);
    assert.deepEqual(time.waits, []);
    assert.deepEqual(c.stats().errors, { query: 1 });
  });

  test('422 execution errors, 401 and 404 are not retried either', async (t) => {
    const answers: Record<string, Reply> = {
      exec: apiError(422, 'execution', 'many-to-many matching not allowed'),
      auth: { status: 401, body: 'Unauthorized' },
      missing: { status: 404, body: '404 page not found' },
    };
    const prom = await fakePrometheus(t, (r) => answers[r.params.get('query') ?? '']!);
    const time = fakeTime();
    const c = client(t, { url: prom.url, clock: time.clock, sleep: time.sleep });
    const exec = await rejects(c.query('exec'));
    assert.equal(exec.kind, 'query');
    assert.equal(exec.errorType, 'execution');
    assert.equal((await rejects(c.query('auth'))).kind, 'auth');
    const missing = await rejects(c.query('missing'));
    assert.equal(missing.kind, 'http');
    assert.equal(missing.status, 404);
    assert.equal(prom.seen.length, 3);
    assert.deepEqual(c.stats().errors, { query: 1, auth: 1, http: 1 });
  });

  test('a persistent 5xx gives up after maxAttempts with the server error', async (t) => {
    const prom = await fakePrometheus(t, () => apiError(503, 'timeout', 'query timed out in expression evaluation'));
    const time = fakeTime();
    const error = await rejects(
      client(t, {
        url: prom.url,
        retry: { maxAttempts: 3 },
        clock: time.clock,
        sleep: time.sleep,
        random: () => 1,
      }).query('up')
    );
    assert.equal(error.kind, 'server');
    assert.equal(error.errorType, 'timeout');
    assert.equal(error.description, 'query timed out in expression evaluation');
    assert.equal(error.attempts, 3);
    assert.equal(prom.seen.length, 3);
    assert.deepEqual(time.waits, [200, 400]);
  });

  test('connection refused is a retried network error', async (t) => {
    // A port that was free a moment ago: nothing listens there.
    const free = await new Promise<number>((resolve) => {
      const probe = http.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port;
        probe.close(() => resolve(port));
      });
    });
    const time = fakeTime();
    const c = client(t, {
      url: `http://127.0.0.1:${free}`,
      retry: { maxAttempts: 3 },
      clock: time.clock,
      sleep: time.sleep,
    });
    const error = await rejects(c.query('up'));
    assert.equal(error.kind, 'network');
    assert.match(error.message, /ECONNREFUSED/);
    assert.equal(error.attempts, 3);
    assert.equal(time.waits.length, 2);
    assert.equal(c.stats().retries, 2);
  });

  test('the overall deadline stops retrying and reports the last error', async (t) => {
    const prom = await fakePrometheus(t, () => apiError(503, 'unavailable', 'restarting'));
    const time = fakeTime();
    const c = client(t, {
      url: prom.url,
      deadlineMs: 1_000,
      retry: { maxAttempts: 100, baseDelayMs: 100, maxDelayMs: 10_000 },
      clock: time.clock,
      sleep: time.sleep,
      random: () => 0.99,
    });
    const error = await rejects(c.query('up'));
    assert.equal(error.kind, 'deadline');
    assert.match(error.message, /deadline of 1000 ms exceeded after \d+ request\(s\); last error: server: restarting/);
    assert.ok(time.waits.reduce((a, b) => a + b, 0) < 1_000);
    assert.ok(prom.seen.length < 100);
    assert.deepEqual(c.stats().errors, { deadline: 1 });
  });

  test('a request that hangs times out and is retried', async (t) => {
    const prom = await fakePrometheus(t, (_r, i) => (i === 0 ? 'hang' : success({ resultType: 'vector', result: [] })));
    const time = fakeTime();
    const c = client(t, { url: prom.url, requestTimeoutMs: 150, clock: time.clock, sleep: time.sleep });
    const result = await c.query('up');
    assert.equal(result.resultType, 'vector');
    assert.equal(prom.seen.length, 2);
    assert.equal(c.stats().retries, 1);
  });

  test('a server that always hangs ends in a timeout error', async (t) => {
    const prom = await fakePrometheus(t, () => 'hang');
    const time = fakeTime();
    const error = await rejects(
      client(t, {
        url: prom.url,
        requestTimeoutMs: 100,
        retry: { maxAttempts: 2 },
        clock: time.clock,
        sleep: time.sleep,
      }).query('up')
    );
    assert.equal(error.kind, 'timeout');
    assert.equal(error.attempts, 2);
  });

  test('the caller can abort', async (t) => {
    const prom = await fakePrometheus(t, () => 'hang');
    const controller = new AbortController();
    const c = client(t, { url: prom.url, requestTimeoutMs: 60_000 });
    const pending = c.query('up', undefined, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const error = await rejects(pending);
    assert.equal(error.kind, 'aborted');
    assert.equal(prom.seen.length, 1);
  });

  test('full jitter stays within the doubling, capped interval', () => {
    assert.equal(
      fullJitterDelay(1, 100, 1000, () => 0),
      0
    );
    assert.equal(
      fullJitterDelay(1, 100, 1000, () => 0.999999),
      99
    );
    assert.equal(
      fullJitterDelay(3, 100, 1000, () => 0.5),
      200
    );
    assert.equal(
      fullJitterDelay(10, 100, 1000, () => 0.5),
      500
    );
    assert.equal(
      fullJitterDelay(2000, 100, 1000, () => 0.5),
      500
    );
    let seed = 7;
    const random = (): number => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (let i = 0; i < 50; i++) {
        const d = fullJitterDelay(attempt, 50, 3000, random);
        assert.ok(d >= 0 && d < Math.min(3000, 50 * 2 ** (attempt - 1)), `attempt ${attempt}: ${d}`);
      }
    }
  });
});

/** A fake query_range: series `a` everywhere, series `b` only from t >= 1015; value = t - start. */
function rangeReply(r: SeenRequest): Reply {
  const start = Number(r.params.get('start'));
  const end = Number(r.params.get('end'));
  const step = Number(r.params.get('step'));
  const series = (name: string, from: number): unknown => {
    const values: Array<[number, string]> = [];
    for (let ts = start; ts <= end + 1e-9; ts += step) {
      if (ts >= from) {
        values.push([ts, String(ts - 1000)]);
      }
    }
    return { metric: { __name__: 'x', service: name }, values };
  };
  const result = [series('a', 0), series('b', 1015)].filter((s) => (s as { values: unknown[] }).values.length > 0);
  return success({ resultType: 'matrix', result });
}

describe('PrometheusClient range queries', () => {
  test('a range within the point limit is one request', async (t) => {
    const prom = await fakePrometheus(t, rangeReply);
    const result = await client(t, { url: prom.url }).queryRange('x', 1000, 1024, 1);
    assert.equal(result.chunks, 1);
    assert.equal(prom.seen.length, 1);
    assert.deepEqual(
      [
        prom.seen[0]!.path,
        prom.seen[0]!.params.get('start'),
        prom.seen[0]!.params.get('end'),
        prom.seen[0]!.params.get('step'),
      ],
      ['/api/v1/query_range', '1000', '1024', '1']
    );
    assert.equal(result.result.length, 2);
  });

  test('a long range is split on the step grid and merged back exactly', async (t) => {
    const prom = await fakePrometheus(t, rangeReply);
    const events: PrometheusClientEvent[] = [];
    const c = client(t, { url: prom.url, maxPointsPerSeries: 10, onEvent: (e) => events.push(e) });
    const result = await c.queryRange('x', 1000, 1024, 1);
    assert.equal(result.chunks, 3);
    assert.deepEqual(
      prom.seen.map((r) => [r.params.get('start'), r.params.get('end')]),
      [
        ['1000', '1009'],
        ['1010', '1019'],
        ['1020', '1024'],
      ]
    );
    const a = result.result.find((s) => s.metric['service'] === 'a')!;
    const b = result.result.find((s) => s.metric['service'] === 'b')!;
    assert.deepEqual(
      a.points.map(([ts]) => ts),
      Array.from({ length: 25 }, (_, i) => 1000 + i)
    );
    assert.deepEqual(
      a.points.map(([, v]) => v),
      Array.from({ length: 25 }, (_, i) => i)
    );
    assert.deepEqual(
      b.points.map(([ts]) => ts),
      Array.from({ length: 10 }, (_, i) => 1015 + i)
    );
    const done = events.find((e) => e.type === 'query');
    assert.ok(done?.type === 'query' && done.chunks === 3 && done.series === 2 && done.samples === 35);
    assert.equal(c.stats().chunks, 3);
  });

  test('chunking keeps fractional steps on the grid', () => {
    const chunks = planRangeChunks(0, 2.9, 0.1, 7);
    assert.deepEqual(
      chunks.map((c) => c.points),
      [7, 7, 7, 7, 2]
    );
    assert.ok(Math.abs(chunks[4]!.end - 2.9) < 1e-9);
    assert.ok(Math.abs(chunks[1]!.start - 0.7) < 1e-9);
  });

  test('merging de-duplicates a timestamp served by two chunks', () => {
    const merged = mergeMatrixChunks([
      [
        {
          metric: { a: '1', b: '2' },
          points: [
            [1, 1],
            [2, 2],
          ],
        },
      ],
      [
        {
          metric: { b: '2', a: '1' },
          points: [
            [2, 2],
            [3, 3],
          ],
        },
      ],
    ]);
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0]!.points, [
      [1, 1],
      [2, 2],
      [3, 3],
    ]);
  });

  test('a result over the series × points budget is refused before the remaining chunks', async (t) => {
    const prom = await fakePrometheus(t, rangeReply);
    const c = client(t, { url: prom.url, maxPointsPerSeries: 10, maxSamplesPerQuery: 40 });
    const error = await rejects(c.queryRange('x', 1000, 1024, 1));
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /2 series × 25 points = 50 samples, over the budget of 40/);
    // Series b appears in the second chunk; the third is never fetched.
    assert.equal(prom.seen.length, 2);
    assert.deepEqual(c.stats().errors, { budget: 1 });
  });

  test('a range that cannot fit the budget even for one series is refused without a request', async (t) => {
    const prom = await fakePrometheus(t, rangeReply);
    const error = await rejects(client(t, { url: prom.url, maxSamplesPerQuery: 20 }).queryRange('x', 1000, 1024, 1));
    assert.equal(error.kind, 'budget');
    assert.equal(prom.seen.length, 0);
  });

  test('invalid ranges are query errors', async (t) => {
    const prom = await fakePrometheus(t, rangeReply);
    const c = client(t, { url: prom.url });
    assert.equal((await rejects(c.queryRange('x', 10, 5, 1))).kind, 'query');
    assert.equal((await rejects(c.queryRange('x', 0, 5, 0))).kind, 'query');
    assert.equal((await rejects(c.queryRange('', 0, 5, 1))).kind, 'query');
    assert.equal(prom.seen.length, 0);
  });

  test('a failing chunk is retried without refetching the earlier chunks', async (t) => {
    let failed = false;
    const prom = await fakePrometheus(t, (r) => {
      if (r.params.get('start') === '1010' && !failed) {
        failed = true;
        return apiError(503, 'unavailable', 'busy');
      }
      return rangeReply(r);
    });
    const time = fakeTime();
    const result = await client(t, {
      url: prom.url,
      maxPointsPerSeries: 10,
      clock: time.clock,
      sleep: time.sleep,
    }).queryRange('x', 1000, 1024, 1);
    assert.deepEqual(
      prom.seen.map((r) => r.params.get('start')),
      ['1000', '1010', '1010', '1020']
    );
    assert.equal(result.result.find((s) => s.metric['service'] === 'a')!.points.length, 25);
  });
});
