import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { readRootCauseCase } from '../src/eval/nezha/readRootCauseCase.js';
import { writeRootCauseCase } from '../src/eval/nezha/writeRootCauseCase.js';
import {
  CaseFormatError,
  ROOT_CAUSE_CASE_FORMAT,
  caseFileName,
  formatEdgeTables,
  formatSignalTable,
  parseCaseMeta,
  parseCsv,
  parseEdgeTables,
  parseSignalTable,
  rankRootCauseCase,
  type RootCauseCase,
} from '../src/rootcause/case/index.js';

const T = 1_700_000_000;
const STEP = 60;

describe('case files', () => {
  it('round-trips metric tables, keeping unknown values unknown', () => {
    const table = {
      timestamps: [T, T + 60, T + 120],
      columns: { cpu_usage: [0.5, Number.NaN, 0.123456789], latency_p95: [0.01, 0.02, 0.03] },
    };
    const text = formatSignalTable(table);
    assert.equal(text.split('\n')[2], `${T + 60},,0.02`);
    const back = parseSignalTable(text, 'x.csv');
    assert.deepEqual(back.timestamps, table.timestamps);
    assert.ok(Number.isNaN(back.columns.cpu_usage?.[1]));
    assert.equal(back.columns.cpu_usage?.[2], 0.1234568);
    const edges = [{ client: 'a', server: 'b,c', timestamps: [T], columns: { client_latency: [0.5] } }];
    assert.deepEqual(parseEdgeTables(formatEdgeTables(edges), 'edges.csv'), edges);
  });

  it('reports the file and line of malformed content', () => {
    assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'f.csv'), /f\.csv:3: has 1 fields, the header has 2/);
    assert.throws(() => parseSignalTable('time,x\n1,2\n', 'f.csv'), /first column must be "timestamp"/);
    assert.throws(() => parseSignalTable('timestamp,x\n2,1\n1,1\n', 'f.csv'), /f\.csv:3: timestamp 1 is not after/);
    assert.throws(
      () => parseSignalTable('timestamp,x\n1,abc\n', 'f.csv'),
      (e: unknown) => e instanceof CaseFormatError && /"abc" is not a number/.test(e.message)
    );
    assert.deepEqual(parseCsv('"a ""q""",b\r\n"1,5",2\r\n', 'q.csv'), { header: ['a "q"', 'b'], rows: [['1,5', '2']] });
  });

  it('checks case.json', () => {
    const good = { format: ROOT_CAUSE_CASE_FORMAT, id: 'c1', step: 60, alertTime: T, services: ['a'] };
    assert.equal(parseCaseMeta(JSON.stringify(good), 'case.json').id, 'c1');
    assert.throws(
      () => parseCaseMeta(JSON.stringify({ ...good, format: 'other/2' }), 'case.json'),
      /format must be "seismo-rootcause-case\/1"/
    );
    assert.throws(
      () => parseCaseMeta(JSON.stringify({ ...good, label: { type: 'x' } }), 'case.json'),
      /label: needs a non-empty "service"/
    );
    assert.throws(
      () => parseCaseMeta(JSON.stringify({ ...good, services: ['a', 'a'] }), 'case.json'),
      /lists a name twice/
    );
    assert.throws(
      () =>
        parseCaseMeta(
          JSON.stringify({ ...good, serviceSignals: { x: { role: 'cpu', badDirection: 'up' } } }),
          'case.json'
        ),
      /serviceSignals\.x: needs role/
    );
  });

  it('encodes service names that are not safe as file names', () => {
    assert.equal(caseFileName('cartservice'), 'cartservice.csv');
    assert.equal(caseFileName('ns/app:v2'), 'ns%2Fapp%3Av2.csv');
  });
});

/** A small case: `db` gets slow at the alert, `api` (which calls it) follows a minute later. */
function syntheticCase(withBaseline: boolean): RootCauseCase {
  const n = 60;
  const alertIndex = 45;
  const ts = Array.from({ length: n }, (_, i) => T + i * STEP);
  const wiggle = (i: number, k: number) => Math.sin(i * 1.7 + k) * 0.02;
  const table = (k: number, slowFrom: number | null, base: number) => ({
    timestamps: ts,
    columns: {
      latency_p95: ts.map((_, i) => base * (1 + wiggle(i, k)) * (slowFrom !== null && i >= slowFrom ? 4 : 1)),
      cpu_usage: ts.map((_, i) => 0.2 * (1 + wiggle(i, k + 1))),
    },
  });
  const baseTs = Array.from({ length: 180 }, (_, i) => T - 86_400 + i * STEP);
  const baseTable = (k: number, base: number) => ({
    timestamps: baseTs,
    columns: {
      latency_p95: baseTs.map((_, i) => base * (1 + wiggle(i, k))),
      cpu_usage: baseTs.map((_, i) => 0.2 * (1 + wiggle(i, k + 1))),
    },
  });
  return {
    meta: {
      format: ROOT_CAUSE_CASE_FORMAT,
      id: 'synthetic',
      system: 'demo',
      step: STEP,
      alertTime: T + alertIndex * STEP,
      services: ['api', 'db', 'web'],
      label: { service: 'db', type: 'slow_query' },
    },
    graph: [
      { client: 'web', server: 'api' },
      { client: 'api', server: 'db' },
    ],
    window: {
      services: {
        web: table(1, alertIndex + 2, 0.3),
        api: table(2, alertIndex + 1, 0.1),
        db: table(3, alertIndex, 0.02),
      },
      edges: [],
    },
    baseline: withBaseline
      ? { services: { web: baseTable(1, 0.3), api: baseTable(2, 0.1), db: baseTable(3, 0.02) }, edges: [] }
      : null,
  };
}

describe('rankRootCauseCase', () => {
  const options = { rank: { lookbackSeconds: 120, lookaheadSeconds: 480 } };

  it('ranks a case read back from its folder the same as the case in memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rootcause-case-'));
    try {
      const original = syntheticCase(true);
      await writeRootCauseCase(join(dir, 'c'), original);
      const read = await readRootCauseCase(join(dir, 'c'));
      assert.deepEqual(read.meta, original.meta);
      const a = rankRootCauseCase(original, options).ranking.candidates;
      const b = rankRootCauseCase(read, options).ranking.candidates;
      assert.deepEqual(
        b.map((c) => c.service),
        a.map((c) => c.service)
      );
      // Files keep seven significant digits, so scores agree to about that precision.
      a.forEach((c, i) => assert.ok(Math.abs(c.score - (b[i]?.score ?? 0)) <= 1e-4 * Math.max(1, c.score), c.service));
      assert.equal(a[0]?.service, 'db');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('falls back to the start of the window as baseline and says so', () => {
    const result = rankRootCauseCase(syntheticCase(false), options);
    assert.equal(result.ranking.candidates[0]?.service, 'db');
    assert.ok(result.notes.some((n) => /no baseline in the case/.test(n)));
  });

  it('treats graph services without metrics as emitting nothing and notes undeclared columns', () => {
    const c = syntheticCase(true);
    c.graph.push({ client: 'api', server: 'cache' });
    (c.window.services.db as { columns: Record<string, number[]> }).columns.queue_depth =
      c.window.services.db?.timestamps.map(() => 1) ?? [];
    const result = rankRootCauseCase(c, options);
    assert.ok(result.notes.some((n) => /service cache is in the graph but has no metrics/.test(n)));
    assert.ok(result.notes.some((n) => /"queue_depth" is neither canonical nor declared/.test(n)));
    assert.equal(result.ranking.candidates.find((x) => x.service === 'cache')?.unknown, true);
  });
});
