import { seriesKey } from '../prometheus/seriesKey.js';
import type {
  InstantResult,
  Labels,
  MatrixSeries,
  Point,
  PrometheusApi,
  QueryOptions,
  RangeResult,
} from '../prometheus/types.js';

/** Newest steps read again every time: samples (and rate windows) that were still arriving. */
export const REREAD_STEPS = 4;

/**
 * One series of a kept window, its samples in two typed arrays: a window of tens of thousands of
 * series is kept between cycles, and as `[time, value]` pairs it would cost several times more.
 */
interface KeptSeries {
  readonly metric: Labels;
  readonly times: Float64Array;
  readonly values: Float64Array;
}

/** The window last read for one query. */
interface Entry {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  readonly series: readonly KeptSeries[];
}

/**
 * The detection loop's view of Prometheus: every cycle asks for the same queries over a window
 * that has moved by one interval, so the window read last time is kept per query and only the
 * steps after it (and the newest REREAD_STEPS before them, which late samples may still change)
 * are read again; the answer is the kept points of the window followed by the new ones. A mesh of
 * 10,000 services then reads 5 steps per series a cycle instead of 60: Prometheus evaluates, sends
 * and the sidecar decodes a twelfth of the samples, and the queries per cycle stay the same.
 *
 * The answer equals a full read of the window unless Prometheus changed points older than the
 * re-read steps since they were read (samples arriving more than REREAD_STEPS steps late). A read
 * that does not continue the kept one (another step, a window that starts earlier or is off the
 * grid, the first read) is a full read and replaces it. One window per query text is kept.
 * Instant queries pass through.
 */
export class IncrementalRangeReads implements PrometheusApi {
  readonly #inner: PrometheusApi;
  readonly #entries = new Map<string, Entry>();

  constructor(inner: PrometheusApi) {
    this.#inner = inner;
  }

  query(promql: string, time?: number, options?: QueryOptions): Promise<InstantResult> {
    return this.#inner.query(promql, time, options);
  }

  async queryRange(
    promql: string,
    start: number,
    end: number,
    stepSeconds: number,
    options?: QueryOptions
  ): Promise<RangeResult> {
    const kept = this.#entries.get(promql);
    const from = kept === undefined ? start : continuation(kept, start, end, stepSeconds);
    const fresh = await this.#inner.queryRange(promql, from, end, stepSeconds, options);
    const result = from === start ? fresh.result : join(kept as Entry, start, from, fresh.result);
    this.#entries.set(promql, { start, end, step: stepSeconds, series: result.map(compact) });
    return { ...fresh, result };
  }
}

/** Where a read of [start, end] has to start given what is kept: `start` when it cannot continue it. */
function continuation(kept: Entry, start: number, end: number, step: number): number {
  const offset = (start - kept.start) / step;
  if (kept.step !== step || start < kept.start || end < kept.end || Math.abs(offset - Math.round(offset)) > 1e-9) {
    return start;
  }
  // The first step not kept, less the steps to read again; never before the window.
  return Math.max(start, kept.end + step - REREAD_STEPS * step);
}

function sameLabels(a: Labels, b: Labels): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) {
    return false;
  }
  for (const k of keys) {
    if (a[k] !== b[k]) {
      return false;
    }
  }
  return true;
}

function compact(series: MatrixSeries): KeptSeries {
  const n = series.points.length;
  const times = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [t, v] = series.points[i] as Point;
    times[i] = t;
    values[i] = v;
  }
  return { metric: series.metric, times, values };
}

/** The samples of a kept series with start ≤ t < from, as points. */
function within(series: KeptSeries, start: number, from: number): Point[] {
  const { times, values } = series;
  let lo = 0;
  while (lo < times.length && (times[lo] as number) < start) {
    lo++;
  }
  const points: Point[] = [];
  for (let i = lo; i < times.length && (times[i] as number) < from; i++) {
    points.push([times[i] as number, values[i] as number]);
  }
  return points;
}

/** The kept points of each series in [start, from), followed by the freshly read ones. */
function join(kept: Entry, start: number, from: number, fresh: readonly MatrixSeries[]): MatrixSeries[] {
  const before = kept.series;
  let byKey: Map<string, number> | null = null;
  const used = new Uint8Array(before.length);
  const out: MatrixSeries[] = [];
  for (let f = 0; f < fresh.length; f++) {
    const series = fresh[f] as MatrixSeries;
    // Prometheus lists series in the same order every time: try the same position first.
    let i = f < before.length && sameLabels((before[f] as KeptSeries).metric, series.metric) ? f : -1;
    if (i < 0) {
      byKey ??= new Map(before.map((s, j) => [seriesKey(s.metric), j]));
      i = byKey.get(seriesKey(series.metric)) ?? -1;
    }
    if (i < 0 || used[i] === 1) {
      out.push(series);
      continue;
    }
    used[i] = 1;
    const points = within(before[i] as KeptSeries, start, from);
    for (const p of series.points) {
      points.push(p);
    }
    out.push({ metric: series.metric, points });
  }
  // Series without new points keep their older ones, as a full read of the window would return.
  for (let i = 0; i < before.length; i++) {
    if (used[i] === 0) {
      const points = within(before[i] as KeptSeries, start, from);
      if (points.length > 0) {
        out.push({ metric: (before[i] as KeptSeries).metric, points });
      }
    }
  }
  return out;
}
