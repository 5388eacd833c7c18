import type { Clock } from './types.js';

/** What the scheduler needs from a forecaster (Forecaster implements it). */
export interface Refittable {
  readonly target: { readonly id: string };
  /** Clock time of the last refit attempt, undefined if never. */
  lastRefitAt(): number | undefined;
  /** In [0, 1]; low trust is refitted sooner. */
  trust(): number;
  refit(): unknown;
}

export interface RefitSchedulerOptions {
  readonly clock: Clock;
  /** Milliseconds of refitting allowed per cycle. */
  readonly budgetMs: number;
  /** A target refitted less than this long ago is left alone (unless never fitted). */
  readonly minIntervalMs: number;
  /** Age at which staleness counts as much as a trust of 0. */
  readonly staleAfterMs: number;
  /** Cost assumed for a target never measured when no other cost is known either. */
  readonly initialCostMs: number;
  /** Weight of the newest measurement in the per-target cost average. */
  readonly costSmoothing?: number;
}

export interface CycleReport {
  readonly refitted: Array<{ id: string; ms: number }>;
  /** Eligible targets left for a later cycle because the budget was used up. */
  readonly deferred: string[];
  readonly spentMs: number;
  readonly budgetMs: number;
}

/**
 * Decides which forecasters refit in a cycle so that many targets share a fixed time budget.
 * Priority: never-fitted targets first, then by staleness (age / staleAfterMs) plus distrust
 * (1 − trust). Targets are refitted in priority order while the remaining budget covers their
 * expected cost, which is a smoothed average of their measured fit times; the first one that
 * does not fit ends the cycle, so an expensive target at the top cannot be starved by cheap
 * ones behind it. If not even the first target fits the budget it is refitted anyway (a cycle
 * always makes progress) and the overrun shows in the report.
 */
export class RefitScheduler {
  readonly #options: Required<RefitSchedulerOptions>;
  readonly #costs = new Map<string, number>();

  constructor(options: RefitSchedulerOptions) {
    for (const key of ['budgetMs', 'minIntervalMs', 'staleAfterMs', 'initialCostMs'] as const) {
      const v = options[key];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (key === 'staleAfterMs' && v === 0)) {
        throw new RangeError(
          `${key} must be a finite number >= 0${key === 'staleAfterMs' ? ' and > 0' : ''} (got ${String(v)})`
        );
      }
    }
    const costSmoothing = options.costSmoothing ?? 0.3;
    if (!(costSmoothing > 0 && costSmoothing <= 1)) {
      throw new RangeError(`costSmoothing must be in (0, 1] (got ${String(costSmoothing)})`);
    }
    this.#options = { ...options, costSmoothing };
  }

  /** Expected refit cost of a target in milliseconds. */
  expectedCost(id: string): number {
    const known = this.#costs.get(id);
    if (known !== undefined) {
      return known;
    }
    if (this.#costs.size === 0) {
      return this.#options.initialCostMs;
    }
    let sum = 0;
    for (const c of this.#costs.values()) {
      sum += c;
    }
    return sum / this.#costs.size;
  }

  /** Targets in the order a cycle would consider them (eligible ones only). */
  plan(targets: readonly Refittable[]): Refittable[] {
    const now = this.#options.clock.now();
    const scored: Array<{ t: Refittable; priority: number; order: number }> = [];
    targets.forEach((t, order) => {
      const last = t.lastRefitAt();
      if (last === undefined) {
        scored.push({ t, priority: Number.POSITIVE_INFINITY, order });
        return;
      }
      const age = now - last;
      if (age < this.#options.minIntervalMs) {
        return;
      }
      const trust = Math.min(1, Math.max(0, t.trust()));
      scored.push({ t, priority: age / this.#options.staleAfterMs + (1 - trust), order });
    });
    // Stable: equal priorities keep the caller's order, so runs are reproducible.
    scored.sort((a, b) => (a.priority === b.priority ? a.order - b.order : b.priority > a.priority ? 1 : -1));
    return scored.map((s) => s.t);
  }

  /** Runs one cycle of refits within the budget. Refits run one after another. */
  async runCycle(targets: readonly Refittable[]): Promise<CycleReport> {
    const { clock, budgetMs, costSmoothing } = this.#options;
    const queue = this.plan(targets);
    const started = clock.now();
    const refitted: Array<{ id: string; ms: number }> = [];
    let i = 0;
    for (; i < queue.length; i++) {
      const t = queue[i] as Refittable;
      const spent = clock.now() - started;
      if (refitted.length > 0 && spent + this.expectedCost(t.target.id) > budgetMs) {
        break;
      }
      const t0 = clock.now();
      await t.refit();
      const ms = clock.now() - t0;
      const previous = this.#costs.get(t.target.id);
      this.#costs.set(t.target.id, previous === undefined ? ms : previous + costSmoothing * (ms - previous));
      refitted.push({ id: t.target.id, ms });
    }
    return {
      refitted,
      deferred: queue.slice(i).map((t) => t.target.id),
      spentMs: clock.now() - started,
      budgetMs,
    };
  }
}
