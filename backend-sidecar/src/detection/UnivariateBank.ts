import type { UnivariateSettings } from '../config/types.js';
import { seasonalPeriodsForStep } from '../detectors/univariate/seasonalPeriodsForStep.js';
import type { UnivariateResult } from '../detectors/univariate/types.js';
import { UnivariateDetector } from '../detectors/univariate/UnivariateDetector.js';
import { CANONICAL_SIGNALS, type SignalScope } from '../signals/index.js';
import type { SignalJudgement } from './types.js';

/** A series on the step grid: what the telemetry reader returns (AlignedSeries fits). */
export interface GridSeries {
  readonly timestamps: readonly number[];
  readonly values: readonly number[];
  readonly missing: readonly boolean[];
}

/** Whether the point of `entity` at unix second `t` must not be learned (a feedback window). */
export type LearningMask = (entity: string, t: number) => boolean;

interface Slot {
  readonly detector: UnivariateDetector;
  /** Unix seconds of the last grid point fed. */
  lastFed: number;
  /** Last point that was observed (not missing) and what the detector made of it. */
  lastObservedAt: number | null;
  lastValue: number | null;
  lastKnown: UnivariateResult | null;
  /** Whether the signal is in an anomalous run (see #flag). */
  flagged: boolean;
}

export interface UnivariateBankOptions {
  readonly scope: SignalScope;
  /** Signals judged per entity, in order. */
  readonly signals: readonly string[];
  readonly settings: Readonly<UnivariateSettings>;
  readonly stepSeconds: number;
  readonly staleAfterSteps: number;
  /** Points of a gap between cycles that are fed as missing to keep seasonal phases; longer gaps are not replayed. */
  readonly maxGapSteps: number;
  readonly mask?: LearningMask;
}

const SEP = '\u0000';
const NONE: ReadonlySet<string> = new Set();

/**
 * Streaming univariate detectors per (entity, signal), fed each cycle with the grid points after
 * the last one they saw, so every point is learned exactly once however the cycle windows
 * overlap. Missing points and points inside feedback windows are fed as missing: they are
 * neither scored nor learned. A signal whose newest observation is older than `staleAfterSteps`
 * steps is stale; a signal never observed is unknown.
 */
export class UnivariateBank {
  readonly #o: UnivariateBankOptions;
  readonly #slots = new Map<string, Slot>();
  readonly #entities = new Map<string, Set<string>>();
  readonly #periods: number[];

  constructor(options: UnivariateBankOptions) {
    this.#o = options;
    this.#periods = options.settings.seasonal ? seasonalPeriodsForStep(options.stepSeconds) : [];
  }

  get signals(): readonly string[] {
    return this.#o.signals;
  }

  /** Entities with at least one detector. */
  entities(): IterableIterator<string> {
    return this.#entities.keys();
  }

  has(entity: string): boolean {
    return this.#entities.has(entity);
  }

  /** Detectors held (for the memory budget and the status page). */
  get size(): number {
    return this.#slots.size;
  }

  /** Feeds one signal's new grid points (after the last fed one). */
  feed(entity: string, signal: string, series: GridSeries): void {
    const key = `${entity}${SEP}${signal}`;
    let slot = this.#slots.get(key);
    const { timestamps, values, missing } = series;
    if (timestamps.length === 0) {
      return;
    }
    const step = this.#o.stepSeconds;
    if (slot === undefined) {
      slot = {
        detector: this.#create(signal),
        lastFed: (timestamps[0] as number) - step,
        lastObservedAt: null,
        lastValue: null,
        lastKnown: null,
        flagged: false,
      };
      this.#slots.set(key, slot);
      let signals = this.#entities.get(entity);
      if (signals === undefined) {
        signals = new Set();
        this.#entities.set(entity, signals);
      }
      signals.add(signal);
    }
    const first = timestamps[0] as number;
    // Points between the last fed one and this series (a skipped cycle) are fed as missing, so a
    // seasonal reference keeps its phase; a longer outage is not replayed point by point.
    const gap = Math.round((first - slot.lastFed) / step) - 1;
    if (gap > 0 && gap <= this.#o.maxGapSteps) {
      for (let k = 0; k < gap; k++) {
        this.#apply(slot, entity, null, slot.lastFed + step);
      }
    }
    for (let i = 0; i < timestamps.length; i++) {
      const t = timestamps[i] as number;
      if (t <= slot.lastFed) {
        continue;
      }
      this.#apply(slot, entity, missing[i] ? null : (values[i] as number), t);
    }
  }

  /**
   * Feeds every signal of one entity. A signal without a series this time is fed as missing (it
   * is not reported), unless its query failed (`failed`): then its points are left for a later
   * cycle whose window still covers them.
   */
  feedAll(
    entity: string,
    series: ReadonlyMap<string, GridSeries> | undefined,
    grid: GridSeries['timestamps'],
    failed: ReadonlySet<string> = NONE
  ): void {
    for (const signal of this.#o.signals) {
      const s = series?.get(signal);
      if (s !== undefined) {
        this.feed(entity, signal, s);
      } else if (!failed.has(signal) && this.#slots.has(`${entity}${SEP}${signal}`)) {
        // A signal that vanished from the reading still advances, as missing points.
        this.feed(entity, signal, {
          timestamps: grid,
          values: grid.map(() => Number.NaN),
          missing: grid.map(() => true),
        });
      }
    }
  }

  /** The judgement of every signal of `entity` as of grid time `end`. */
  judge(entity: string, end: number): SignalJudgement[] {
    return this.#o.signals.map((signal) => this.#judge(entity, signal, end));
  }

  /** Forgets an entity (it expired or left the monitored set). */
  remove(entity: string): void {
    const signals = this.#entities.get(entity);
    if (signals === undefined) {
      return;
    }
    for (const signal of signals) {
      this.#slots.delete(`${entity}${SEP}${signal}`);
    }
    this.#entities.delete(entity);
  }

  clear(): void {
    this.#slots.clear();
    this.#entities.clear();
  }

  #create(signal: string): UnivariateDetector {
    const { seasonal: _seasonal, ...settings } = this.#o.settings;
    const spec = (CANONICAL_SIGNALS[this.#o.scope] as Readonly<Record<string, { scaleFloor: number }>>)[signal];
    return new UnivariateDetector({
      ...settings,
      seasonalPeriods: this.#periods,
      // The catalogue's floor (1 ms of latency, 0.1 % of errors) keeps a constant series from
      // turning its first tiny change into an enormous score.
      absoluteFloor: Math.max(settings.absoluteFloor, spec?.scaleFloor ?? 0),
    });
  }

  #apply(slot: Slot, entity: string, value: number | null, t: number): void {
    const masked = value !== null && this.#o.mask?.(entity, t) === true;
    const result = slot.detector.update(masked ? null : value);
    slot.lastFed = t;
    if (value !== null && Number.isFinite(value)) {
      slot.lastObservedAt = t;
      slot.lastValue = value;
      if (!masked) {
        slot.lastKnown = result;
        slot.flagged = this.#flag(slot.flagged, result, value);
      }
    }
  }

  /**
   * Whether a point continues or starts an anomalous run. A run starts on calibrated evidence: the
   * score reaches the alert threshold, or the value alone lies outside the band. It continues while
   * the uncalibrated level test still puts the series at another level. The calibrated score is
   * built to page once and fades within about 1 % of the calibration window for a shift the series
   * keeps showing; an interval verdict must instead stay anomalous while the fault lasts, until the
   * detector accepts the shift as the new normal (adaptAfter). Starting a run on the level test
   * alone would flag every wobble of a coarse or heavy-tailed series (a p95 read from histogram
   * buckets), which the calibration exists to absorb.
   */
  #flag(flagged: boolean, r: UnivariateResult, value: number): boolean {
    if (r.state !== 'ok' || r.score === null) {
      return false;
    }
    const outside = r.lower !== null && r.upper !== null && (value < r.lower || value > r.upper);
    if (r.score >= this.#o.settings.alertThreshold || outside) {
      return true;
    }
    return flagged && r.levelZ !== null && Math.abs(r.levelZ) >= r.levelLimit;
  }

  #judge(entity: string, signal: string, end: number): SignalJudgement {
    const slot = this.#slots.get(`${entity}${SEP}${signal}`);
    const empty = { value: null, score: null, anomalous: null, expected: null, lower: null, upper: null, kind: null };
    if (slot === undefined || slot.lastObservedAt === null) {
      return { signal, state: 'unknown', ...empty };
    }
    if (end - slot.lastObservedAt > this.#o.staleAfterSteps * this.#o.stepSeconds) {
      return { signal, state: 'stale', ...empty, value: slot.lastValue };
    }
    const r = slot.lastKnown;
    if (r === null || r.state !== 'ok' || r.score === null) {
      return {
        signal,
        state: r === null || r.state === 'warmup' ? 'warmup' : 'unknown',
        ...empty,
        value: slot.lastValue,
      };
    }
    return {
      signal,
      state: 'ok',
      value: slot.lastValue,
      score: r.score,
      anomalous: slot.flagged,
      expected: r.expected,
      lower: r.lower,
      upper: r.upper,
      kind: r.kind,
    };
  }
}
