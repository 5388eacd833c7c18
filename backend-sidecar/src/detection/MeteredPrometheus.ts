import type { PrometheusErrorKind } from '../prometheus/PrometheusError.js';
import type { InstantResult, PrometheusApi, QueryOptions, RangeResult } from '../prometheus/types.js';

export type QueryOutcome = 'ok' | PrometheusErrorKind | 'unknown';

/** Kinds that mean Prometheus answered (the query itself was refused), not that it was unreachable. */
const ANSWERED: ReadonlySet<string> = new Set(['ok', 'query', 'budget']);

/** Whether an outcome shows Prometheus reachable. */
export function answered(outcome: QueryOutcome): boolean {
  return ANSWERED.has(outcome);
}

function outcomeOf(error: unknown): QueryOutcome {
  return (error as { kind?: PrometheusErrorKind }).kind ?? 'unknown';
}

/**
 * A Prometheus API that reports the outcome of every call, whatever client sits behind it (the
 * real one, or a test's fake): the loop counts its queries per cycle and decides from the
 * outcomes whether Prometheus was reachable.
 */
export class MeteredPrometheus implements PrometheusApi {
  readonly #inner: PrometheusApi;
  readonly #onQuery: (outcome: QueryOutcome, error: unknown) => void;

  constructor(inner: PrometheusApi, onQuery: (outcome: QueryOutcome, error: unknown) => void) {
    this.#inner = inner;
    this.#onQuery = onQuery;
  }

  async query(promql: string, time?: number, options?: QueryOptions): Promise<InstantResult> {
    try {
      const result = await this.#inner.query(promql, time, options);
      this.#onQuery('ok', null);
      return result;
    } catch (error) {
      this.#onQuery(outcomeOf(error), error);
      throw error;
    }
  }

  async queryRange(
    promql: string,
    start: number,
    end: number,
    stepSeconds: number,
    options?: QueryOptions
  ): Promise<RangeResult> {
    try {
      const result = await this.#inner.queryRange(promql, start, end, stepSeconds, options);
      this.#onQuery('ok', null);
      return result;
    } catch (error) {
      this.#onQuery(outcomeOf(error), error);
      throw error;
    }
  }
}

/** Outcomes of the queries of one cycle. */
export class QueryTally {
  total = 0;
  reachable = 0;
  lastError: string | null = null;

  record(outcome: QueryOutcome, error: unknown): void {
    this.total++;
    if (answered(outcome)) {
      this.reachable++;
    } else {
      this.lastError = `${outcome}: ${(error as Error | null)?.message ?? String(error)}`;
    }
  }

  /** No query sent counts as reachable: nothing showed otherwise. */
  get prometheusUp(): boolean {
    return this.total === 0 || this.reachable > 0;
  }

  reset(): void {
    this.total = 0;
    this.reachable = 0;
    this.lastError = null;
  }
}
