import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CallGraph } from '../src/callgraph/types.js';
import { CycleHistory } from '../src/detection/CycleHistory.js';
import type { CycleResult, EdgeStatus, ServiceStatus } from '../src/detection/CycleResult.js';

function service(name: string, at: number, scored: boolean): ServiceStatus {
  return {
    service: name,
    namespace: 'shop',
    team: name === 'cart' ? 'payments' : '',
    state: scored ? 'ok' : 'warmup',
    detector: scored ? 'autoencoder' : 'univariate',
    reasons: scored ? [] : ['latency_p95: warming up', 'error_ratio: warming up'],
    score: scored ? 0.25 + at / 1e6 : null,
    threshold: scored ? 0.99 : null,
    anomalous: scored ? at % 2 === 0 : null,
    error: scored ? 1.5 : null,
    contributions: scored ? { latency_p95: 0.5, error_ratio: 0.3, cpu_usage: 0.2 } : null,
    modelId: scored ? 'default' : null,
    perEntityModel: false,
    baselineSource: scored ? 'learned' : null,
    modelDataSource: scored ? 'synthetic' : null,
    signals: scored
      ? []
      : [
          {
            signal: 'latency_p95',
            state: 'warmup',
            value: 0.12,
            score: null,
            anomalous: null,
            expected: null,
            lower: null,
            upper: null,
            kind: null,
          },
        ],
    verdict: scored ? 'normal' : 'unknown',
    trust: 0.8,
    onset: scored && at % 2 === 0 ? at - 30 : null,
    accumulator: 1.25,
    lastSeen: at,
    readings: [{ signal: 'latency_p95', source: 'istio', value: 0.12 }],
    requestRate: scored ? 12.5 : null,
  };
}

function edge(client: string, server: string, at: number): EdgeStatus {
  return {
    id: `${client}->${server}`,
    client,
    server,
    state: 'ok',
    detector: 'univariate',
    reasons: [],
    score: 0.5,
    threshold: 0.999,
    anomalous: false,
    error: null,
    contributions: { latency_p95: 1 },
    modelId: null,
    perEntityModel: false,
    baselineSource: null,
    modelDataSource: null,
    signals: [],
    verdict: 'normal',
    trust: 1,
    onset: null,
    accumulator: 0,
    requestRate: 3,
    errorRatio: null,
    latencyP95: 0.2,
    sources: ['istio', 'obi'],
    agreement: 'agree',
    chosenSource: 'istio',
    rateDisagreement: 0.01,
    lastSeen: at,
  };
}

function graph(at: number): CallGraph {
  return {
    at,
    nodes: [
      {
        id: 'cart',
        kind: 'service',
        isClient: true,
        isServer: true,
        hasServiceSignals: true,
        inDegree: 1,
        outDegree: 1,
      },
      {
        id: 'loadgen',
        kind: 'external',
        isClient: true,
        isServer: false,
        hasServiceSignals: false,
        inDegree: 0,
        outDegree: 1,
      },
    ],
    edges: [
      {
        id: 'loadgen->cart',
        client: 'loadgen',
        server: 'cart',
        fromOutside: true,
        source: 'istio',
        sourceReason: 'only source',
        sources: ['istio'],
        agreement: 'single-source',
        rate: null,
        meanRate: 2.5,
        errorRatio: 0,
        meanErrorRatio: null,
        latencyP95: 0.3,
      },
    ],
    idleEdges: ['cart->db'],
  };
}

function cycle(at: number): CycleResult {
  return {
    at,
    end: at - 15,
    startedAt: at * 1000,
    durationSeconds: 1.5,
    phases: { fetch: 0.5, detect: 1 },
    queries: 7,
    prometheusUp: true,
    error: null,
    services: new Map([
      ['cart', service('cart', at, true)],
      ['checkout', service('checkout', at, false)],
    ]),
    edges: new Map([['cart->checkout', edge('cart', 'checkout', at)]]),
    graph: graph(at),
    discovered: 3,
    evaluation: null,
    incident: null,
    ranking: null,
  };
}

/** What a replayed cycle keeps: everything but the per-signal detail. */
function withoutSignalDetail(c: CycleResult): CycleResult {
  return {
    ...c,
    services: new Map([...c.services].map(([k, s]) => [k, { ...s, signals: [], readings: [] }])),
    edges: new Map([...c.edges].map(([k, e]) => [k, { ...e, signals: [] }])),
  };
}

describe('CycleHistory', () => {
  it('keeps the newest cycle as produced and replays older ones with every field but per-signal detail', () => {
    const history = new CycleHistory({ maxCycles: 10, maxEntities: 1000 });
    const cycles = [100, 115, 130].map(cycle);
    cycles.forEach((c) => history.push(c));
    assert.equal(history.latest(), cycles[2]);
    assert.equal(history.at(140), cycles[2]);
    assert.deepEqual(history.at(129), withoutSignalDetail(cycles[1]!));
    assert.deepEqual(history.at(100), withoutSignalDetail(cycles[0]!));
    assert.equal(history.at(99), null);
    assert.deepEqual(history.span(), { oldest: 100, newest: 130 });
  });

  it('drops the oldest cycles past its bounds and never the newest', () => {
    const history = new CycleHistory({ maxCycles: 10, maxEntities: 5 });
    [100, 115, 130].forEach((at) => history.push(cycle(at)));
    // Three entities a cycle: only the newest fits, and it is kept even when it alone is over.
    assert.equal(history.length, 1);
    assert.equal(history.at(129), null);
    const tiny = new CycleHistory({ maxCycles: 10, maxEntities: 2 });
    tiny.push(cycle(100));
    assert.equal(tiny.latest()?.at, 100);
  });
});
