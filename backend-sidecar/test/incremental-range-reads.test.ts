import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { IncrementalRangeReads, REREAD_STEPS } from '../src/detection/IncrementalRangeReads.js';
import { seriesKey } from '../src/prometheus/seriesKey.js';
import type { InstantResult, MatrixSeries, PrometheusApi, RangeResult } from '../src/prometheus/types.js';

const STEP = 15;

/**
 * A Prometheus over a fixed set of series whose values the test can change, recording the
 * ranges it was asked for. Series `gone` have no points after `goneAfter`, series `late` none
 * before `lateFrom`; a point is missing where `holes` says so.
 */
class Backend implements PrometheusApi {
  readonly reads: Array<{ start: number; end: number }> = [];
  offset = 0;
  down = false;

  async queryRange(_promql: string, start: number, end: number, step: number): Promise<RangeResult> {
    if (this.down) {
      throw new Error('Prometheus is down');
    }
    this.reads.push({ start, end });
    const result: MatrixSeries[] = [];
    for (const name of ['steady', 'gone', 'late', 'holey']) {
      const points: Array<readonly [number, number]> = [];
      for (let t = start; t <= end; t += step) {
        const present =
          (name !== 'gone' || t <= 1_000_300) &&
          (name !== 'late' || t >= 1_000_450) &&
          (name !== 'holey' || Math.floor(t / step) % 5 !== 0);
        if (present) {
          points.push([t, ((t / step) % 97) + name.length + this.offset]);
        }
      }
      if (points.length > 0) {
        result.push({ metric: { service: name }, points });
      }
    }
    return { resultType: 'matrix', result, warnings: [], chunks: 1 };
  }

  async query(): Promise<InstantResult> {
    return { resultType: 'vector', result: [], warnings: [] };
  }
}

function byKey(result: readonly MatrixSeries[]): Map<string, ReadonlyArray<readonly [number, number]>> {
  return new Map(result.map((s) => [seriesKey(s.metric), s.points]));
}

describe('IncrementalRangeReads', () => {
  it('answers a moving window like a full read while reading only the new and newest steps', async () => {
    const backend = new Backend();
    const reads = new IncrementalRangeReads(backend);
    const full = new Backend();
    const window = 60;
    for (let end = 1_000_000; end <= 1_001_200; end += STEP) {
      const start = end - (window - 1) * STEP;
      const got = await reads.queryRange('q', start, end, STEP);
      const want = await full.queryRange('q', start, end, STEP);
      assert.deepEqual(byKey(got.result), byKey(want.result), `window ending at ${end}`);
    }
    const [first, ...rest] = backend.reads;
    assert.equal(first!.end - first!.start, (window - 1) * STEP, 'the first read is the whole window');
    for (const r of rest) {
      assert.equal((r.end - r.start) / STEP + 1, REREAD_STEPS + 1, 'then the new step and the re-read ones');
    }
  });

  it('sees values that changed within the re-read steps, not older ones', async () => {
    const backend = new Backend();
    const reads = new IncrementalRangeReads(backend);
    await reads.queryRange('q', 1_000_000, 1_000_300, STEP);
    backend.offset = 1000;
    const got = byKey((await reads.queryRange('q', 1_000_015, 1_000_315, STEP)).result).get(
      seriesKey({ service: 'steady' })
    )!;
    const changedFrom = 1_000_315 - REREAD_STEPS * STEP;
    for (const [t, v] of got) {
      assert.equal(v >= 1000, t >= changedFrom, `point at ${t}`);
    }
  });

  it('reads in full when the window does not continue the kept one', async () => {
    const backend = new Backend();
    const reads = new IncrementalRangeReads(backend);
    await reads.queryRange('q', 1_000_000, 1_000_300, STEP);
    await reads.queryRange('q', 1_000_000 - STEP, 1_000_300, STEP); // starts earlier
    await reads.queryRange('q', 1_000_007, 1_000_307, STEP); // off the grid
    await reads.queryRange('q', 1_000_000, 1_000_600, 60); // another step
    await reads.queryRange('other', 1_000_015, 1_000_315, STEP); // another query
    assert.deepEqual(
      backend.reads.map((r) => r.start),
      [1_000_000, 1_000_000 - STEP, 1_000_007, 1_000_000, 1_000_015]
    );
  });

  it('passes a failed read through and continues from what it had read before', async () => {
    const backend = new Backend();
    const reads = new IncrementalRangeReads(backend);
    await reads.queryRange('q', 1_000_000, 1_000_300, STEP);
    backend.down = true;
    await assert.rejects(reads.queryRange('q', 1_000_015, 1_000_315, STEP), /down/);
    backend.down = false;
    const got = await reads.queryRange('q', 1_000_030, 1_000_330, STEP);
    assert.equal(backend.reads.at(-1)!.start, 1_000_300 + STEP - REREAD_STEPS * STEP, 'continues the last good read');
    const want = await new Backend().queryRange('q', 1_000_030, 1_000_330, STEP);
    assert.deepEqual(byKey(got.result), byKey(want.result));
  });
});
