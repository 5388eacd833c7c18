import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { IncidentEngine } from '../src/incidents/IncidentEngine.js';
import type { PrometheusApi } from '../src/prometheus/types.js';
import { atomicWriteFile } from '../src/storage/atomicWriteFile.js';
import { EngineSnapshotStore } from '../src/storage/EngineSnapshotStore.js';
import { EvaluationNotes } from '../src/storage/EvaluationNotes.js';
import { FEEDBACK_FILE, FeedbackStore } from '../src/storage/FeedbackStore.js';
import { IncidentHistory } from '../src/storage/IncidentHistory.js';
import { JsonLinesFile } from '../src/storage/JsonLinesFile.js';
import { readExportedIncidentState } from '../src/storage/readExportedIncidentState.js';
import { SelectionOverrideStore } from '../src/storage/SelectionOverrideStore.js';

const dir = () => mkdtempSync(join(tmpdir(), 'seismo-state-'));

describe('durable files', () => {
  it('atomicWriteFile replaces the content and leaves no temporary file', async () => {
    const d = dir();
    const file = join(d, 'x.json');
    await atomicWriteFile(file, 'one');
    await atomicWriteFile(file, 'two');
    assert.equal(readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(readdirSync(d), ['x.json']);
  });

  it('JSON lines: appends survive, a torn last line is skipped and counted', async () => {
    const file = join(dir(), 'log.jsonl');
    const log = new JsonLinesFile(file);
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    appendFileSync(file, '{"n": 3, "tor');
    const { records, skipped } = await new JsonLinesFile(file).readAll();
    assert.deepEqual(records, [{ n: 1 }, { n: 2 }]);
    assert.equal(skipped, 1);
  });
});

describe('FeedbackStore', () => {
  it('stores feedback before answering, reloads it in a new process, masks its windows', async () => {
    const d = dir();
    let n = 0;
    const store = new FeedbackStore({ stateDir: d, clock: () => 1_700_000_100, newId: () => `fb-${++n}` });
    await store.load();
    const record = await store.add({
      kind: 'expected',
      scope: 'service',
      entity: 'cart',
      from: 1_700_000_000,
      to: 1_700_000_060,
      note: 'deploy',
    });
    assert.deepEqual(record, {
      id: 'fb-1',
      receivedAt: 1_700_000_100,
      kind: 'expected',
      scope: 'service',
      entity: 'cart',
      from: 1_700_000_000,
      to: 1_700_000_060,
      note: 'deploy',
    });
    const line = JSON.parse(readFileSync(join(d, FEEDBACK_FILE), 'utf8').trim()) as unknown;
    assert.deepEqual(line, record, 'one JSON line per record, exactly what was answered');
    const again = new FeedbackStore({ stateDir: d, clock: () => 0 });
    await again.load();
    assert.deepEqual(again.list(), [record]);
    assert.equal(again.isMasked('cart', 1_700_000_030), true);
    assert.equal(again.isMasked('cart', 1_700_000_061), false);
    assert.equal(again.isMasked('other', 1_700_000_030), false);
    assert.deepEqual(again.list({ from: 1_700_000_070, to: 1_700_000_080 }), []);
  });
});

describe('IncidentHistory', () => {
  it('records an incident from opening to closing with a bounded timeline, and persists it', async () => {
    const d = dir();
    const engine = new IncidentEngine({ entityThreshold: 2, openThreshold: 3, closeThreshold: 1, cap: 4 });
    const history = new IncidentHistory({ stateDir: d, maxIncidents: 10, maxTimeline: 3 });
    for (let i = 0; i < 10; i++) {
      const evaluation = engine.evaluate({ at: 100 + i, entities: { x: i < 5 ? 'anomalous' : 'normal' } });
      history.record(
        evaluation,
        Object.fromEntries(Object.entries(engine.snapshot().entities).map(([k, v]) => [k, v.value]))
      );
    }
    await history.save();
    const reloaded = new IncidentHistory({ stateDir: d, maxIncidents: 10 });
    await reloaded.load();
    const [record] = reloaded.list();
    assert.equal(record?.id, 'inc-102');
    assert.equal(record?.state, 'closed');
    assert.match(record?.rule ?? '', /^opened SEV2 incident inc-102.*\nclosed inc-102/s);
    assert.equal(record?.timeline.length, 3);
    assert.equal(record?.timeline[0]?.rule, 'opened', 'the opening entry is kept');
    assert.ok((record?.timelineDropped ?? 0) > 0);
    assert.ok(record?.explanation !== null);
  });

  it('drops the oldest closed incidents beyond the bound', () => {
    const history = new IncidentHistory({ stateDir: dir(), maxIncidents: 2 });
    const engine = new IncidentEngine({ entityThreshold: 1, openThreshold: 1, closeThreshold: 0, cap: 1, leak: 1 });
    for (let i = 0; i < 12; i++) {
      history.record(engine.evaluate({ at: 100 + i, entities: { x: i % 2 === 0 ? 'anomalous' : 'normal' } }), {});
    }
    assert.deepEqual(
      history.list().map((r) => r.id),
      ['inc-110', 'inc-108']
    );
  });

  it('a restart without an open incident closes records left open, and says why', () => {
    const history = new IncidentHistory({ stateDir: dir(), maxIncidents: 5 });
    const engine = new IncidentEngine({ entityThreshold: 1, openThreshold: 1, closeThreshold: 0, cap: 3 });
    history.record(engine.evaluate({ at: 100, entities: { x: 'anomalous' } }), { x: 1 });
    history.noneOpen();
    const [r] = history.list();
    assert.equal(r?.state, 'closed');
    assert.equal(r?.closedAt, 100, 'the last time it was known open');
    assert.match(r?.rule ?? '', /closed while the sidecar was not running/);
  });
});

describe('other state files', () => {
  it('evaluation notes keep the newest', async () => {
    const d = dir();
    const notes = new EvaluationNotes(d, 2);
    const note = (at: number) => ({
      at,
      kind: 'tolerated' as const,
      rule: 'none',
      entity: 'x',
      scope: 'service' as const,
      peak: 2,
      threshold: 3,
      temperature: 2,
      incidentId: null,
      summary: 's',
    });
    notes.add([note(1), note(2), note(3)]);
    await notes.save();
    const again = new EvaluationNotes(d, 2);
    await again.load();
    assert.deepEqual(
      again.list().map((n) => n.at),
      [3, 2]
    );
  });

  it('selection overrides persist; an unreadable file is an error that names it', async () => {
    const d = dir();
    const store = new SelectionOverrideStore(d);
    await store.replace({ include: ['b', 'a', 'a'], exclude: [] });
    const again = new SelectionOverrideStore(d);
    await again.load();
    assert.deepEqual(again.current, { include: ['a', 'b'], exclude: [] });
    writeFileSync(again.file, '{"include": 3}');
    await assert.rejects(again.load(), /selection-overrides\.json: include must be a list of service names/);
  });

  it('the engine snapshot leaves out zero accumulators', async () => {
    const store = new EngineSnapshotStore(dir());
    await store.write(
      {
        version: 1,
        lastAt: 10,
        entities: {
          a: { value: 2, peak: 2, normalStreak: 0, unknownStreak: 0 },
          b: { value: 0, peak: 0, normalStreak: 3, unknownStreak: 0 },
        },
        incident: null,
      },
      5
    );
    const read = await store.read();
    assert.deepEqual(Object.keys(read?.state.entities ?? {}), ['a']);
    assert.equal(read?.savedAt, 5);
  });
});

describe('readExportedIncidentState', () => {
  function prometheus(): PrometheusApi & { queries: string[] } {
    const queries: string[] = [];
    const target = { job: 'seismo', instance: '10.0.0.7:8080' };
    return {
      queries,
      async queryRange(promql) {
        queries.push(promql);
        return {
          resultType: 'matrix',
          result: [
            {
              metric: { __name__: 'seismo_incident_last_evaluation_timestamp_seconds', ...target },
              points: [
                [1000, 900],
                [1010, 915],
                [1020, 915],
                [1030, 0],
              ],
            },
          ],
          warnings: [],
          chunks: 1,
        };
      },
      async query(promql, time) {
        queries.push(`${promql} @${time}`);
        if (promql.startsWith('seismo_incident_accumulator')) {
          return {
            resultType: 'vector',
            result: [
              { metric: { scope: 'edge', entity: 'a->b', ...target }, time: 0, value: 7 },
              { metric: { scope: 'service', entity: 'b', ...target }, time: 0, value: 0 },
            ],
            warnings: [],
          };
        }
        if (promql.startsWith('seismo_incident_open{')) {
          return {
            resultType: 'vector',
            result: [{ metric: { incident_id: 'inc-900', severity: 'SEV2', ...target }, time: 0, value: 1 }],
            warnings: [],
          };
        }
        return {
          resultType: 'vector',
          result: [{ metric: { incident_id: 'inc-900', ...target }, time: 0, value: 900 }],
          warnings: [],
        };
      },
    };
  }

  it('reads every series at the scrape of the newest evaluation of this shard', async () => {
    const prom = prometheus();
    const exported = await readExportedIncidentState({
      prometheus: prom,
      shard: { index: 1, count: 3 },
      now: 1100,
      lookbackSeconds: 3600,
    });
    assert.match(prom.queries[0] ?? '', /and on \(job, instance\) seismo_shard_info\{index="1", count="3"\}/);
    assert.equal(exported?.scrapedAt, 1020, 'the latest grid point showing the newest evaluation');
    assert.ok(
      prom.queries.slice(1).every((q) => q.includes('job="seismo", instance="10.0.0.7:8080"') && q.endsWith('@1020'))
    );
    assert.equal(exported?.state.lastAt, 915);
    assert.deepEqual(exported?.state.entities['a->b'], { value: 7, peak: 7, normalStreak: 0, unknownStreak: 0 });
    assert.deepEqual(
      [exported?.state.incident?.id, exported?.state.incident?.openedAt, exported?.state.incident?.maxSeverity],
      ['inc-900', 900, 'SEV2']
    );
  });

  it('returns null when this replica never exported an evaluation', async () => {
    const empty: PrometheusApi = {
      queryRange: async () => ({ resultType: 'matrix', result: [], warnings: [], chunks: 1 }),
      query: async () => ({ resultType: 'vector', result: [], warnings: [] }),
    };
    assert.equal(
      await readExportedIncidentState({
        prometheus: empty,
        shard: { index: 0, count: 1 },
        now: 100,
        lookbackSeconds: 60,
      }),
      null
    );
  });
});
