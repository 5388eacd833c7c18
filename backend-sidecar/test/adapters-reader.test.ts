import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  crossCheckEdges,
  parsePreset,
  selectServiceSignals,
  TelemetryReader,
  type Preset,
} from '../src/adapters/index.js';
import { PrometheusError, type MatrixSeries, type RangeQueryApi, type RangeResult } from '../src/prometheus/index.js';

const START = 1_700_000_000;
const STEP = 10;
const END = START + 9 * STEP; // 10 grid points

const ALPHA = parsePreset(
  `source: alpha
defaults:
  labels: { service: app, client: src, server: dst }
  namespaceLabel: ns
signals:
  service:
    request_rate:
      query: sum by (app) (rate(alpha_requests_total{\${selector}}[\${window}]))
    error_ratio:
      query: sum by (app) (rate(alpha_errors_total[\${window}])) / sum by (app) (rate(alpha_requests_total[\${window}]))
  edge:
    request_rate:
      query: sum by (src, dst) (rate(alpha_edges_total{\${selector}}[\${window}]))
    error_ratio:
      query: sum by (src, dst) (rate(alpha_edge_errors_total[\${window}])) / sum by (src, dst) (rate(alpha_edges_total[\${window}]))
`,
  'alpha.yaml'
);

const BETA = parsePreset(
  `source: beta
signals:
  service:
    request_rate:
      query: sum by (service) (rate(beta_requests_total[\${window}]))
  edge:
    request_rate:
      query: sum by (client, server) (rate(beta_edges_total[\${window}]))
`,
  'beta.yaml'
);

const GAMMA = parsePreset(
  `source: gamma
signals:
  service:
    cpu_usage:
      query: sum by (service) (rate(gamma_cpu_seconds_total[\${window}]))
`,
  'gamma.yaml'
);

/** A series with `value(i)` at grid point i (NaN or undefined leaves the point out). */
function series(metric: Record<string, string>, value: (i: number) => number | undefined, jitter = 0): MatrixSeries {
  const points: Array<[number, number]> = [];
  for (let i = 0; i < 10; i++) {
    const v = value(i);
    if (v !== undefined) {
      points.push([START + i * STEP + jitter, v]);
    }
  }
  return { metric, points };
}

/** A stand-in for PrometheusClient: answers by the metric name in the query, records calls. */
function fakeClient(answers: Record<string, MatrixSeries[] | Error>): RangeQueryApi & {
  calls: Array<{ promql: string; start: number; end: number; step: number }>;
} {
  const calls: Array<{ promql: string; start: number; end: number; step: number }> = [];
  return {
    calls,
    async queryRange(promql: string, start: number, end: number, step: number): Promise<RangeResult> {
      calls.push({ promql, start, end, step });
      // The metric the query is about: the first name that has an answer.
      const key = Object.keys(answers)
        .sort((a, b) => b.length - a.length)
        .find((name) => promql.includes(`${name}{`) || promql.includes(`${name}[`));
      const answer = key === undefined ? [] : answers[key];
      if (answer instanceof Error) {
        throw answer;
      }
      return { resultType: 'matrix', result: answer ?? [], warnings: [], chunks: 1 };
    },
  };
}

function reader(presets: Preset[], answers: Record<string, MatrixSeries[] | Error>, namespaces?: string[]) {
  const client = fakeClient(answers);
  const r = new TelemetryReader({ client, presets, windowSeconds: 30, ...(namespaces ? { namespaces } : {}) });
  return { client, r };
}

describe('TelemetryReader', () => {
  test('runs one query per source and signal, however many services there are', async () => {
    for (const services of [3, 300]) {
      const many = Array.from({ length: services }, (_, k) => series({ app: `svc-${k}` }, () => k));
      const { client, r } = reader([ALPHA, BETA], { alpha_requests_total: many });
      const reading = await r.read({ start: START, end: END, step: STEP });
      assert.equal(client.calls.length, 6);
      assert.equal(reading.queries, 6);
      assert.deepEqual(reading.notes, []);
      assert.equal(reading.sources[0]?.coverage.services.length, services);
      for (const call of client.calls) {
        assert.deepEqual([call.start, call.end, call.step], [START, END, STEP]);
        assert.match(call.promql, /\[30s\]/);
        assert.ok(!call.promql.includes('${'));
      }
    }
    assert.deepEqual(
      reader([ALPHA, BETA], {})
        .r.plan()
        .map((q) => `${q.source}.${q.scope}.${q.signal}`),
      [
        'alpha.service.request_rate',
        'alpha.service.error_ratio',
        'alpha.edge.request_rate',
        'alpha.edge.error_ratio',
        'beta.service.request_rate',
        'beta.edge.request_rate',
      ]
    );
  });

  test('aligns each entity onto the grid and attributes it by the preset labels', async () => {
    const { r } = reader([ALPHA], {
      alpha_requests_total: [
        // Off-grid by 2 s (within half a step): still observed at each grid point.
        series({ app: 'cart' }, (i) => 10 + i, 2),
        // Missing points 3..4 are bridged; 6 (NaN, not a value) to the end stays missing.
        series({ app: 'shop' }, (i) => (i === 3 || i === 4 || i >= 7 ? undefined : i === 6 ? Number.NaN : 1)),
      ],
      alpha_edges_total: [series({ src: 'shop', dst: 'cart' }, () => 4), series({ src: '', dst: 'shop' }, () => 1)],
    });
    const reading = await r.read({ start: START, end: END, step: STEP });
    assert.equal(reading.grid.length, 10);
    const alpha = reading.sources[0]!;
    const cart = alpha.services.get('cart')?.get('request_rate');
    assert.deepEqual(cart?.values, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const shop = alpha.services.get('shop')?.get('request_rate');
    assert.deepEqual(shop?.missing, [false, false, false, false, false, false, true, true, true, true]);
    assert.deepEqual(shop?.interpolated, [false, false, false, true, true, false, false, false, false, false]);
    assert.equal(shop?.stats.droppedNonFinite, 1);
    const edge = alpha.edges.get('shop->cart');
    assert.deepEqual([edge?.client, edge?.server], ['shop', 'cart']);
    // A caller the source could not name stays visible (empty name) for the call graph to judge.
    assert.equal(alpha.edges.get('->shop')?.client, '');
    const coverage = alpha.coverage.signals.find((c) => c.scope === 'service' && c.signal === 'request_rate')!;
    assert.equal(coverage.status, 'ok');
    assert.equal(coverage.entities, 2);
    assert.ok(Math.abs(coverage.observedFraction - (1 + 0.6) / 2) < 1e-9);
    assert.deepEqual(alpha.coverage.services, ['cart', 'shop']);
    assert.equal(alpha.coverage.edges, 2);
  });

  test('series without the entity label are counted, duplicated entities dropped and named', async () => {
    const { r } = reader([ALPHA], {
      alpha_requests_total: [
        series({ app: 'cart', pod: 'a' }, () => 1),
        series({ app: 'cart', pod: 'b' }, () => 2),
        series({ app: 'shop' }, () => 3),
        series({ job: 'x' }, () => 4),
      ],
    });
    const reading = await r.read({ start: START, end: END, step: STEP });
    const coverage = reading.sources[0]!.coverage.signals[0]!;
    assert.equal(coverage.unattributedSeries, 1);
    assert.deepEqual(coverage.ambiguousEntities, ['cart']);
    assert.equal(coverage.entities, 1);
    assert.ok(!reading.sources[0]!.services.has('cart'));
  });

  test('a failing query marks its signal failed and the rest still arrive', async () => {
    const { r } = reader([ALPHA, BETA], {
      alpha_requests_total: new PrometheusError('query', 'parse error', { status: 400, errorType: 'bad_data' }),
      beta_requests_total: [series({ service: 'cart' }, () => 1)],
    });
    const reading = await r.read({ start: START, end: END, step: STEP });
    const alpha = reading.sources[0]!.coverage;
    assert.equal(alpha.signals[0]?.status, 'failed');
    assert.equal(alpha.signals[0]?.error?.kind, 'query');
    assert.match(alpha.signals[0]?.error?.message ?? '', /parse error/);
    // The error ratio divides by the same failing metric in this fake, so it fails too.
    assert.equal(alpha.signals[1]?.status, 'failed');
    assert.equal(alpha.signals[2]?.status, 'empty');
    assert.equal(alpha.signalsFailed, 2);
    assert.equal(alpha.signalsWithData, 0);
    assert.equal(reading.sources[1]!.coverage.signalsWithData, 1);
  });

  test('namespaces filter through ${selector}; templates without one are flagged unfiltered', async () => {
    const { client, r } = reader([ALPHA, BETA], {}, ['shop']);
    const reading = await r.read({ start: START, end: END, step: STEP });
    assert.match(client.calls[0]?.promql ?? '', /alpha_requests_total\{ns=~"shop"\}/);
    const flags = reading.sources.flatMap((s) =>
      s.coverage.signals.map((c) => `${s.source}.${c.scope}.${c.signal}=${c.unfiltered}`)
    );
    assert.deepEqual(flags, [
      'alpha.service.request_rate=false',
      'alpha.service.error_ratio=true',
      'alpha.edge.request_rate=false',
      'alpha.edge.error_ratio=true',
      'beta.service.request_rate=true',
      'beta.edge.request_rate=true',
    ]);
  });

  test('a rate window shorter than the step is pointed out', async () => {
    const r = new TelemetryReader({ client: fakeClient({}), presets: [BETA], windowSeconds: 5 });
    const reading = await r.read({ start: START, end: END, step: STEP });
    assert.match(reading.notes[0] ?? '', /rate window 5s is shorter than the step 10s/);
  });

  test('refuses duplicate sources and bad options', () => {
    const client = fakeClient({});
    assert.throws(() => new TelemetryReader({ client, presets: [ALPHA, ALPHA] }), /appears twice/);
    assert.throws(() => new TelemetryReader({ client, presets: [ALPHA], windowSeconds: 0 }), /windowSeconds/);
    assert.throws(() => new TelemetryReader({ client, presets: [ALPHA], concurrency: 0 }), /concurrency/);
  });
});

describe('cross-checking sources on shared edges', () => {
  const answers = (): Record<string, MatrixSeries[]> => ({
    alpha_edges_total: [
      series({ src: 'front', dst: 'cart' }, () => 10),
      series({ src: 'front', dst: 'ads' }, () => 10),
      series({ src: 'front', dst: 'mail' }, () => 2),
      series({ src: 'cart', dst: 'redis' }, () => 0.01),
      series({ src: 'front', dst: 'ship' }, (i) => (i < 2 ? 5 : undefined)),
    ],
    alpha_edge_errors_total: [],
    beta_edges_total: [
      series({ client: 'front', server: 'cart' }, () => 9.5),
      series({ client: 'front', server: 'ads' }, () => 5),
      series({ client: 'cart', server: 'redis' }, () => 0.012),
      series({ client: 'front', server: 'ship' }, () => 5.1),
      series({ client: 'lb', server: 'front' }, () => 20),
    ],
    alpha_requests_total: [
      series({ app: 'front' }, () => 20),
      series({ app: 'cart' }, (i) => (i === 0 ? 1 : undefined)),
    ],
    beta_requests_total: [series({ service: 'front' }, () => 21), series({ service: 'cart' }, () => 9)],
    gamma_cpu_seconds_total: [series({ service: 'front' }, () => 0.2)],
  });

  test('reports agreement, disagreement, single-source edges and the chosen source per edge', async () => {
    const { r } = reader([ALPHA, BETA, GAMMA], answers());
    const result = crossCheckEdges(await r.read({ start: START, end: END, step: STEP }));
    assert.deepEqual(result.sources, ['alpha', 'beta'], 'gamma has no edge signals, so it cannot miss edges');
    const byId = new Map(result.edges.map((e) => [e.id, e]));
    const cart = byId.get('front->cart')!;
    assert.equal(cart.status, 'agree');
    assert.ok(Math.abs((cart.rateRelativeDifference ?? -1) - 0.05) < 1e-9);
    assert.deepEqual(cart.chosen.source, 'alpha');
    assert.match(cart.chosen.reason, /preferred source/);
    assert.deepEqual(
      cart.sources.map((s) => [s.source, s.meanRate]),
      [
        ['alpha', 10],
        ['beta', 9.5],
      ]
    );
    assert.equal(byId.get('front->ads')?.status, 'disagree');
    assert.equal(byId.get('front->ads')?.rateRelativeDifference, 0.5);
    assert.equal(byId.get('front->mail')?.status, 'single-source');
    assert.equal(byId.get('lb->front')?.status, 'single-source');
    assert.equal(byId.get('lb->front')?.chosen.source, 'beta');
    assert.equal(byId.get('cart->redis')?.status, 'insufficient-traffic');
    const ship = byId.get('front->ship')!;
    assert.equal(ship.chosen.source, 'beta', 'alpha covers only 2 of 10 points');
    assert.match(ship.chosen.reason, /alpha covers 20% of the range, below 50%; beta covers 100%/);
    assert.equal(ship.status, 'agree', 'compared on the points both observed');
    assert.deepEqual(result.summary.onlyIn, { alpha: ['front->mail'], beta: ['lb->front'] });
    assert.equal(result.summary.shared, 4);
    assert.equal(result.summary.agreeing, 2);
    assert.equal(result.summary.disagreeing, 1);
    assert.equal(result.summary.insufficientTraffic, 1);
    assert.deepEqual(result.summary.chosenCounts, { alpha: 4, beta: 2 });
  });

  test('the preference order decides between equally good sources', async () => {
    const { r } = reader([ALPHA, BETA], answers());
    const reading = await r.read({ start: START, end: END, step: STEP });
    const result = crossCheckEdges(reading, { preference: ['beta', 'alpha'], maxRateRelativeDifference: 0.6 });
    const cart = result.edges.find((e) => e.id === 'front->cart')!;
    assert.equal(cart.chosen.source, 'beta');
    assert.deepEqual(
      cart.sources.map((s) => s.source),
      ['beta', 'alpha']
    );
    assert.equal(result.edges.find((e) => e.id === 'front->ads')?.status, 'agree');
  });

  test('service signals are taken from one source each, with the reason', async () => {
    const { r } = reader([ALPHA, BETA, GAMMA], answers());
    const chosen = selectServiceSignals(await r.read({ start: START, end: END, step: STEP }));
    const front = chosen.get('front')!;
    assert.equal(front.get('request_rate')?.source, 'alpha');
    assert.deepEqual(front.get('request_rate')?.alternatives, ['beta']);
    assert.deepEqual(front.get('request_rate')?.series.values[0], 20);
    assert.equal(front.get('cpu_usage')?.source, 'gamma');
    assert.equal(front.get('cpu_usage')?.reason, 'only source with this signal');
    const cart = chosen.get('cart')!.get('request_rate')!;
    assert.equal(cart.source, 'beta');
    assert.match(cart.reason, /alpha covers 10% of the range; beta covers 100%/);
  });
});
