import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { CallGraph } from '../src/callgraph/types.js';
import { resolveUnivariateConfig } from '../src/detectors/univariate/resolveUnivariateConfig.js';
import { UnivariateDetector } from '../src/detectors/univariate/UnivariateDetector.js';
import { combineJudgements } from '../src/detection/combineJudgements.js';
import { CycleHistory } from '../src/detection/CycleHistory.js';
import type { CycleResult } from '../src/detection/CycleResult.js';
import { CycleScheduler, type CycleOutcome } from '../src/detection/CycleScheduler.js';
import { detectorTrust } from '../src/detection/detectorTrust.js';
import { EntityTracker } from '../src/detection/EntityTracker.js';
import { selectRankedServices } from '../src/detection/selectRankedServices.js';
import { SpikeTracker } from '../src/detection/SpikeTracker.js';
import { surpriseShares } from '../src/detection/surpriseShares.js';
import type { EntityScore, SignalJudgement } from '../src/detection/types.js';
import { UnivariateBank } from '../src/detection/UnivariateBank.js';
import { verdictOf } from '../src/detection/verdictOf.js';
import { IncidentEngine } from '../src/incidents/IncidentEngine.js';
import { ManualClock } from './support/ManualClock.js';

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('CycleScheduler', () => {
  function scheduler(clock: ManualClock, work: (at: number) => Promise<void>, interval = 5) {
    const outcomes: CycleOutcome[] = [];
    const errors: unknown[] = [];
    const s = new CycleScheduler({
      clock: clock.now,
      timers: clock,
      intervalSeconds: () => interval,
      runCycle: work,
      onCycleEnd: (o) => outcomes.push(o),
      onError: (e) => errors.push(e),
    });
    return { s, outcomes, errors };
  }

  it('runs on interval boundaries, one cycle at a time', async () => {
    const clock = new ManualClock(1_000_002_300);
    const ran: number[] = [];
    const { s, outcomes } = scheduler(clock, async (at) => void ran.push(at));
    s.start();
    assert.equal(clock.nextAt(), 1_000_005_000);
    for (let i = 0; i < 3; i++) {
      clock.fireNext();
      await settle();
    }
    assert.deepEqual(ran, [1_000_005, 1_000_010, 1_000_015]);
    assert.ok(outcomes.every((o) => !o.overrun && o.skipped === 0));
    await s.stop();
    assert.equal(clock.pending, 0);
  });

  it('counts an overrun and the boundaries it covered, and resumes at the next boundary', async () => {
    const clock = new ManualClock(1_000_000_000);
    const { s, outcomes } = scheduler(clock, async (at) => {
      if (at === 1_000_005) {
        clock.spend(11_000);
      }
    });
    s.start();
    clock.fireNext();
    await settle();
    assert.deepEqual(outcomes[0], { at: 1_000_005, durationSeconds: 11, overrun: true, skipped: 2 });
    assert.equal(clock.nextAt(), 1_000_020_000);
    await s.stop();
  });

  it('a late timer runs the latest boundary and counts the ones it missed', async () => {
    const clock = new ManualClock(1_000_000_000);
    const ran: number[] = [];
    const { s, outcomes } = scheduler(clock, async (at) => void ran.push(at));
    s.start();
    clock.spend(17_000); // the event loop was blocked past the boundary
    clock.fireNext();
    await settle();
    assert.deepEqual(ran, [1_000_015]);
    assert.equal(outcomes[0]?.skipped, 2);
    await s.stop();
  });

  it('a failing cycle is reported and the next one is still scheduled', async () => {
    const clock = new ManualClock(1_000_000_000);
    const { s, errors } = scheduler(clock, async () => {
      throw new Error('boom');
    });
    s.start();
    clock.fireNext();
    await settle();
    assert.match(String(errors[0]), /boom/);
    assert.equal(clock.pending, 1);
    await s.stop();
  });
});

function series(values: Array<number | null>, start: number, step = 5) {
  return {
    timestamps: values.map((_, i) => start + i * step),
    values: values.map((v) => (v === null ? Number.NaN : v)),
    missing: values.map((v) => v === null),
  };
}

const SETTINGS = {
  ...resolveUnivariateConfig({
    window: 120,
    warmup: 10,
    calibrationWindow: 200,
    calibrationWarmup: 20,
    levelWindow: 4,
    spreadWindow: 8,
    adaptAfter: 40,
  }),
  seasonal: false,
};

function bank(mask?: (e: string, t: number) => boolean) {
  return new UnivariateBank({
    scope: 'edge',
    signals: ['latency_p95'],
    settings: SETTINGS,
    stepSeconds: 5,
    staleAfterSteps: 3,
    maxGapSteps: 12,
    ...(mask === undefined ? {} : { mask }),
  });
}

function noise(i: number): number {
  return Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453) - 0.5;
}

describe('UnivariateBank', () => {
  const values = Array.from({ length: 200 }, (_, i) => 0.1 + 0.01 * noise(i));
  const { seasonal: _s, ...config } = SETTINGS;

  it('feeds every grid point exactly once however the cycle windows overlap', () => {
    const b = bank();
    for (let end = 12; end <= 200; end += 4) {
      // Each cycle reads the last 12 points; only the 4 new ones may be learned.
      const from = end - 12;
      b.feed('a->b', 'latency_p95', series(values.slice(from, end), 1000 + from * 5));
    }
    const direct = new UnivariateDetector({ ...config, absoluteFloor: 0.001 });
    values.slice(0, 199).forEach((v) => direct.update(v));
    const last = direct.update(values[199]);
    const judged = b.judge('a->b', 1000 + 199 * 5)[0] as SignalJudgement;
    assert.equal(judged.state, 'ok');
    assert.deepEqual(
      [judged.score, judged.lower, judged.upper],
      [last.score, last.lower, last.upper],
      'same as one detector fed each point once'
    );
  });

  it('does not learn points inside a feedback window', () => {
    const masked = bank((_e, t) => t >= 1000 + 100 * 5 && t < 1000 + 150 * 5);
    const shifted = values.map((v, i) => (i >= 100 && i < 150 ? v + 5 : v));
    masked.feed('a->b', 'latency_p95', series(shifted, 1000));
    const reference = bank();
    reference.feed(
      'a->b',
      'latency_p95',
      series(
        values.map((v, i) => (i >= 100 && i < 150 ? null : v)),
        1000
      )
    );
    const a = masked.judge('a->b', 1000 + 199 * 5)[0];
    const b = reference.judge('a->b', 1000 + 199 * 5)[0];
    assert.equal(a?.expected, b?.expected);
    assert.equal(a?.upper, b?.upper);
  });

  it('unknown before any data, warming up, then ok; stale when the data stops', () => {
    const b = bank();
    assert.equal(b.judge('a->b', 1000)[0]?.state, 'unknown');
    b.feed('a->b', 'latency_p95', series(values.slice(0, 5), 1000));
    assert.equal(b.judge('a->b', 1000 + 4 * 5)[0]?.state, 'warmup');
    b.feed('a->b', 'latency_p95', series(values.slice(5, 60), 1025));
    assert.equal(b.judge('a->b', 1000 + 59 * 5)[0]?.state, 'ok');
    b.feed('a->b', 'latency_p95', series([null, null, null, null], 1000 + 60 * 5));
    const stale = b.judge('a->b', 1000 + 63 * 5)[0];
    assert.equal(stale?.state, 'stale');
    assert.equal(stale?.score, null);
  });

  it('keeps a sustained shift anomalous after the calibrated score has faded, until the band adapts', () => {
    const b = bank();
    b.feed('a->b', 'latency_p95', series(values.slice(0, 100), 1000));
    const shifted = values.slice(100, 160).map((v) => v + 0.05);
    let flagged = 0;
    let paged = 0;
    shifted.forEach((v, i) => {
      const t = 1000 + (100 + i) * 5;
      b.feed('a->b', 'latency_p95', { timestamps: [t], values: [v], missing: [false] });
      const j = b.judge('a->b', t)[0] as SignalJudgement;
      flagged += j.anomalous === true ? 1 : 0;
      paged += (j.score ?? 0) >= SETTINGS.alertThreshold ? 1 : 0;
    });
    assert.ok(paged < 10, `the calibrated score fades (${paged} points at the alert threshold)`);
    assert.ok(flagged >= 35, `the shift stays flagged until adaptation (${flagged} of 60)`);
    assert.ok(flagged <= 45, `and is accepted as the new normal after adaptAfter (${flagged})`);
  });

  it('forgets an entity', () => {
    const b = bank();
    b.feed('a->b', 'latency_p95', series(values.slice(0, 20), 1000));
    assert.equal(b.size, 1);
    b.remove('a->b');
    assert.equal(b.size, 0);
    assert.equal(b.judge('a->b', 1100)[0]?.state, 'unknown');
  });
});

const j = (
  signal: string,
  state: SignalJudgement['state'],
  score: number | null,
  anomalous: boolean | null
): SignalJudgement => ({
  signal,
  state,
  value: 1,
  score,
  anomalous,
  expected: null,
  lower: null,
  upper: null,
  kind: null,
});

describe('combining judgements and verdicts', () => {
  it('the strongest signal scores; any anomalous signal makes the entity anomalous; shares by surprise', () => {
    const c = combineJudgements(
      [
        j('latency_p95', 'ok', 0.9999, true),
        j('error_ratio', 'ok', 0.5, false),
        j('request_rate', 'warmup', null, null),
      ],
      0.999
    );
    assert.equal(c.state, 'ok');
    assert.equal(c.score, 0.9999);
    assert.equal(c.anomalous, true);
    assert.ok((c.contributions?.latency_p95 ?? 0) > 0.9);
    assert.deepEqual(c.reasons, ['request_rate: warming up']);
  });

  it('without a scored signal the state says why, and the verdict is unknown', () => {
    const warm = combineJudgements([j('a', 'warmup', null, null), j('b', 'stale', null, null)], 0.999);
    assert.equal(warm.state, 'warmup');
    assert.equal(verdictOf(warm), 'unknown');
    const stale = combineJudgements([j('a', 'stale', null, null), j('b', 'stale', null, null)], 0.999);
    assert.equal(stale.state, 'stale');
    assert.equal(combineJudgements([j('a', 'unknown', null, null)], 0.999).state, 'unknown');
  });

  it('a fallback score is a verdict; stale and unknown never are normal', () => {
    const base = { score: 0.2, anomalous: false } as const;
    assert.equal(verdictOf({ ...base, state: 'fallback' }), 'normal');
    assert.equal(verdictOf({ ...base, state: 'ok', anomalous: true }), 'anomalous');
    assert.equal(verdictOf({ state: 'stale', score: null, anomalous: null }), 'unknown');
    assert.equal(verdictOf({ state: 'unknown', score: 0.9, anomalous: true }), 'unknown');
  });

  it('surprise shares sum to 1 and spread evenly without surprise', () => {
    const s = surpriseShares({ a: 0.999, b: 0.9 });
    assert.ok(Math.abs((s.a ?? 0) + (s.b ?? 0) - 1) < 1e-12);
    assert.ok((s.a ?? 0) > 0.7);
    assert.deepEqual(surpriseShares({ a: 0, b: 0 }), { a: 0.5, b: 0.5 });
  });

  it('trust: coverage times the quality of what judged', () => {
    const score = (over: Partial<EntityScore>): EntityScore =>
      ({
        state: 'ok',
        detector: 'autoencoder',
        baselineSource: 'model',
        modelDataSource: 'prometheus',
        ...over,
      }) as EntityScore;
    assert.equal(detectorTrust(score({}), 1), 1);
    assert.equal(detectorTrust(score({ baselineSource: 'pooled', modelDataSource: 'synthetic' }), 1), 0.25);
    assert.equal(detectorTrust(score({ state: 'warmup' }), 1), 0);
    assert.equal(detectorTrust(score({ detector: 'univariate' }), 0.5), 0.5);
  });
});

describe('EntityTracker', () => {
  it('keeps the onset of an anomalous run through unknown intervals and ends it on normal', () => {
    const t = new EntityTracker();
    assert.equal(t.update('a', 10, 'normal').onset, null);
    assert.equal(t.update('a', 20, 'anomalous').onset, 20);
    assert.equal(t.update('a', 30, 'unknown').onset, 20);
    assert.equal(t.update('a', 40, 'anomalous').onset, 20);
    assert.equal(t.update('a', 50, 'normal').onset, null);
    const coverage = t.update('a', 60, 'unknown').coverage;
    assert.equal(coverage, 4 / 20, 'four known intervals of the last twenty');
  });
});

describe('SpikeTracker', () => {
  it('notes a spike the engine tolerated, with why, and ignores single blips and incident entities', () => {
    const engine = new IncidentEngine({ entityThreshold: 3, openThreshold: 10, closeThreshold: 2, cap: 12 });
    const spikes = new SpikeTracker(2);
    const verdicts: Array<Record<string, 'anomalous' | 'normal'>> = [
      { 'a->b': 'anomalous', c: 'anomalous' },
      { 'a->b': 'anomalous', c: 'normal' },
      { 'a->b': 'anomalous', c: 'normal' },
      { 'a->b': 'normal', c: 'normal' },
      { 'a->b': 'normal', c: 'normal' },
    ];
    const notes = verdicts.flatMap((entities, i) => spikes.observe(engine.evaluate({ at: 100 + i * 15, entities })));
    assert.equal(notes.length, 1, JSON.stringify(notes));
    const note = notes[0]!;
    assert.deepEqual(
      [note.kind, note.entity, note.scope, note.peak, note.threshold],
      ['tolerated', 'a->b', 'edge', 3, 3]
    );
    assert.match(
      note.summary,
      /reached its own threshold \(3\.0 ≥ 3\.0\) but the temperature peaked at 3\.0 < open threshold 10\.0/
    );
  });

  it('notes incidents opening and closing', () => {
    const engine = new IncidentEngine({ entityThreshold: 2, openThreshold: 3, closeThreshold: 1, cap: 4 });
    const spikes = new SpikeTracker(2);
    const kinds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const notes = spikes.observe(engine.evaluate({ at: 100 + i, entities: { x: i < 4 ? 'anomalous' : 'normal' } }));
      kinds.push(...notes.map((n) => n.kind));
    }
    assert.deepEqual(kinds, ['opened', 'closed']);
  });
});

describe('root-cause scope and the cycle history', () => {
  it('ranks the affected services and their nearest neighbours, up to the limit', () => {
    const node = (id: string) => ({
      id,
      kind: 'service' as const,
      isClient: true,
      isServer: true,
      hasServiceSignals: true,
      inDegree: 0,
      outDegree: 0,
    });
    const edge = (client: string, server: string) =>
      ({ id: `${client}->${server}`, client, server }) as CallGraph['edges'][number];
    const graph: CallGraph = {
      at: 0,
      nodes: ['a', 'b', 'c', 'd', 'e'].map(node),
      edges: [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('d', 'e')],
      idleEdges: [],
    };
    assert.deepEqual(selectRankedServices(graph, ['b->c'], 3), ['b', 'c', 'a']);
    assert.deepEqual(selectRankedServices(graph, ['e'], 10), ['e', 'd', 'c', 'b', 'a']);
    assert.deepEqual(selectRankedServices(graph, [], 2), ['a', 'b']);
  });

  it('keeps fewer cycles when they hold many entities', () => {
    const cycle = (at: number, n: number) =>
      ({
        at,
        services: new Map(Array.from({ length: n }, (_, i) => [`s${i}`, { service: `s${i}` }])),
        edges: new Map(),
        graph: { at, nodes: [], edges: [], idleEdges: [] },
      }) as unknown as CycleResult;
    const h = new CycleHistory({ maxCycles: 10, maxEntities: 250 });
    for (let i = 1; i <= 5; i++) {
      h.push(cycle(i * 10, 100));
    }
    assert.equal(h.length, 2);
    assert.equal(h.at(45)?.at, 40);
    assert.equal(h.at(35), null);
    assert.deepEqual(h.span(), { oldest: 40, newest: 50 });
  });
});
