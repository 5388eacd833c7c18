import type { AlignedSeries, StepGrid } from '../signals/index.js';
import { combineJudgements } from './combineJudgements.js';
import type { EdgeEntry } from './ServiceCatalog.js';
import type { EntityScore } from './types.js';
import type { UnivariateBank } from './UnivariateBank.js';

/** Longest stretch of scoring before pending I/O gets a turn, and how many edges between checks. */
const SLICE_MS = 20;
const SLICE_CHECK = 128;

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

  /**
   * Scores the edges in slices of at most SLICE_MS, letting pending I/O run in between: a mesh
   * of thousands of services has tens of thousands of edges, and the API must keep answering
   * while they are scored.
   */
  async score(
    edges: readonly EdgeEntry[],
    series: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>,
    grid: StepGrid,
    failed?: ReadonlySet<string>
  ): Promise<Map<string, EntityScore>> {
    const out = new Map<string, EntityScore>();
    let slice = performance.now();
    for (let i = 0; i < edges.length; i++) {
      const edge = edges[i] as EdgeEntry;
      this.#bank.feedAll(edge.id, series.get(edge.id), grid.timestamps, failed);
      out.set(edge.id, combineJudgements(this.#bank.judge(edge.id, grid.end), this.#threshold));
      if (i % SLICE_CHECK === SLICE_CHECK - 1 && performance.now() - slice > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    return out;
  }
}
