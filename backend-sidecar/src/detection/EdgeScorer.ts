import type { AlignedSeries, StepGrid } from '../signals/index.js';
import { combineJudgements } from './combineJudgements.js';
import type { EdgeEntry } from './ServiceCatalog.js';
import type { EntityScore } from './types.js';
import type { UnivariateBank } from './UnivariateBank.js';

/** The edge signals every edge is judged on. */
export const EDGE_SIGNALS: readonly string[] = Object.freeze(['latency_p95', 'error_ratio', 'request_rate']);

/**
 * Scores monitored call edges with univariate detectors per edge signal: the edge's score is its
 * strongest signal's, and the contributions are the signals' shares.
 */
export class EdgeScorer {
  readonly #bank: UnivariateBank;
  readonly #threshold: number;

  constructor(bank: UnivariateBank, threshold: number) {
    this.#bank = bank;
    this.#threshold = threshold;
  }

  score(
    edges: readonly EdgeEntry[],
    series: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>,
    grid: StepGrid,
    failed?: ReadonlySet<string>
  ): Map<string, EntityScore> {
    const out = new Map<string, EntityScore>();
    for (const edge of edges) {
      this.#bank.feedAll(edge.id, series.get(edge.id), grid.timestamps, failed);
      out.set(edge.id, combineJudgements(this.#bank.judge(edge.id, grid.end), this.#threshold));
    }
    return out;
  }
}
