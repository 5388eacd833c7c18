import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Registry } from 'prom-client';

import type { CycleResult, EdgeStatus, ServiceStatus } from '../src/detection/CycleResult.js';
import { DEFAULT_INCIDENT_CONFIG } from '../src/incidents/resolveIncidentConfig.js';
import type { IncidentState } from '../src/incidents/types.js';
import { createDetectionMetrics } from '../src/publish/createDetectionMetrics.js';
import { MetricsPublisher } from '../src/publish/MetricsPublisher.js';

const BASE = {
  threshold: 0.99,
  error: null,
  modelId: null,
  perEntityModel: false,
  baselineSource: null,
  modelDataSource: null,
  signals: [],
  reasons: [],
  trust: 0.9,
  onset: null,
  accumulator: 0,
  lastSeen: 100,
  requestRate: 5,
} as const;

function service(name: string, scored: boolean, anomalous = false): ServiceStatus {
  return {
    ...BASE,
    service: name,
    namespace: 'shop',
    team: 'web',
    readings: [],
    state: scored ? 'ok' : 'warmup',
    detector: 'autoencoder',
    score: scored ? 0.4 : null,
    anomalous: scored ? anomalous : null,
    contributions: scored ? { a: 0.1, b: 0.4, c: 0.3, d: 0.2 } : null,
    verdict: scored ? (anomalous ? 'anomalous' : 'normal') : 'unknown',
  };
}

function edge(client: string, server: string, anomalous: boolean): EdgeStatus {
  return {
    ...BASE,
    id: `${client}->${server}`,
    client,
    server,
    state: 'ok',
    detector: 'univariate',
    score: 0.7,
    anomalous,
    contributions: { latency_p95: 1 },
    verdict: anomalous ? 'anomalous' : 'normal',
    errorRatio: 0,
    latencyP95: 0.1,
    sources: ['istio'],
    agreement: 'single-source',
    chosenSource: 'istio',
    rateDisagreement: null,
  };
}

function cycle(services: ServiceStatus[], edges: EdgeStatus[]): CycleResult {
  return {
    at: 100,
    end: 90,
    startedAt: 0,
    durationSeconds: 1,
    phases: {},
    queries: 7,
    prometheusUp: true,
    error: null,
    services: new Map(services.map((s) => [s.service, s])),
    edges: new Map(edges.map((e) => [e.id, e])),
    graph: { at: 90, nodes: [], edges: [], idleEdges: [] },
    discovered: services.length,
    evaluation: null,
    incident: null,
    ranking: null,
  };
}

function engine(entities: Record<string, number>): IncidentState {
  return {
    version: 1,
    lastAt: 90,
    entities: Object.fromEntries(
      Object.entries(entities).map(([id, value]) => [id, { value }])
    ) as IncidentState['entities'],
    incident: null,
  };
}

/** The samples of the exposition: "name{labels}" → value. */
async function scrape(registry: Registry): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await registry.metrics()).split('\n')) {
    if (line !== '' && !line.startsWith('#')) {
      const at = line.lastIndexOf(' ');
      out.set(line.slice(0, at), Number(line.slice(at + 1)));
    }
  }
  return out;
}

describe('per-service and per-edge series', () => {
  it('are computed from the published cycle when scraped: scores only while scored, state always', async () => {
    const registry = new Registry();
    const publisher = new MetricsPublisher(createDetectionMetrics(registry));
    assert.equal([...(await scrape(registry)).keys()].filter((k) => k.startsWith('seismo_service_')).length, 0);
    publisher.publish({
      cycle: cycle([service('cart', true, true), service('db', false)], [edge('cart', 'db', false)]),
      engine: engine({ cart: 2, 'cart->db': 0.5 }),
      incidentConfig: DEFAULT_INCIDENT_CONFIG,
      evaluation: null,
      forecasts: [],
    });
    const s = await scrape(registry);
    assert.equal(s.get('seismo_service_anomaly_score{service="cart"}'), 0.4);
    assert.equal(s.has('seismo_service_anomaly_score{service="db"}'), false, 'no score while warming up');
    assert.equal(s.get('seismo_service_detector_state{service="db",detector="autoencoder",state="warmup"}'), 1);
    assert.equal(s.get('seismo_service_anomalous{service="cart"}'), 1);
    assert.equal(s.get('seismo_service_info{service="cart",namespace="shop",team="web"}'), 1);
    assert.deepEqual(
      [...s.keys()].filter((k) => k.startsWith('seismo_service_signal_contribution')),
      [
        'seismo_service_signal_contribution{service="cart",signal="b"}',
        'seismo_service_signal_contribution{service="cart",signal="c"}',
        'seismo_service_signal_contribution{service="cart",signal="d"}',
      ],
      'the top three, largest first'
    );
    assert.equal(s.get('seismo_edge_anomaly_score{client="cart",server="db"}'), 0.7);
    assert.equal(s.get('seismo_edge_sources{client="cart",server="db",agreement="single-source"}'), 1);
    assert.equal(s.get('seismo_detector_trust{scope="edge",entity="cart->db"}'), 0.9);
    assert.equal(s.get('seismo_incident_accumulator{scope="service",entity="cart"}'), 2);
    assert.equal(s.get('seismo_incident_entity_threshold{scope="edge",entity="cart->db"}'), 6);
    assert.equal(s.get('seismo_service_anomalous_intervals_total{service="cart"}'), 1);
    assert.equal(s.get('seismo_service_anomalous_intervals_total{service="db"}'), 0);
  });

  it('count anomalous intervals across cycles and drop every series of an entity that left', async () => {
    const registry = new Registry();
    const publisher = new MetricsPublisher(createDetectionMetrics(registry));
    const publish = (services: ServiceStatus[], edges: EdgeStatus[]): void =>
      publisher.publish({
        cycle: cycle(services, edges),
        engine: engine(Object.fromEntries([...services.map((x) => [x.service, 1]), ...edges.map((e) => [e.id, 1])])),
        incidentConfig: DEFAULT_INCIDENT_CONFIG,
        evaluation: null,
        forecasts: [],
      });
    publish([service('cart', true, true), service('db', true)], [edge('cart', 'db', true)]);
    publish([service('cart', true, true), service('db', true)], [edge('cart', 'db', false)]);
    let s = await scrape(registry);
    assert.equal(s.get('seismo_service_anomalous_intervals_total{service="cart"}'), 2);
    assert.equal(s.get('seismo_edge_anomalous_intervals_total{client="cart",server="db"}'), 1);
    publish([service('cart', true, false)], []);
    s = await scrape(registry);
    assert.equal(s.get('seismo_service_anomalous_intervals_total{service="cart"}'), 2);
    assert.deepEqual(
      [...s.keys()].filter((k) => k.includes('"db"') || k.includes('cart->db')),
      [],
      'db and the edge to it are gone'
    );
    publish([service('cart', true), service('db', true, true)], []);
    s = await scrape(registry);
    assert.equal(
      s.get('seismo_service_anomalous_intervals_total{service="db"}'),
      1,
      'a returning service counts from 0'
    );
  });
});
