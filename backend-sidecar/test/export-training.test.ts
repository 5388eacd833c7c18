import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { parsePreset, TelemetryReader } from '../src/adapters/index.js';
import { exportTrainingData } from '../src/export/exportTrainingData.js';
import { formatTrainingCsv } from '../src/export/formatTrainingCsv.js';
import { parseTimeArgument } from '../src/export/parseTimeArgument.js';
import type { MatrixSeries, RangeQueryApi, RangeResult } from '../src/prometheus/index.js';

const dir = mkdtempSync(join(tmpdir(), 'export-training-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PRESET = parsePreset(
  `source: mesh
defaults:
  labels: { service: app, client: src, server: dst }
signals:
  service:
    request_rate:
      query: sum by (app) (rate(requests_total[\${window}]))
    latency_p95:
      query: max by (app) (p95_seconds)
`,
  'mesh.yaml'
);

/** Answers each template with fixed series; records the ranges asked for. */
function fakePrometheus(series: Record<string, MatrixSeries[]>, ranges: Array<[number, number]>): RangeQueryApi {
  return {
    async queryRange(promql: string, start: number, end: number): Promise<RangeResult> {
      ranges.push([start, end]);
      const key = promql.includes('requests_total') ? 'request_rate' : 'latency_p95';
      const inRange = (series[key] ?? []).map((s) => ({
        metric: s.metric,
        points: s.points.filter(([t]) => t >= start && t <= end),
      }));
      return { resultType: 'matrix', result: inRange, warnings: [], chunks: 1 };
    },
  } as RangeQueryApi;
}

describe('training data export', () => {
  test('a CSV row per grid point; gaps and interpolated points are empty cells, never 0', () => {
    const csv = formatTrainingCsv(
      [100, 105, 110],
      ['request_rate', 'latency_p95'],
      new Map([
        [
          'request_rate',
          { values: [1, Number.NaN, 3], missing: [false, true, false], interpolated: [false, false, false] },
        ],
        [
          'latency_p95',
          { values: [0.2, 0.25, 0.3], missing: [false, false, false], interpolated: [false, true, false] },
        ],
      ])
    );
    assert.equal(csv, 'timestamp,request_rate,latency_p95\n100,1,0.2\n105,,\n110,3,0.3\n');
  });

  test('reads in chunks through the sidecar reader and writes one file per service in channel order', async () => {
    const points = (f: (t: number) => number): Array<[number, number]> =>
      Array.from({ length: 12 }, (_, i) => [1000 + i * 5, f(i)] as [number, number]);
    const ranges: Array<[number, number]> = [];
    const reader = new TelemetryReader({
      client: fakePrometheus(
        {
          request_rate: [
            { metric: { app: 'cart' }, points: points((i) => 10 + i) },
            { metric: { app: 'web' }, points: points(() => 5) },
          ],
          // cart has no latency series at all: its column stays empty rather than invented.
          latency_p95: [{ metric: { app: 'web' }, points: points((i) => (i === 4 ? Number.NaN : 0.1)) }],
        },
        ranges
      ),
      presets: [PRESET],
      windowSeconds: 20,
    });
    const out = join(dir, 'chunks');
    const summary = await exportTrainingData({
      read: (range) => reader.read(range),
      start: 1000,
      end: 1055,
      step: 5,
      signals: ['latency_p95', 'request_rate'],
      maxPoints: 5,
      outDir: out,
    });
    assert.equal(summary.services, 2);
    assert.equal(summary.rows, 12);
    assert.deepEqual(
      ranges.filter((_, i) => i % 2 === 0),
      [
        [1000, 1020],
        [1025, 1045],
        [1050, 1055],
      ],
      'three chunks of at most five points'
    );
    const cart = readFileSync(join(out, 'cart.csv'), 'utf8').trim().split('\n');
    assert.equal(cart[0], 'timestamp,latency_p95,request_rate');
    assert.equal(cart.length, 13);
    assert.equal(cart[1], '1000,,10');
    assert.equal(cart[12], '1055,,21');
    const web = readFileSync(join(out, 'web.csv'), 'utf8').trim().split('\n');
    assert.equal(web[1], '1000,0.1,5');
    // The reader bridges a one-point gap by interpolation; the export leaves it to the trainer.
    assert.equal(web[5], '1020,,5');
    assert.equal(summary.coverage.request_rate, 1);
    assert.ok(Math.abs((summary.coverage.latency_p95 ?? 0) - 11 / 24) < 1e-12);
  });

  test('a service that calls nothing gets structural zeros for its outbound signals, as the sidecar scores it', async () => {
    const preset = parsePreset(
      `source: mesh
defaults:
  labels: { service: app, client: src, server: dst }
signals:
  service:
    request_rate:
      query: max by (app) (svc_rate)
    outbound_request_rate:
      query: max by (app) (svc_out)
  edge:
    request_rate:
      query: max by (src, dst) (edge_rate)
`,
      'mesh.yaml'
    );
    const at = (values: Array<number | null>): Array<[number, number]> =>
      values.flatMap((v, i) => (v === null ? [] : [[2000 + i * 5, v] as [number, number]]));
    const client: RangeQueryApi = {
      async queryRange(promql: string): Promise<RangeResult> {
        const result: MatrixSeries[] = promql.includes('edge_rate')
          ? [{ metric: { src: 'web', dst: 'leaf' }, points: at([4, 4, 4, 4]) }]
          : promql.includes('svc_out')
            ? [{ metric: { app: 'web' }, points: at([4, 4, 4, 4]) }]
            : [
                { metric: { app: 'web' }, points: at([5, 5, 5, 5]) },
                { metric: { app: 'leaf' }, points: at([4, 4, null, null]) },
              ];
        return { resultType: 'matrix', result, warnings: [], chunks: 1 };
      },
    } as RangeQueryApi;
    const reader = new TelemetryReader({ client, presets: [preset], windowSeconds: 5 });
    const out = join(dir, 'zeros');
    await exportTrainingData({
      read: (range) => reader.read(range),
      start: 2000,
      end: 2015,
      step: 5,
      signals: ['request_rate', 'outbound_request_rate'],
      maxPoints: 100,
      outDir: out,
    });
    assert.deepEqual(readFileSync(join(out, 'leaf.csv'), 'utf8').trim().split('\n'), [
      'timestamp,request_rate,outbound_request_rate',
      '2000,4,0',
      '2005,4,0',
      '2010,,',
      '2015,,',
    ]);
    assert.equal(readFileSync(join(out, 'web.csv'), 'utf8').trim().split('\n')[1], '2000,5,4');
  });

  test('times on the command line: unix seconds, RFC 3339 and now-<duration>; anything else is refused', () => {
    assert.equal(parseTimeArgument('1700000000', 0, '--from'), 1_700_000_000);
    assert.equal(parseTimeArgument('2023-11-14T22:13:20Z', 0, '--from'), 1_700_000_000);
    assert.equal(parseTimeArgument('now-6h', 100_000, '--from'), 100_000 - 6 * 3600);
    assert.equal(parseTimeArgument('now', 42, '--to'), 42);
    assert.throws(
      () => parseTimeArgument('yesterday', 0, '--from'),
      /--from: "yesterday" is not a time; use unix seconds/
    );
  });
});
