import { PrometheusError } from '../../src/prometheus/PrometheusError.js';
import type {
  InstantResult,
  MatrixSeries,
  PrometheusApi,
  QueryOptions,
  RangeResult,
} from '../../src/prometheus/types.js';

/** A value of one test metric for one entity at unix second t; null for "no sample". */
export type SeriesFunction = (metric: string, labels: Readonly<Record<string, string>>, t: number) => number | null;

export interface FakeEntity {
  readonly labels: Readonly<Record<string, string>>;
  /** Metric names this entity has (e.g. svc_latency_p95). */
  readonly metrics: readonly string[];
}

/**
 * A Prometheus stand-in for the loop tests: it recognises the test preset's metric names in a
 * query (the first `svc_*`, `edge_*` or `ident_*` name) and answers with the entities' values
 * from a function of time, so a test controls exactly what each cycle reads. It can be taken
 * "down" (every call fails like a refused connection) and records every query. Instant queries
 * of other names are passed to `instant`, e.g. the restore queries of exported series.
 */
export class FakePrometheus implements PrometheusApi {
  down = false;
  /** Real milliseconds every answer takes (a slow Prometheus); the caller's abort signal cuts it short. */
  delayMs = 0;
  readonly queries: string[] = [];
  readonly #entities: FakeEntity[];
  readonly #value: SeriesFunction;
  instant: ((promql: string, time: number) => InstantResult | null) | null = null;
  range: ((promql: string, start: number, end: number, step: number) => RangeResult | null) | null = null;

  constructor(entities: FakeEntity[], value: SeriesFunction) {
    this.#entities = entities;
    this.#value = value;
  }

  #fail(promql: string): never {
    throw new PrometheusError('network', 'connect ECONNREFUSED 127.0.0.1:9', {
      path: '/api/v1/query_range',
      query: promql,
    });
  }

  async #wait(promql: string, options: QueryOptions | undefined): Promise<void> {
    if (this.delayMs <= 0) {
      return;
    }
    if (options?.signal?.aborted === true) {
      throw new PrometheusError('aborted', 'aborted by the caller', { query: promql });
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, this.delayMs);
      options?.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(new PrometheusError('aborted', 'aborted by the caller', { query: promql }));
        },
        { once: true }
      );
    });
  }

  async queryRange(
    promql: string,
    start: number,
    end: number,
    step: number,
    options?: QueryOptions
  ): Promise<RangeResult> {
    this.queries.push(promql);
    if (this.down) {
      this.#fail(promql);
    }
    await this.#wait(promql, options);
    const custom = this.range?.(promql, start, end, step) ?? null;
    if (custom !== null) {
      return custom;
    }
    const metric = /\b((?:svc|edge)_[a-z0-9_]+)/.exec(promql)?.[1];
    const result: MatrixSeries[] = [];
    for (const e of this.#entities) {
      if (metric === undefined || !e.metrics.includes(metric)) {
        continue;
      }
      const points: Array<readonly [number, number]> = [];
      for (let t = start; t <= end + 1e-9; t += step) {
        const v = this.#value(metric, e.labels, t);
        if (v !== null) {
          points.push([t, v]);
        }
      }
      if (points.length > 0) {
        result.push({ metric: e.labels, points });
      }
    }
    return { resultType: 'matrix', result, warnings: [], chunks: 1 };
  }

  async query(promql: string, time?: number, options?: QueryOptions): Promise<InstantResult> {
    this.queries.push(promql);
    if (this.down) {
      this.#fail(promql);
    }
    await this.#wait(promql, options);
    const t = time ?? 0;
    const custom = this.instant?.(promql, t) ?? null;
    if (custom !== null) {
      return custom;
    }
    const metric = /\b(ident_[a-z0-9_]+)/.exec(promql)?.[1];
    const result = this.#entities
      .filter((e) => metric !== undefined && e.metrics.includes(metric))
      .map((e) => ({ metric: e.labels, time: t, value: 1 }));
    return { resultType: 'vector', result, warnings: [] };
  }
}
