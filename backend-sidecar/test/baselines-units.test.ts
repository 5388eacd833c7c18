import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import type { ServiceSignalChoice } from '../src/adapters/selectServiceSignals.js';
import { anomalousServices } from '../src/detection/anomalousServices.js';
import { BaselineExclusions } from '../src/detection/BaselineExclusions.js';
import { BaselineSamples, type LearnedSignalBaseline } from '../src/detection/BaselineSamples.js';
import { falsePositiveRemovals, withoutFalsePositives } from '../src/detection/falsePositiveRemovals.js';
import { mergeLearnedBaselines } from '../src/detection/mergeLearnedBaselines.js';
import {
  measuredShares,
  OUTBOUND_SIGNALS,
  serviceWindowSeries,
  structuralZeroNote,
} from '../src/detection/serviceWindowSeries.js';
import {
  AutoencoderDetector,
  chooseBaselines,
  createNodeBackend,
  ModelRegistry,
  parseManifest,
} from '../src/detectors/autoencoder/index.js';
import type { IncidentRecord, IncidentState } from '../src/incidents/types.js';
import { buildWindow, fitRobustStats, stepGrid, type AlignedSeries } from '../src/signals/index.js';
import { BaselineExclusionStore } from '../src/storage/BaselineExclusionStore.js';
import { FeedbackStore, type FeedbackRecord } from '../src/storage/FeedbackStore.js';
import { LearnedBaselineStore } from '../src/storage/LearnedBaselineStore.js';

const root = mkdtempSync(join(tmpdir(), 'seismo-baselines-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** An aligned series from values on a grid (null: missing). */
function aligned(
  start: number,
  step: number,
  values: Array<number | null>,
  interpolated: number[] = []
): AlignedSeries {
  return {
    start,
    step,
    timestamps: values.map((_, i) => start + i * step),
    values: values.map((v) => (v === null ? Number.NaN : v)),
    missing: values.map((v) => v === null),
    interpolated: values.map((_, i) => interpolated.includes(i)),
    stats: {
      observed: values.filter((v) => v !== null).length,
      interpolated: interpolated.length,
      missing: values.filter((v) => v === null).length,
      longestGapSteps: 0,
      longestGapStart: null,
      droppedNonFinite: 0,
      mergedDuplicates: 0,
    },
  };
}

function choices(
  byService: Record<string, Record<string, AlignedSeries>>
): Map<string, Map<string, ServiceSignalChoice>> {
  const out = new Map<string, Map<string, ServiceSignalChoice>>();
  for (const [service, signals] of Object.entries(byService)) {
    out.set(
      service,
      new Map(
        Object.entries(signals).map(([signal, series]) => [
          signal,
          { service, signal, source: 'test', reason: 'only source', alternatives: [], series },
        ])
      )
    );
  }
  return out;
}

const keepAll = { keep: () => true, exclude: () => false };

describe('BaselineSamples', () => {
  it('learns at most one point per step, only measured points, with the catalogue floors of the training pipeline', () => {
    // 15-s points, learned at one per minute: 0, 60, 120, ... of 4 × 30 points.
    const values = Array.from({ length: 120 }, (_, i) => 0.1 + (i % 7) * 0.01);
    const samples = new BaselineSamples({ step: 60, capacity: 1000 });
    samples.add(choices({ a: { latency_p95: aligned(0, 15, values, [8]) } }), keepAll);
    const fitted = samples.fit(10, 1000, new Set(['a']));
    const stats = fitted.services.get('a')!.latency_p95!;
    // Index 8 (t = 120) is interpolated, so minute 2 takes t = 135 instead.
    const taken = values.filter((_, i) => i % 4 === 0 && i !== 8);
    taken.splice(2, 0, values[9]!);
    const expected = fitRobustStats(taken, { absoluteFloor: 0.001, relativeFloor: 0.01 });
    assert.equal(stats.count, 30);
    assert.equal(stats.center, expected.center);
    assert.equal(stats.scale, expected.scale);
    assert.equal(stats.learnedAt, 1000);
  });

  it('skips excluded points, services not kept, and series with fewer than minPoints points', () => {
    const samples = new BaselineSamples({ step: 10, capacity: 100 });
    const flat = Array.from({ length: 30 }, (_, i) => (i >= 20 ? 5 : 1));
    samples.add(choices({ a: { request_rate: aligned(0, 10, flat) }, b: { request_rate: aligned(0, 10, flat) } }), {
      keep: (s) => s === 'a',
      exclude: (_s, t) => t >= 200,
    });
    let fitted = samples.fit(20, 0, null);
    assert.equal(fitted.services.get('a')?.request_rate?.center, 1, 'the excluded level of 5 is not learned');
    assert.equal(fitted.services.has('b'), false);
    fitted = samples.fit(21, 0, null);
    assert.equal(fitted.services.size, 0);
    assert.deepEqual(fitted.skipped, ['a.request_rate: 20 of 21 points']);
  });

  it('keeps the newest points once a series is full', () => {
    const samples = new BaselineSamples({ step: 1, capacity: 10 });
    samples.add(choices({ a: { request_rate: aligned(0, 1, [...Array(10).fill(1), ...Array(10).fill(3)]) } }), keepAll);
    const stats = samples.fit(10, 0, null).services.get('a')!.request_rate!;
    assert.deepEqual([stats.center, stats.count], [3, 10]);
  });

  it('gives a service that calls nothing structural zeros for its outbound signals, and a caller none', () => {
    const samples = new BaselineSamples({ step: 10, capacity: 100 });
    const rate = aligned(
      0,
      10,
      Array.from({ length: 30 }, (_, i) => (i < 5 ? null : 20))
    );
    samples.add(
      choices({ leaf: { request_rate: rate }, caller: { request_rate: rate }, seen: { request_rate: rate } }),
      {
        keep: () => true,
        exclude: (_s, t) => t >= 280,
      }
    );
    samples.addCaller('seen');
    const fitted = samples.fit(20, 7, new Set(['caller']));
    const leaf = fitted.services.get('leaf')!;
    for (const signal of OUTBOUND_SIGNALS) {
      assert.equal(leaf[signal]?.center, 0);
      assert.equal(leaf[signal]?.source, 'structural');
      assert.equal(leaf[signal]?.count, 23, 'as many points as were measured and not excluded');
    }
    assert.equal(leaf.outbound_request_rate?.scale, 0.01);
    assert.equal(leaf.outbound_latency_p95?.scale, 0.001);
    assert.equal(fitted.services.get('caller')?.outbound_request_rate, undefined);
    assert.equal(fitted.services.get('seen')?.outbound_request_rate, undefined, 'seen calling in the history read');
    // Without any known call edge, a missing outbound series cannot be told from a gap.
    const unknown = new BaselineSamples({ step: 10, capacity: 100 });
    unknown.add(choices({ leaf: { request_rate: rate } }), keepAll);
    assert.equal(unknown.fit(20, 7, null).services.get('leaf')?.outbound_request_rate, undefined);
  });
});

describe('mergeLearnedBaselines', () => {
  it('replaces what a run fitted and keeps every other statistic', () => {
    const old = { center: 1, scale: 0.1, count: 100, source: 'mad' as const, learnedAt: 10 };
    const current = new Map<string, Record<string, LearnedSignalBaseline>>([
      ['a', { request_rate: old, latency_p95: old }],
      ['b', { request_rate: old }],
    ]);
    const fresh = { center: 2, scale: 0.2, count: 50, source: 'mad' as const, learnedAt: 20 };
    const { baselines, updated } = mergeLearnedBaselines(current, {
      services: new Map([['a', { request_rate: fresh }]]),
      skipped: ['a.latency_p95: 3 of 48 points'],
    });
    assert.deepEqual(baselines.get('a'), { request_rate: fresh, latency_p95: old });
    assert.deepEqual(baselines.get('b'), { request_rate: old });
    assert.deepEqual(updated, ['a']);
  });
});

describe('anomalousServices', () => {
  it('names the anomalous services and both ends of every anomalous call edge', () => {
    const edges = new Map([
      ['a->b', { extra: { client: 'a', server: 'b' } }],
      ['b->c', { extra: { client: 'b', server: 'c' } }],
    ]);
    const verdicts = { a: 'normal', d: 'anomalous', e: 'unknown', 'a->b': 'anomalous', 'b->c': 'normal' } as const;
    assert.deepEqual([...anomalousServices(verdicts, edges)].sort(), ['a', 'b', 'd']);
  });
});

describe('BaselineExclusions', () => {
  it('merges overlapping periods, answers per service and for all, prunes and round-trips JSON', () => {
    const x = new BaselineExclusions();
    assert.equal(x.markService('a', 100, 200), true);
    assert.equal(x.markService('a', 150, 180), false, 'already covered');
    assert.equal(x.markService('a', 190, 300), true);
    assert.equal(x.markAll(1000, 1100), true);
    assert.deepEqual(x.toJSON(), { services: { a: [[100, 300]] }, all: [[1000, 1100]] });
    assert.equal(x.excluded('a', 250), true);
    assert.equal(x.excluded('b', 250), false);
    assert.equal(x.excluded('b', 1050), true);
    const copy = BaselineExclusions.fromJSON(JSON.parse(JSON.stringify(x.toJSON())));
    assert.deepEqual(copy.toJSON(), x.toJSON());
    assert.equal(x.prune(500), true);
    assert.deepEqual(x.toJSON(), { services: {}, all: [[1000, 1100]] });
    assert.throws(() => BaselineExclusions.fromJSON({ all: [[5, 1]] }), /exclusions.all: .*from <= to/);
    assert.throws(() => BaselineExclusions.fromJSON({ services: { a: 'x' } }), /exclusions.services.a/);
  });
});

describe('learned baseline files', () => {
  it('round-trips through the state directory and refuses an impossible value with its field', async () => {
    const dir = mkdtempSync(join(root, 'store-'));
    const store = new LearnedBaselineStore(dir);
    await store.load();
    assert.equal(store.loaded, null);
    const services = new Map([
      ['checkout', { latency_p95: { center: 0.12, scale: 0.01, count: 288, source: 'mad' as const, learnedAt: 5 } }],
    ]);
    await store.save(
      { basis: { rateWindowSeconds: 60, sources: ['istio'] }, learnedAt: 5, coveredSeconds: 86_400, services },
      6
    );
    const again = new LearnedBaselineStore(dir);
    await again.load();
    assert.deepEqual(again.loaded?.services, services);
    assert.deepEqual(again.loaded?.basis, { rateWindowSeconds: 60, sources: ['istio'] });

    const text = readFileSync(store.file, 'utf8').replace('"scale":0.01', '"scale":0');
    writeFileSync(store.file, text);
    await assert.rejects(again.load(), /services\.checkout\.latency_p95\.scale must be a finite number > 0/);
    writeFileSync(store.file, text.replace('"scale":0', '"scale":0.01').replace('latency_p95', 'latency_p42'));
    await assert.rejects(again.load(), /services\.checkout\.latency_p42 is not a canonical service signal/);

    const exclusions = new BaselineExclusionStore(dir);
    const x = new BaselineExclusions();
    x.markService('checkout', 10, 20);
    await exclusions.save(x);
    await exclusions.load();
    assert.deepEqual(exclusions.loaded?.toJSON(), x.toJSON());
  });
});

describe('feedback marks', () => {
  it('tells expected windows from false positives', async () => {
    const store = new FeedbackStore({ stateDir: mkdtempSync(join(root, 'fb-')), clock: () => 100 });
    await store.add({ kind: 'expected', scope: 'service', entity: 'a', from: 10, to: 20 });
    await store.add({ kind: 'false_positive', scope: 'service', entity: 'a', from: 30, to: 40 });
    assert.equal(store.isMarked('a', 15, 'expected'), true);
    assert.equal(store.isMarked('a', 15, 'false_positive'), false);
    assert.equal(store.isMarked('a', 35, 'false_positive'), true);
    assert.equal(store.isMasked('a', 35), true, 'the univariate learning mask still covers both kinds');
    assert.equal(store.count, 2);
  });
});

describe('structural zeros of a service that calls nothing', () => {
  const grid = stepGrid(0, 50, 10);
  const measured = {
    request_rate: aligned(0, 10, [1, 1, null, 1, 1, null]),
    latency_p95: aligned(0, 10, [0.1, null, null, 0.1, 0.1, null]),
  };
  const signals = ['request_rate', 'latency_p95', ...OUTBOUND_SIGNALS];

  it('fills the outbound signals with zeros where the service was measured, and says so', () => {
    const { series, structuralZeros } = serviceWindowSeries(
      'leaf',
      choices({ leaf: measured }).get('leaf'),
      signals,
      new Set(['caller'])
    );
    assert.deepEqual(structuralZeros, OUTBOUND_SIGNALS);
    assert.deepEqual(series.outbound_request_rate, [
      [0, 0],
      [10, 0],
      [30, 0],
      [40, 0],
    ]);
    const window = buildWindow('leaf', series, grid, { scope: 'service', signals });
    assert.equal(window.values[2]![5], Number.NaN, 'the newest point stays missing: freshness is not invented');
    assert.match(structuralZeroNote(structuralZeros), /structural zeros, not measured/);
  });

  it('leaves them out of the contributions, which name what was measured', () => {
    const shares = { latency_p95: 0.5, request_rate: 0.25, outbound_latency_p95: 0.25 };
    assert.deepEqual(measuredShares(shares, ['outbound_latency_p95']), { latency_p95: 2 / 3, request_rate: 1 / 3 });
    assert.equal(measuredShares(shares, []), shares);
    assert.deepEqual(measuredShares({ a: 0, b: 1 }, ['b']), { a: 1 });
  });

  it('leaves them missing for a service with callees (a real gap) and when no edge is known', () => {
    for (const callers of [new Set(['leaf']), null]) {
      const { series, structuralZeros } = serviceWindowSeries(
        'leaf',
        choices({ leaf: measured }).get('leaf'),
        signals,
        callers
      );
      assert.deepEqual(structuralZeros, []);
      assert.equal(series.outbound_request_rate, undefined);
      const window = buildWindow('leaf', series, grid, { scope: 'service', signals });
      assert.equal(window.status, 'unknown');
      assert.match(window.reasons.join(' '), /outbound_request_rate: no data/);
    }
  });
});

describe('baseline choice', () => {
  const GOLDEN = new URL('../models/golden/', import.meta.url);
  const manifest = parseManifest(JSON.parse(readFileSync(new URL('manifest.json', GOLDEN), 'utf8')), {
    scope: 'service',
  });
  const learned = {
    latency_p95: { center: 1, scale: 1 },
    request_rate: { center: 1, scale: 1 },
    error_ratio: { center: 0, scale: 1 },
  };

  it('prefers the model by default and learned statistics when asked', () => {
    assert.equal(chooseBaselines(manifest, 'cart', learned).source, 'model');
    assert.equal(chooseBaselines(manifest, 'cart', learned, 'learned').source, 'learned');
    assert.equal(chooseBaselines(manifest, 'cart', undefined, 'learned').source, 'model');
    assert.equal(chooseBaselines(manifest, 'new', learned, 'model').source, 'learned');
    assert.equal(chooseBaselines(manifest, 'new', undefined).source, 'pooled');
  });

  it('a service without statistics of its own waits instead of being scored with pooled ones', async () => {
    const registry = new ModelRegistry({ backend: createNodeBackend(), scope: 'service' });
    await registry.loadBase(new URL('.', GOLDEN).pathname);
    const input = JSON.parse(readFileSync(new URL('golden-input.json', GOLDEN), 'utf8')) as { raw: number[][][] };
    const grid = stepGrid(
      1_700_000_000,
      1_700_000_000 + (manifest.windowLength - 1) * manifest.stepSeconds,
      manifest.stepSeconds
    );
    const raw = Object.fromEntries(
      manifest.signals.map((s, i) => [s, input.raw[4]![i]!.map((v, k) => [grid.timestamps[k]!, v] as const)])
    );
    const window = buildWindow('new', raw, grid, { scope: 'service', signals: manifest.signals });
    const detector = new AutoencoderDetector({
      models: registry,
      clock: () => grid.end,
      refusePooled: (entity) => `no baselines learned for ${entity} yet`,
    });
    const [waiting] = await detector.detect([{ entity: 'new', window }]);
    assert.deepEqual(
      [waiting?.state, waiting?.reasons, waiting?.score],
      ['warmup', ['no baselines learned for new yet'], null]
    );
    const withLearned = new AutoencoderDetector({
      models: registry,
      clock: () => grid.end,
      learnedBaselines: () => learned,
      refusePooled: () => 'never asked',
    });
    const [scored] = await withLearned.detect([{ entity: 'new', window }]);
    assert.deepEqual([scored?.state, scored?.baselineSource], ['ok', 'learned']);
    await registry.close();
  });
});

describe('false positives of an open incident', () => {
  const incident: IncidentRecord = {
    id: 'inc-100',
    openedAt: 100,
    closedAt: null,
    openedSeverity: 'SEV1',
    maxSeverity: 'SEV1',
    escalatedAt: null,
    peakTemperature: 20,
    peakAt: 120,
    affectedEntities: ['a', 'b->c'],
  };
  const entity = (value: number) => ({ value, peak: value, normalStreak: 0, unknownStreak: 0 });
  const state: IncidentState = {
    version: 1,
    lastAt: 130,
    entities: { a: entity(8), 'b->c': entity(7), d: entity(2) },
    incident,
  };
  const record = (over: Partial<FeedbackRecord>): FeedbackRecord => ({
    id: 'fb-1',
    receivedAt: 130,
    kind: 'false_positive',
    scope: 'service',
    entity: 'a',
    from: 90,
    to: 130,
    ...over,
  });

  it('takes a marked affected entity out once, with an explanation', () => {
    const removals = falsePositiveRemovals(
      incident,
      [
        record({ incidentId: 'inc-100', author: 'sre', note: 'batch job' }),
        record({ id: 'fb-2', entity: 'd' }),
        record({ id: 'fb-3', kind: 'expected', entity: 'b->c' }),
        record({ id: 'fb-4', entity: 'b->c', incidentId: 'inc-99' }),
        record({ id: 'fb-5', entity: 'b->c', to: 99 }),
      ],
      new Set(),
      state.entities
    );
    assert.deepEqual(
      removals.map((r) => [r.entity, r.feedbackId, r.accumulator]),
      [['a', 'fb-1', 8]]
    );
    assert.match(
      removals[0]!.explanation,
      /a left the affected entities of inc-100: marked a false positive by sre \("batch job"\)/
    );
    const next = withoutFalsePositives(state, removals);
    assert.deepEqual(next.incident?.affectedEntities, ['b->c']);
    assert.equal(next.entities.a?.value, 0);
    assert.equal(next.entities['b->c']?.value, 7);
    assert.deepEqual(falsePositiveRemovals(incident, [record({})], new Set(['fb-1']), state.entities), []);
    assert.deepEqual(falsePositiveRemovals(null, [record({})], new Set(), state.entities), []);
  });
});
