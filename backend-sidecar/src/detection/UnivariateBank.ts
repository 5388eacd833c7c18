import type { UnivariateSettings } from '../config/types.js';
import { seasonalPeriodsForStep } from '../detectors/univariate/seasonalPeriodsForStep.js';
import type { UnivariateResult } from '../detectors/univariate/types.js';
import type { PreparedUnivariateConfig } from '../detectors/univariate/PreparedUnivariateConfig.js';
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

/**
 * One detector and what the judgement of its signal needs from its last points. The last result
 * is copied into plain fields, not kept as an object, so results die young instead of being
 * promoted to the old generation for one cycle each.
 */
class Slot {
  readonly detector: UnivariateDetector;
  /** Unix seconds of the last grid point fed. */
  lastFed: number;
  /** Last point that was observed (not missing): when (NaN: never) and its value. */
  lastObservedAt = Number.NaN;
  lastValue = Number.NaN;
  /** What the detector made of the last observed, unmasked point; null before any. */
  state: UnivariateResult['state'] | null = null;
  score = Number.NaN;
  expected = Number.NaN;
  lower = Number.NaN;
  upper = Number.NaN;
  kind: UnivariateResult['kind'] = null;
  /** Whether the signal is in an anomalous run (see UnivariateBank#flag). */
  flagged = false;

  constructor(detector: UnivariateDetector, lastFed: number) {
    this.detector = detector;
    this.lastFed = lastFed;
  }
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

const NONE: ReadonlySet<string> = new Set();

/**
 * Streaming univariate detectors per (entity, signal), fed each cycle with the grid points after
 * the last one they saw, so every point is learned exactly once however the cycle windows
 * overlap. Missing points and points inside feedback windows are fed as missing: they are
 * neither scored nor learned. A signal whose newest observation is older than `staleAfterSteps`
 * steps is stale; a signal never observed is unknown. Detectors of one signal share their
 * prepared configuration (settings, constants and working space).
 */
export class UnivariateBank {
  readonly #o: UnivariateBankOptions;
  /** Per entity, one slot per signal of `signals` (in that order), undefined until first fed. */
  readonly #entities = new Map<string, Array<Slot | undefined>>();
  readonly #prepared: readonly PreparedUnivariateConfig[];
  #size = 0;

  constructor(options: UnivariateBankOptions) {
    this.#o = options;
    const periods = options.settings.seasonal ? seasonalPeriodsForStep(options.stepSeconds) : [];
    const { seasonal: _seasonal, ...settings } = options.settings;
    const specs = CANONICAL_SIGNALS[options.scope] as Readonly<Record<string, { scaleFloor: number }>>;
    this.#prepared = options.signals.map((signal) =>
      UnivariateDetector.prepare({
        ...settings,
        seasonalPeriods: periods,
        // The catalogue's floor (1 ms of latency, 0.1 % of errors) keeps a constant series from
        // turning its first tiny change into an enormous score.
        absoluteFloor: Math.max(settings.absoluteFloor, specs[signal]?.scaleFloor ?? 0),
      })
    );
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
    return this.#size;
  }

  /** Feeds one signal's new grid points (after the last fed one). */
  feed(entity: string, signal: string, series: GridSeries): void {
    const index = this.#o.signals.indexOf(signal);
    if (index < 0) {
      throw new RangeError(`signal ${signal} is not judged by this bank (${this.#o.signals.join(', ')})`);
    }
    this.#feedSlot(entity, index, series.timestamps, series);
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
    const signals = this.#o.signals;
    for (let i = 0; i < signals.length; i++) {
      const signal = signals[i]!;
      const s = series?.get(signal);
      if (s !== undefined) {
        this.#feedSlot(entity, i, s.timestamps, s);
      } else if (!failed.has(signal) && this.#entities.get(entity)?.[i] !== undefined) {
        // A signal that vanished from the reading still advances, as missing points.
        this.#feedSlot(entity, i, grid, null);
      }
    }
  }

  /** The judgement of every signal of `entity` as of grid time `end`. */
  judge(entity: string, end: number): SignalJudgement[] {
    const slots = this.#entities.get(entity);
    return this.#o.signals.map((signal, i) => this.#judge(signal, slots?.[i], end));
  }

  /** Forgets an entity (it expired or left the monitored set). */
  remove(entity: string): void {
    const slots = this.#entities.get(entity);
    if (slots === undefined) {
      return;
    }
    this.#size -= slots.filter((s) => s !== undefined).length;
    this.#entities.delete(entity);
  }

  clear(): void {
    this.#entities.clear();
    this.#size = 0;
  }

  /**
   * Feeds one slot the grid points of `timestamps` after the last one it saw: `series`' values,
   * or missing points throughout when it is null.
   */
  #feedSlot(entity: string, index: number, timestamps: GridSeries['timestamps'], series: GridSeries | null): void {
    if (timestamps.length === 0) {
      return;
    }
    const step = this.#o.stepSeconds;
    let slots = this.#entities.get(entity);
    if (slots === undefined) {
      slots = new Array<Slot | undefined>(this.#o.signals.length);
      this.#entities.set(entity, slots);
    }
    let slot = slots[index];
    if (slot === undefined) {
      slot = new Slot(new UnivariateDetector(this.#prepared[index]!), (timestamps[0] as number) - step);
      slots[index] = slot;
      this.#size++;
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
      this.#apply(slot, entity, series === null || series.missing[i] ? null : (series.values[i] as number), t);
    }
  }

  #apply(slot: Slot, entity: string, value: number | null, t: number): void {
    const masked = value !== null && this.#o.mask?.(entity, t) === true;
    const result = slot.detector.update(masked ? null : value);
    slot.lastFed = t;
    if (value !== null && Number.isFinite(value)) {
      slot.lastObservedAt = t;
      slot.lastValue = value;
      if (!masked) {
        slot.state = result.state;
        slot.score = result.score ?? Number.NaN;
        slot.expected = result.expected ?? Number.NaN;
        slot.lower = result.lower ?? Number.NaN;
        slot.upper = result.upper ?? Number.NaN;
        slot.kind = result.kind;
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

  #judge(signal: string, slot: Slot | undefined, end: number): SignalJudgement {
    const empty = { value: null, score: null, anomalous: null, expected: null, lower: null, upper: null, kind: null };
    if (slot === undefined || Number.isNaN(slot.lastObservedAt)) {
      return { signal, state: 'unknown', ...empty };
    }
    if (end - slot.lastObservedAt > this.#o.staleAfterSteps * this.#o.stepSeconds) {
      return { signal, state: 'stale', ...empty, value: slot.lastValue };
    }
    if (slot.state !== 'ok' || Number.isNaN(slot.score)) {
      return {
        signal,
        state: slot.state === null || slot.state === 'warmup' ? 'warmup' : 'unknown',
        ...empty,
        value: slot.lastValue,
      };
    }
    return {
      signal,
      state: 'ok',
      value: slot.lastValue,
      score: slot.score,
      anomalous: slot.flagged,
      expected: nullIfNaN(slot.expected),
      lower: nullIfNaN(slot.lower),
      upper: nullIfNaN(slot.upper),
      kind: slot.kind,
    };
  }
}

function nullIfNaN(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}
