import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { crossCheckEdges, type SourceReading, type TelemetryReading } from '../src/adapters/index.js';
import { buildCallGraph } from '../src/callgraph/index.js';
import { alignSeries, stepGrid, type AlignedSeries } from '../src/signals/index.js';

const grid = stepGrid(0, 50, 10);

function aligned(values: Array<number | undefined>): AlignedSeries {
  const points = values.flatMap((v, i) => (v === undefined ? [] : [[i * 10, v] as const]));
  return alignSeries(points, grid, { maxInterpolationSteps: 0 });
}

type EdgeSpec = Record<string, Array<number | undefined>>;

/** A hand-made source reading: edges "client->server" with their signals, services with request rates. */
function source(name: string, edges: Record<string, EdgeSpec>, services: string[] = []): SourceReading {
  const edgeMap = new Map(
    Object.entries(edges).map(([id, signals]) => {
      const [client, server] = id.split('->') as [string, string];
      return [id, { id, client, server, signals: new Map(Object.entries(signals).map(([k, v]) => [k, aligned(v)])) }];
    })
  );
  const serviceMap = new Map(services.map((s) => [s, new Map([['request_rate', aligned([1, 1, 1, 1, 1, 1])]])]));
  return {
    source: name,
    services: serviceMap,
    edges: edgeMap,
    coverage: {
      source: name,
      signalsQueried: 2,
      signalsWithData: 2,
      signalsFailed: 0,
      services,
      edges: edgeMap.size,
      signals: [
        {
          scope: 'edge',
          signal: 'request_rate',
          canonical: true,
          unit: 'requests/second',
          promql: 'x',
          status: 'ok',
          entities: edgeMap.size,
          observedFraction: 1,
          unattributedSeries: 0,
          ambiguousEntities: [],
          unfiltered: false,
          warnings: [],
        },
      ],
    },
  };
}

function reading(...sources: SourceReading[]): TelemetryReading {
  return { grid, windowSeconds: 30, notes: [], sources, queries: 0 };
}

const steady = (v: number): Array<number | undefined> => [v, v, v, v, v, v];

describe('buildCallGraph', () => {
  test('nodes are every service named by an edge or by service signals, with their roles', () => {
    const graph = buildCallGraph(
      reading(
        source(
          'istio',
          {
            'loadgenerator->frontend': { request_rate: steady(10), error_ratio: steady(0) },
            'frontend->cart': { request_rate: [5, 5, 5, 5, 5, 6], error_ratio: [0, 0, 0, 0, 0.1, 0.2] },
            'cart->redis': { request_rate: steady(8), latency_p95: [0.001, 0.002, 0.002, 0.002, 0.003, undefined] },
          },
          ['frontend', 'cart', 'redis', 'emails']
        )
      ),
      { externalClients: ['loadgenerator'] }
    );
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.kind, n.isClient, n.isServer, n.inDegree, n.outDegree, n.hasServiceSignals]),
      [
        ['cart', 'service', true, true, 1, 1, true],
        ['emails', 'service', false, false, 0, 0, true],
        ['frontend', 'service', true, true, 1, 1, true],
        ['loadgenerator', 'external', true, false, 0, 1, false],
        ['redis', 'service', false, true, 1, 0, true],
      ]
    );
    const cart = graph.edges.find((e) => e.id === 'frontend->cart')!;
    assert.equal(cart.rate, 6, 'latest observed value');
    assert.ok(Math.abs(cart.meanRate - 31 / 6) < 1e-9);
    assert.equal(cart.errorRatio, 0.2);
    assert.equal(cart.fromOutside, false);
    assert.equal(cart.source, 'istio');
    assert.equal(
      graph.edges.find((e) => e.id === 'cart->redis')?.latencyP95,
      0.003,
      'last observed, not the missing last point'
    );
    assert.equal(graph.edges.find((e) => e.id === 'loadgenerator->frontend')?.fromOutside, true);
    assert.equal(graph.at, 50);
  });

  test('unknown callers are their own kind and can be left out', () => {
    const r = reading(
      source('istio', {
        'unknown->frontend': { request_rate: steady(1) },
        '->cart': { request_rate: steady(1) },
        'frontend->cart': { request_rate: steady(1) },
      })
    );
    const graph = buildCallGraph(r);
    assert.deepEqual(
      graph.nodes.map((n) => [n.id, n.kind]),
      [
        ['', 'unknown'],
        ['cart', 'service'],
        ['frontend', 'service'],
        ['unknown', 'unknown'],
      ]
    );
    const inside = buildCallGraph(r, { includeOutside: false });
    assert.deepEqual(
      inside.edges.map((e) => e.id),
      ['frontend->cart']
    );
    assert.deepEqual(
      inside.nodes.map((n) => n.id),
      ['cart', 'frontend']
    );
    const custom = buildCallGraph(r, { unknownNames: ['unknown'], externalClients: [''] });
    assert.equal(custom.nodes.find((n) => n.id === '')?.kind, 'external');
  });

  test('edges without traffic in the range are listed as idle, not drawn', () => {
    const graph = buildCallGraph(
      reading(
        source('obi', {
          'a->b': { request_rate: steady(0) },
          'a->c': { request_rate: steady(0.2) },
          'a->d': { request_rate: [0.5, undefined, undefined, undefined, undefined, undefined] },
        })
      ),
      { minRate: 0.1 }
    );
    assert.deepEqual(
      graph.edges.map((e) => e.id),
      ['a->c', 'a->d']
    );
    assert.equal(graph.edges[1]?.rate, 0.5, 'its last observation, even if early in the range');
    assert.deepEqual(graph.idleEdges, ['a->b']);
  });

  test('an edge reported by two sources appears once, from the cross-check’s chosen source', () => {
    const r = reading(
      source('istio', { 'a->b': { request_rate: steady(10) } }),
      source('obi', { 'a->b': { request_rate: steady(10.5) }, 'b->c': { request_rate: steady(3) } })
    );
    const graph = buildCallGraph(r);
    assert.deepEqual(
      graph.edges.map((e) => [e.id, e.source, e.sources, e.agreement, e.meanRate]),
      [
        ['a->b', 'istio', ['istio', 'obi'], 'agree', 10],
        ['b->c', 'obi', ['obi'], 'single-source', 3],
      ]
    );
    const preferObi = buildCallGraph(r, { crossCheckResult: crossCheckEdges(r, { preference: ['obi'] }) });
    assert.equal(preferObi.edges[0]?.source, 'obi');
    assert.equal(preferObi.edges[0]?.meanRate, 10.5);
  });
});
