/**
 * Reproduces the CMU lab's incident-detector results with simulated anomaly verdicts at the
 * lab's cadence (one evaluation every 15 s, latency taken as a 1-minute rate window), using
 * the engine's default constants.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  DEFAULT_INCIDENT_CONFIG,
  IncidentEngine,
  edgeEntityId,
  type IncidentEvaluation,
  type IntervalState,
} from '../src/incidents/index.js';

const CADENCE = 15;
const RATE_WINDOW = 60;
const T0 = 1_700_000_000;
const FRONTEND_EDGE = edgeEntityId('frontend', 'shippingservice');
const CHECKOUT_EDGE = edgeEntityId('checkoutservice', 'shippingservice');

/** Small deterministic generator (LCG) so noisy verdicts are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The lab's load shape adds short user surges at these run times (seconds). */
const SURGES: Array<[number, number]> = [
  [150, 170],
  [250, 270],
  [350, 370],
  [450, 470],
  [650, 670],
];

/** A surge shows up while it covers at least 10 s of the 1-minute rate window ending at t. */
function surgeVisible(t: number): boolean {
  return SURGES.some(([s, e]) => Math.min(e, t) - Math.max(s, t - RATE_WINDOW) >= 10);
}

interface Scenario {
  durationSeconds: number;
  entities: string[];
  /** Whether the detector flags entity at run time t (seconds since start). */
  anomalous: (entity: string, t: number) => boolean;
}

function run(scenario: Scenario, engine = new IncidentEngine()): IncidentEvaluation[] {
  const out: IncidentEvaluation[] = [];
  for (let t = CADENCE; t <= scenario.durationSeconds; t += CADENCE) {
    const entities: Record<string, IntervalState> = {};
    for (const e of scenario.entities) {
      entities[e] = scenario.anomalous(e, t) ? 'anomalous' : 'normal';
    }
    out.push(engine.evaluate({ at: T0 + t, entities }));
  }
  return out;
}

/** About 1% false positives per entity and interval, like a 99% forecast band. */
function withFalsePositives(
  seed: number,
  inner: (entity: string, t: number) => boolean
): (entity: string, t: number) => boolean {
  const draws = new Map<string, () => number>();
  return (entity, t) => {
    let next = draws.get(entity);
    if (next === undefined) {
      next = seeded(seed + entity.length * 7919 + entity.charCodeAt(0));
      draws.set(entity, next);
    }
    const noise = next() < 0.01;
    return inner(entity, t) || noise;
  };
}

function rules(evaluations: IncidentEvaluation[], rule: string): IncidentEvaluation[] {
  return evaluations.filter((e) => e.rule === rule);
}

describe('lab scenario: transient load spikes', () => {
  it('tolerates the surges on both monitored edges without opening an incident', () => {
    const evaluations = run({
      durationSeconds: 900,
      entities: [FRONTEND_EDGE, CHECKOUT_EDGE],
      anomalous: withFalsePositives(1, (_e, t) => surgeVisible(t)),
    });
    const flagged = evaluations.filter((e) => e.entities.some((x) => x.interval === 'anomalous'));
    assert.ok(flagged.length >= 20, `the surges must actually produce anomalies (got ${flagged.length})`);
    assert.equal(rules(evaluations, 'opened').length, 0);
    assert.ok(evaluations.every((e) => e.incident === null));
    // Each surge lasts about 4 intervals: accumulators peak near 4 (5 when a false positive
    // lands next to a surge), short of the per-entity threshold of 6, then drain at 2 per interval.
    const peakAccumulator = Math.max(...evaluations.flatMap((e) => e.entities.map((x) => x.after)));
    assert.ok(
      peakAccumulator >= 4 && peakAccumulator < DEFAULT_INCIDENT_CONFIG.entityThreshold,
      `peak accumulator ${peakAccumulator}`
    );
    assert.ok(evaluations.every((e) => e.severity.severity === null));
  });

  it('explains why a surge that heats many entities still opens nothing', () => {
    const services = [
      'frontend',
      'cartservice',
      'checkoutservice',
      'currencyservice',
      'productcatalogservice',
      'shippingservice',
    ];
    const evaluations = run({ durationSeconds: 300, entities: services, anomalous: (_e, t) => surgeVisible(t) });
    assert.equal(rules(evaluations, 'opened').length, 0);
    const hottest = evaluations.reduce((a, b) => (b.temperature > a.temperature ? b : a));
    assert.ok(
      hottest.temperature >= DEFAULT_INCIDENT_CONFIG.openThreshold,
      'sum over six services passes the open threshold'
    );
    assert.equal(hottest.rule, 'none');
    assert.equal(hottest.severity.severity, null);
    assert.match(
      hottest.summary,
      /≥ open threshold 10\.0 but no entity reached its own threshold \(highest: \S+ 4\.0 < 6\.0\)/
    );
    assert.match(hottest.summary, /; and 1 more$/, 'long entity lists are abridged');
  });
});

describe('lab scenario: 200 ms delay injected on one edge', () => {
  const faultStart = 300;
  const faultEnd = 900;
  const detect = seeded(42);
  const scenario: Scenario = {
    durationSeconds: 1500,
    entities: [FRONTEND_EDGE, CHECKOUT_EDGE],
    // The delayed edge is flagged in about 90% of intervals while the fault lasts.
    anomalous: withFalsePositives(
      2,
      (e, t) => e === CHECKOUT_EDGE && t > faultStart && t <= faultEnd + RATE_WINDOW && detect() < 0.9
    ),
  };
  const evaluations = run(scenario);

  it('opens exactly one SEV2 incident naming the delayed edge', () => {
    const opened = rules(evaluations, 'opened');
    assert.equal(opened.length, 1);
    const incident = opened[0]?.incident;
    assert.equal(incident?.openedSeverity, 'SEV2');
    assert.deepEqual(incident?.affectedEntities, [CHECKOUT_EDGE]);
    const delay = (incident?.openedAt ?? 0) - T0 - faultStart;
    // 10 anomalous intervals at gain 1 reach the open threshold; a few misses may add some.
    assert.ok(delay >= 10 * CADENCE && delay <= 16 * CADENCE, `opened ${delay} s after the fault started`);
  });

  it('never escalates to SEV1 and closes after recovery with the same id', () => {
    assert.equal(rules(evaluations, 'escalated').length, 0);
    assert.ok(evaluations.every((e) => e.incident === null || e.incident.maxSeverity === 'SEV2'));
    const closed = rules(evaluations, 'closed');
    assert.equal(closed.length, 1);
    assert.equal(closed[0]?.incident?.id, rules(evaluations, 'opened')[0]?.incident?.id);
    const closedAfter = (closed[0]?.at ?? 0) - T0 - (faultEnd + RATE_WINDOW);
    // From the cap (20) a leak of 2 per normal interval reaches the close threshold (4) in 8 intervals.
    assert.ok(
      closedAfter > 0 && closedAfter <= 10 * CADENCE,
      `closed ${closedAfter} s after the last affected interval`
    );
    assert.equal(closed[0]?.incident?.peakTemperature, DEFAULT_INCIDENT_CONFIG.cap);
  });
});

describe('lab scenario: 200 ms delay injected on two edges', () => {
  it('opens one SEV1 incident affecting both edges', () => {
    const evaluations = run({
      durationSeconds: 1200,
      entities: [FRONTEND_EDGE, CHECKOUT_EDGE],
      anomalous: withFalsePositives(3, (_e, t) => t > 300 && t <= 900),
    });
    const opened = rules(evaluations, 'opened');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.incident?.openedSeverity, 'SEV1');
    assert.deepEqual([...(opened[0]?.incident?.affectedEntities ?? [])].sort(), [CHECKOUT_EDGE, FRONTEND_EDGE].sort());
    assert.match(opened[0]?.summary ?? '', /SEV1: 2 entities over their own threshold/);
    assert.equal(rules(evaluations, 'closed').length, 1);
  });

  it('escalates the same incident when the second edge degrades later', () => {
    const evaluations = run({
      durationSeconds: 1500,
      entities: [FRONTEND_EDGE, CHECKOUT_EDGE],
      anomalous: (e, t) => (e === CHECKOUT_EDGE ? t > 300 && t <= 1200 : t > 600 && t <= 1200),
    });
    const opened = rules(evaluations, 'opened');
    const escalated = rules(evaluations, 'escalated');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]?.incident?.openedSeverity, 'SEV2');
    assert.equal(escalated.length, 1);
    assert.equal(escalated[0]?.incident?.id, opened[0]?.incident?.id);
    assert.equal(escalated[0]?.incident?.maxSeverity, 'SEV1');
    assert.match(escalated[0]?.summary ?? '', /SEV2 → SEV1/);
    const closed = rules(evaluations, 'closed');
    assert.equal(closed.length, 1);
    assert.equal(closed[0]?.incident?.maxSeverity, 'SEV1');
  });
});
