import type { ForecastConfig } from '../config/types.js';
import type { ForecastTarget } from '../forecast/defaultForecastTargets.js';
import { Forecaster, type Observation } from '../forecast/Forecaster.js';
import type { Augurs } from '../forecast/loadAugurs.js';
import { RefitScheduler } from '../forecast/RefitScheduler.js';
import { splitEdgeEntityId } from '../incidents/edgeEntityId.js';
import type { GridSeries, LearningMask } from './UnivariateBank.js';

/** A candidate target with the traffic it is ranked by. */
export interface ForecastCandidate {
  readonly scope: 'service' | 'edge';
  /** Service name or edge id. */
  readonly entity: string;
  readonly signal: string;
  /** Requests per second; busier targets are forecast first. */
  readonly traffic: number;
}

/** One judged step, kept for the API's recent-actuals view. */
export interface ForecastPoint {
  readonly t: number;
  readonly actual: number | null;
  readonly yhat: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly anomalous: boolean;
}

interface Entry {
  readonly forecaster: Forecaster;
  traffic: number;
  last: Observation | null;
  readonly recent: ForecastPoint[];
}

export interface ForecastBankOptions {
  readonly config: ForecastConfig;
  readonly stepSeconds: number;
  readonly intervalSeconds: number;
  readonly augurs: Augurs;
  /** Milliseconds. */
  readonly now: () => number;
  readonly mask?: LearningMask;
  /** Steps of recent judgements kept per target for the API. */
  readonly recentPoints?: number;
}

export interface RefitSummary {
  readonly refitted: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly deferred: number;
}

const DEFAULT_RECENT = 360;

/**
 * One Forecaster per target, for at most `forecast.maxTargets` targets (the busiest first, so
 * memory stays bounded however large the mesh). Each cycle feeds every forecaster the grid
 * points after the last one it saw and refits within the cycle's time budget (RefitScheduler).
 * Points inside feedback windows are fed as missing: forecasts never learn from them.
 */
export class ForecastBank {
  readonly #o: ForecastBankOptions;
  readonly #entries = new Map<string, Entry>();
  readonly #scheduler: RefitScheduler;
  readonly #recent: number;

  constructor(options: ForecastBankOptions) {
    this.#o = options;
    this.#recent = options.recentPoints ?? DEFAULT_RECENT;
    const cycleMs = options.intervalSeconds * 1000;
    this.#scheduler = new RefitScheduler({
      clock: { now: options.now },
      budgetMs: options.config.refitBudgetSecondsPerCycle * 1000,
      // A target is refitted at most every 20 cycles (5 minutes at the default interval) ...
      minIntervalMs: 20 * cycleMs,
      // ... and counts as fully stale after 240 (an hour).
      staleAfterMs: 240 * cycleMs,
      initialCostMs: 50,
    });
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Keeps the targets of entities still monitored, fills free slots with the busiest candidates
   * not yet forecast, and, when over the limit, drops the quietest. Returns the ids dropped.
   */
  select(candidates: readonly ForecastCandidate[]): string[] {
    const { maxTargets, targets } = this.#o.config;
    const wanted = new Map<string, ForecastCandidate>();
    for (const c of candidates) {
      if (targets.scopes.includes(c.scope) && targets.signals.includes(c.signal)) {
        wanted.set(`${c.entity}:${c.signal}`, c);
      }
    }
    const dropped: string[] = [];
    for (const [id, entry] of this.#entries) {
      const c = wanted.get(id);
      if (c === undefined) {
        this.#entries.delete(id);
        dropped.push(id);
      } else {
        entry.traffic = c.traffic;
      }
    }
    const free = [...wanted.values()]
      .filter((c) => !this.#entries.has(`${c.entity}:${c.signal}`))
      .sort((a, b) => b.traffic - a.traffic || (a.entity < b.entity ? -1 : 1));
    for (const c of free) {
      if (this.#entries.size >= maxTargets) {
        break;
      }
      const target: ForecastTarget = {
        id: `${c.entity}:${c.signal}`,
        scope: c.scope,
        entity: c.entity,
        signal: c.signal,
      };
      const forecaster = new Forecaster(target, this.#o.stepSeconds, this.#o.config.forecaster, {
        augurs: this.#o.augurs,
        clock: { now: this.#o.now },
      });
      this.#entries.set(target.id, { forecaster, traffic: c.traffic, last: null, recent: [] });
    }
    if (this.#entries.size > maxTargets) {
      const quietest = [...this.#entries].sort(([, a], [, b]) => a.traffic - b.traffic);
      for (const [id] of quietest.slice(0, this.#entries.size - maxTargets)) {
        this.#entries.delete(id);
        dropped.push(id);
      }
    }
    return dropped;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** Targets forecast now. */
  targets(): ForecastTarget[] {
    return [...this.#entries.values()].map((e) => e.forecaster.target);
  }

  /** Feeds one target the grid points after the last one it saw. */
  feed(id: string, series: GridSeries): void {
    const entry = this.#entries.get(id);
    if (entry === undefined) {
      return;
    }
    const f = entry.forecaster;
    const entity = f.target.entity;
    for (let i = 0; i < series.timestamps.length; i++) {
      const t = series.timestamps[i] as number;
      const last = f.lastTimestamp;
      if (last !== undefined && t <= last) {
        continue;
      }
      const observed = !series.missing[i] && this.#o.mask?.(entity, t) !== true;
      const o = f.observe(t, observed ? (series.values[i] as number) : null);
      entry.last = o;
      entry.recent.push({
        t,
        actual: o.actual ?? null,
        yhat: o.expected?.point ?? null,
        lower: o.expected?.lower ?? null,
        upper: o.expected?.upper ?? null,
        anomalous: o.anomaly,
      });
      if (entry.recent.length > this.#recent) {
        entry.recent.splice(0, entry.recent.length - this.#recent);
      }
    }
  }

  /** Refits within the cycle's budget. */
  async refit(): Promise<RefitSummary> {
    let succeeded = 0;
    let failed = 0;
    const wrappers = [...this.#entries.values()].map((e) => ({
      target: e.forecaster.target,
      lastRefitAt: () => e.forecaster.lastRefitAt(),
      trust: () => e.forecaster.trust(),
      refit: async () => {
        // A fit runs for tens of milliseconds without yielding; letting pending I/O (API
        // requests, a scrape) run before each one keeps the refit budget from freezing the
        // process for its whole length.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const outcome = e.forecaster.refit();
        if (outcome.ok) {
          succeeded++;
        } else {
          failed++;
        }
        return outcome;
      },
    }));
    const report = await this.#scheduler.runCycle(wrappers);
    return { refitted: report.refitted.length, succeeded, failed, deferred: report.deferred.length };
  }

  /** Latest judgement and accuracy of every target. */
  status(): ForecastStatus[] {
    return [...this.#entries.values()].map((e) => this.#status(e));
  }

  get(id: string): { status: ForecastStatus; recent: readonly ForecastPoint[]; ahead: ForecastPoint[] } | null {
    const e = this.#entries.get(id);
    if (e === undefined) {
      return null;
    }
    const steps = Math.min(this.#recent, Math.floor(this.#o.config.forecaster.horizonSeconds / this.#o.stepSeconds));
    const ahead = e.forecaster.ahead(steps).map((p) => ({
      t: p.timestamp,
      actual: null,
      yhat: p.point,
      lower: p.lower,
      upper: p.upper,
      anomalous: false,
    }));
    return { status: this.#status(e), recent: [...e.recent], ahead };
  }

  #status(e: Entry): ForecastStatus {
    const snap = e.forecaster.snapshot();
    const target = e.forecaster.target;
    const edge = target.scope === 'edge' ? splitEdgeEntityId(target.entity) : null;
    const o = e.last;
    return {
      id: target.id,
      scope: target.scope,
      entity: target.entity,
      service: target.scope === 'service' ? target.entity : null,
      client: edge?.client ?? null,
      server: edge?.server ?? null,
      signal: target.signal,
      traffic: e.traffic,
      state: snap.state,
      reason: snap.reason,
      model: snap.model ?? null,
      decidedBy: o?.expected?.source ?? null,
      at: o?.timestamp ?? null,
      actual: o?.actual ?? null,
      yhat: o?.expected?.point ?? null,
      lower: o?.expected?.lower ?? null,
      upper: o?.expected?.upper ?? null,
      anomalous: o === null || o.actual === undefined ? null : o.anomaly,
      anomalies: snap.anomalies,
      mae: snap.metrics.mae ?? null,
      // The rolling metrics keep MAPE in percent; exported as a ratio like every other share.
      mape: snap.metrics.mape === undefined ? null : snap.metrics.mape / 100,
      mase: snap.metrics.mase ?? null,
      coverage: snap.metrics.coverage ?? null,
      trust: snap.trust,
      lastFit: snap.lastFitAt === undefined ? null : snap.lastFitAt / 1000,
      lastError: snap.lastError ?? null,
    };
  }
}

export interface ForecastStatus {
  readonly id: string;
  readonly scope: 'service' | 'edge';
  readonly entity: string;
  readonly service: string | null;
  readonly client: string | null;
  readonly server: string | null;
  readonly signal: string;
  readonly traffic: number;
  readonly state: 'warmup' | 'ok' | 'fallback';
  readonly reason: string;
  /** The fitted model family; null before the first fit. */
  readonly model: string | null;
  /** What judged the last step: the model's interval or the robust band. */
  readonly decidedBy: 'model' | 'band' | null;
  readonly at: number | null;
  readonly actual: number | null;
  readonly yhat: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
  readonly anomalous: boolean | null;
  readonly anomalies: number;
  readonly mae: number | null;
  readonly mape: number | null;
  readonly mase: number | null;
  readonly coverage: number | null;
  readonly trust: number;
  /** Unix seconds of the last successful fit. */
  readonly lastFit: number | null;
  readonly lastError: string | null;
}
