import { setMaxListeners } from 'node:events';

import { selectServiceSignals, type ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import type { ReadRange, TelemetryReading } from '../adapters/TelemetryReader.js';
import type { SidecarConfig } from '../config/types.js';
import type { BaselineStats } from '../signals/index.js';
import type { BaselineExclusionStore } from '../storage/BaselineExclusionStore.js';
import type { FeedbackKind } from '../storage/FeedbackStore.js';
import type { BaselineBasis, LearnedBaselineStore } from '../storage/LearnedBaselineStore.js';
import type { BaselineLookup } from './autoencoderBaselineOptions.js';
import { BaselineExclusions } from './BaselineExclusions.js';
import { BaselineSamples, type LearnedSignalBaseline, type SampleFilter } from './BaselineSamples.js';
import { mergeLearnedBaselines } from './mergeLearnedBaselines.js';
import { observedEntities } from './observedEntities.js';
import { readHistoryInChunks } from './readHistoryInChunks.js';
import type { OutboundCallers } from './serviceWindowSeries.js';
import type { ServiceLogger } from './ServiceLogger.js';

/** Grid points per history chunk of a learning run: bounds the memory of one read in large meshes. */
const LEARN_CHUNK_POINTS = 96;
/** A failed learning run is retried after this long (or refreshSeconds, if shorter). */
const RETRY_SECONDS = 300;

export interface FeedbackMarks {
  isMarked(entity: string, t: number, kind: FeedbackKind): boolean;
  readonly count: number;
}

export interface BaselineLearnerDeps {
  readonly config: () => SidecarConfig;
  readonly store: LearnedBaselineStore;
  readonly exclusionStore: BaselineExclusionStore;
  readonly feedback: FeedbackMarks;
  readonly logger: ServiceLogger;
  /** Unix seconds. */
  readonly now: () => number;
}

/** What the sidecar's current settings read telemetry with; persisted baselines must match it. */
export function baselineBasis(config: SidecarConfig): BaselineBasis {
  return { rateWindowSeconds: config.detection.rateWindowSeconds, sources: [...config.telemetry.presets] };
}

export interface LearningRun {
  readonly kind: 'warmup' | 'refresh';
  /** Unix seconds when it finished. */
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly durationSeconds: number;
  /** Services whose statistics it replaced. */
  readonly updated: number;
  /** Series left as they were for lack of points. */
  readonly skipped: number;
  readonly error: string | null;
}

export interface BaselineLearnerStatus {
  readonly services: number;
  readonly prefer: 'model' | 'learned';
  readonly learnedAt: number | null;
  readonly coveredSeconds: number;
  readonly nextRunAt: number | null;
  readonly running: boolean;
  readonly lastRun: LearningRun | null;
  readonly restored: string;
}

export interface LearningScope {
  /** Services to learn (the monitored ones). */
  readonly keep: (service: string) => boolean;
  /** Which services make outbound calls (see serviceWindowSeries). */
  readonly callers: OutboundCallers;
}

function sameBasis(a: BaselineBasis, b: BaselineBasis): boolean {
  return (
    a.rateWindowSeconds === b.rateWindowSeconds &&
    a.sources.length === b.sources.length &&
    a.sources.every((s, i) => s === b.sources[i])
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function newestLearnedAt(signals: Readonly<Record<string, LearnedSignalBaseline>>): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (const s of Object.values(signals)) {
    newest = Math.max(newest, s.learnedAt);
  }
  return newest;
}

/**
 * The baselines the autoencoder normalises each service with when the model has none of its own
 * for it (or when learned ones are preferred): robust statistics of the service's own recent
 * history, outside the periods that must not be learned as normal.
 *
 * - At start, the persisted baselines are restored, and the warm-up history fills in services
 *   that have none; when that history is shorter than `detection.baselines.windowSeconds`, a
 *   learning run over the whole window follows at once.
 * - Then a run every `refreshSeconds` reads the window at `stepSeconds` (in chunks), in the
 *   background, so a cycle never waits for it. Each signal fitted from at least `minPoints`
 *   points replaces its earlier statistic; others stay.
 * - Not learned: points of a service while it (or a call edge to or from it) was anomalous,
 *   and of every service while an incident was open (padded back by the detector's window,
 *   since detection lags the fault, and forward by the rate window, which smears the fault into
 *   later values); points inside an `expected` feedback window. A `false_positive` window marks
 *   the points as normal after all, so they are learned even when they were flagged (this is how
 *   a false alarm stops recurring).
 */
export class BaselineLearner implements BaselineLookup {
  readonly #deps: BaselineLearnerDeps;
  #baselines = new Map<string, Readonly<Record<string, LearnedSignalBaseline>>>();
  #exclusions = new BaselineExclusions();
  #exclusionsDirty = false;
  #learnedAt: number | null = null;
  #coveredSeconds = 0;
  #nextRunAt: number | null = null;
  #running: Promise<void> | null = null;
  readonly #abort = new AbortController();
  #lastRun: LearningRun | null = null;
  #restored = 'nothing restored';
  /** What the baselines in use were learned from; null before any. */
  #basis: BaselineBasis | null = null;
  #feedbackSeen = 0;
  #warm: { samples: BaselineSamples; from: number; to: number; began: number } | null = null;

  constructor(deps: BaselineLearnerDeps) {
    this.#deps = deps;
    this.#feedbackSeen = deps.feedback.count;
    // Every query of a learning run listens on this signal; the default limit of 10 is a false alarm.
    setMaxListeners(256, this.#abort.signal);
  }

  #settings(): SidecarConfig['detection']['baselines'] {
    return this.#deps.config().detection.baselines;
  }

  // ---------------------------------------------------------------- start-up

  /**
   * Adopts what the stores loaded: the exclusions always, the baselines only when they were
   * learned from the same kind of values (same rate window and telemetry sources). Returns a note
   * when persisted baselines were set aside.
   */
  restore(): string | null {
    const config = this.#deps.config();
    const now = this.#deps.now();
    this.#exclusions = this.#deps.exclusionStore.loaded ?? new BaselineExclusions();
    this.#feedbackSeen = this.#deps.feedback.count;
    const state = this.#deps.store.loaded;
    if (state === null) {
      this.#restored = 'no learned baselines in the state directory';
      return null;
    }
    const basis = baselineBasis(config);
    if (!sameBasis(state.basis, basis)) {
      this.#restored =
        `learned baselines set aside: learned with rate window ${state.basis.rateWindowSeconds} s and sources ` +
        `[${state.basis.sources.join(', ')}], now ${basis.rateWindowSeconds} s and [${basis.sources.join(', ')}]; learning again`;
      return this.#restored;
    }
    this.#baselines = new Map(state.services);
    this.#basis = state.basis;
    this.#learnedAt = state.learnedAt;
    this.#coveredSeconds = state.coveredSeconds;
    const { windowSeconds, refreshSeconds } = this.#settings();
    this.#nextRunAt =
      state.learnedAt === null || state.coveredSeconds < windowSeconds ? now : state.learnedAt + refreshSeconds;
    this.#restored = `restored baselines of ${state.services.size} services learned at ${state.learnedAt ?? 'never'}`;
    return null;
  }

  /** Starts collecting the warm-up history read, [from, to] (unix seconds). */
  beginWarmup(from: number, to: number): void {
    const { stepSeconds, windowSeconds } = this.#settings();
    this.#warm = {
      samples: new BaselineSamples({ step: stepSeconds, capacity: Math.floor(windowSeconds / stepSeconds) + 1 }),
      from,
      to,
      began: this.#deps.now(),
    };
  }

  /** One chunk of the warm-up history, with the services' selected series. */
  warmChunk(
    reading: TelemetryReading,
    choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>,
    keep: (service: string) => boolean
  ): void {
    const warm = this.#warm;
    if (warm === null) {
      return;
    }
    for (const edge of observedEntities(reading).edges.values()) {
      warm.samples.addCaller(edge.client);
    }
    warm.samples.add(choices, { keep, exclude: this.#excludeFilter() });
  }

  /**
   * Learns from the warm-up history when it was read (`read` false: Prometheus did not answer,
   * and nothing is learned): signals without a statistic, or with one older than the window,
   * take the new one. A learning run over the whole window follows at once when the warm-up
   * history was shorter than it.
   */
  async finishWarmup(callers: OutboundCallers, read: boolean): Promise<void> {
    const warm = this.#warm;
    this.#warm = null;
    if (warm === null || !read) {
      return;
    }
    const now = this.#deps.now();
    const { minPoints, windowSeconds, refreshSeconds } = this.#settings();
    const fitted = warm.samples.fit(minPoints, now, callers);
    const stale = now - windowSeconds;
    for (const [service, signals] of fitted.services) {
      const current = this.#baselines.get(service) ?? {};
      const fresh: Record<string, LearnedSignalBaseline> = {};
      for (const [signal, stats] of Object.entries(signals)) {
        const known = current[signal];
        if (known === undefined || known.learnedAt < stale) {
          fresh[signal] = stats;
        }
      }
      if (Object.keys(fresh).length === 0) {
        fitted.services.delete(service);
      } else {
        fitted.services.set(service, fresh);
      }
    }
    const { baselines, updated } = mergeLearnedBaselines(this.#baselines, fitted);
    this.#baselines = baselines;
    if (this.#learnedAt === null) {
      this.#learnedAt = now;
      this.#coveredSeconds = warm.to - warm.from;
    }
    // Baselines from less than the window (the warm-up history alone) are completed at once.
    this.#nextRunAt = this.#coveredSeconds < windowSeconds ? now : (this.#nextRunAt ?? now + refreshSeconds);
    this.#lastRun = {
      kind: 'warmup',
      at: now,
      from: warm.from,
      to: warm.to,
      durationSeconds: now - warm.began,
      updated: updated.length,
      skipped: fitted.skipped.length,
      error: null,
    };
    if (updated.length > 0) {
      await this.#save(now);
    }
    this.#deps.logger.info(
      { services: updated.length, skipped: fitted.skipped.length, from: warm.from, to: warm.to },
      'baselines learned from the warm-up history'
    );
  }

  // ---------------------------------------------------------------- per cycle

  /**
   * Records what must not be learned after one cycle: the services judged anomalous (or at an
   * end of an anomalous call edge), and every service while an incident is open. Old periods are
   * pruned.
   */
  observeCycle(end: number, anomalous: Iterable<string>, incidentOpen: boolean): void {
    const config = this.#deps.config();
    const d = config.detection;
    const before = end - d.windowSteps * d.stepSeconds;
    const after = end + d.rateWindowSeconds;
    let changed = false;
    for (const service of anomalous) {
      changed = this.#exclusions.markService(service, before, after) || changed;
    }
    if (incidentOpen) {
      changed = this.#exclusions.markAll(before, after) || changed;
    }
    changed = this.#exclusions.prune(end - d.baselines.windowSeconds) || changed;
    this.#exclusionsDirty ||= changed;
  }

  /** Writes the exclusions when they changed since the last write. */
  async persist(): Promise<void> {
    if (!this.#exclusionsDirty) {
      return;
    }
    this.#exclusionsDirty = false;
    try {
      await this.#deps.exclusionStore.save(this.#exclusions);
    } catch (error) {
      this.#exclusionsDirty = true;
      throw error;
    }
  }

  /**
   * Starts a learning run in the background when one is due (schedule, a failed run's retry, or
   * new feedback) and none is running. `read` reads telemetry ranges; the run is not part of any
   * cycle's queries.
   */
  maybeRun(read: (range: ReadRange) => Promise<TelemetryReading>, scope: LearningScope): void {
    if (this.#running !== null || this.#abort.signal.aborted) {
      return;
    }
    const now = this.#deps.now();
    const basis = baselineBasis(this.#deps.config());
    if (this.#basis !== null && !sameBasis(this.#basis, basis)) {
      // The telemetry is read differently now (rate window, sources): the values the baselines
      // describe are gone, so services wait for baselines of the new values, learned at once.
      this.#deps.logger.info(
        { was: this.#basis, now: basis },
        'telemetry settings changed; learned baselines are learned again'
      );
      this.#baselines = new Map();
      this.#basis = null;
      this.#coveredSeconds = 0;
      this.#nextRunAt = now;
    }
    const feedbackChanged = this.#deps.feedback.count !== this.#feedbackSeen;
    if (!feedbackChanged && this.#nextRunAt !== null && now < this.#nextRunAt) {
      return;
    }
    this.#feedbackSeen = this.#deps.feedback.count;
    this.#running = this.#run(read, scope, now).finally(() => {
      this.#running = null;
    });
  }

  /** Resolves when no learning run is in flight. */
  async settled(): Promise<void> {
    await this.#running;
  }

  /** Stops a run in flight (the sidecar is stopping) and waits for it. */
  async stop(): Promise<void> {
    this.#abort.abort(new Error('the sidecar is stopping'));
    await this.#running;
  }

  /** Forgets a service that left the monitored set or expired. */
  forget(service: string): void {
    this.#baselines.delete(service);
    this.#exclusionsDirty = this.#exclusions.forget(service) || this.#exclusionsDirty;
  }

  // ---------------------------------------------------------------- lookups

  /** Whether learned baselines win over a model's own statistics (detection.baselines.prefer). */
  prefer(): 'model' | 'learned' {
    return this.#settings().prefer;
  }

  /** The service's learned statistics when every one of `signals` has one; else undefined. */
  complete(service: string, signals: readonly string[]): Readonly<Record<string, BaselineStats>> | undefined {
    const learned = this.#baselines.get(service);
    if (learned === undefined) {
      return undefined;
    }
    const out: Record<string, BaselineStats> = {};
    for (const signal of signals) {
      const s = learned[signal];
      if (s === undefined) {
        return undefined;
      }
      out[signal] = { center: s.center, scale: s.scale };
    }
    return out;
  }

  /** Every learned statistic of a service, with counts and sources; undefined when none. */
  learned(service: string): Readonly<Record<string, LearnedSignalBaseline>> | undefined {
    return this.#baselines.get(service);
  }

  /** Why a service has no usable learned baselines for `signals` yet, in words an operator can act on. */
  pendingReason(service: string, signals: readonly string[]): string {
    const { minPoints, stepSeconds, windowSeconds } = this.#settings();
    const learned = this.#baselines.get(service);
    const missing = signals.filter((s) => learned?.[s] === undefined);
    const next =
      this.#running !== null
        ? 'a learning run is in progress'
        : this.#nextRunAt === null
          ? 'the next learning run follows the warm-up'
          : `next learning run at ${new Date(this.#nextRunAt * 1000).toISOString()}`;
    const need =
      `${minPoints} points at ${stepSeconds}-s steps within the last ${windowSeconds} s, outside anomalous ` +
      `periods, open incidents and expected-behaviour feedback`;
    if (learned === undefined || missing.length === signals.length) {
      return `no baselines learned for ${service} yet (needs ${need}; ${next}); the model has no statistics of its own for it`;
    }
    return `baselines learned for ${signals.length - missing.length} of ${signals.length} signals of ${service}; missing ${missing.join(', ')} (needs ${need}; ${next})`;
  }

  status(): BaselineLearnerStatus {
    return {
      services: this.#baselines.size,
      prefer: this.#settings().prefer,
      learnedAt: this.#learnedAt,
      coveredSeconds: this.#coveredSeconds,
      nextRunAt: this.#nextRunAt,
      running: this.#running !== null,
      lastRun: this.#lastRun,
      restored: this.#restored,
    };
  }

  // ---------------------------------------------------------------- internals

  #excludeFilter(): SampleFilter['exclude'] {
    const feedback = this.#deps.feedback;
    const exclusions = this.#exclusions;
    return (service, t) =>
      feedback.isMarked(service, t, 'expected') ||
      (exclusions.excluded(service, t) && !feedback.isMarked(service, t, 'false_positive'));
  }

  async #run(read: (range: ReadRange) => Promise<TelemetryReading>, scope: LearningScope, now: number): Promise<void> {
    const began = now;
    const { stepSeconds: step, windowSeconds, minPoints, refreshSeconds } = this.#settings();
    const end = Math.floor(now / step) * step;
    const start = end - Math.floor(windowSeconds / step) * step;
    const samples = new BaselineSamples({ step, capacity: Math.floor(windowSeconds / step) + 1 });
    const exclude = this.#excludeFilter();
    let answered = false;
    let lastError: string | null = null;
    try {
      await readHistoryInChunks(
        read,
        { start, end, step, signal: this.#abort.signal },
        LEARN_CHUNK_POINTS,
        (reading) => {
          for (const source of reading.sources) {
            for (const c of source.coverage.signals) {
              if (c.status === 'failed') {
                lastError = c.error?.message ?? lastError ?? 'query failed';
              } else {
                answered = true;
              }
            }
          }
          for (const edge of observedEntities(reading).edges.values()) {
            samples.addCaller(edge.client);
          }
          samples.add(selectServiceSignals(reading), { keep: scope.keep, exclude });
        }
      );
      if (this.#abort.signal.aborted) {
        return;
      }
      if (!answered) {
        throw new Error(`Prometheus did not answer: ${lastError ?? 'no query succeeded'}`);
      }
      const at = this.#deps.now();
      const fitted = samples.fit(minPoints, at, scope.callers);
      const { baselines, updated } = mergeLearnedBaselines(this.#baselines, fitted);
      // Services that are no longer monitored and whose statistics are older than the window go.
      for (const [service, signals] of baselines) {
        if (!scope.keep(service) && newestLearnedAt(signals) < at - windowSeconds) {
          baselines.delete(service);
        }
      }
      this.#baselines = baselines;
      this.#learnedAt = at;
      this.#coveredSeconds = end - start;
      this.#nextRunAt = at + refreshSeconds;
      this.#lastRun = {
        kind: 'refresh',
        at,
        from: start,
        to: end,
        durationSeconds: at - began,
        updated: updated.length,
        skipped: fitted.skipped.length,
        error: null,
      };
      await this.#save(at);
      this.#deps.logger.info(
        {
          services: updated.length,
          known: baselines.size,
          skipped: fitted.skipped.length,
          examples: fitted.skipped.slice(0, 5),
          from: start,
          to: end,
        },
        'baselines learned'
      );
    } catch (error) {
      const at = this.#deps.now();
      this.#nextRunAt = at + Math.min(refreshSeconds, RETRY_SECONDS);
      this.#lastRun = {
        kind: 'refresh',
        at,
        from: start,
        to: end,
        durationSeconds: at - began,
        updated: 0,
        skipped: 0,
        error: describe(error),
      };
      this.#deps.logger.warn(
        { error: describe(error), retryAt: this.#nextRunAt },
        'learning baselines failed; the baselines in use stay'
      );
    }
  }

  async #save(at: number): Promise<void> {
    this.#basis = baselineBasis(this.#deps.config());
    try {
      await this.#deps.store.save(
        {
          basis: baselineBasis(this.#deps.config()),
          learnedAt: this.#learnedAt,
          coveredSeconds: this.#coveredSeconds,
          services: this.#baselines,
        },
        at
      );
    } catch (error) {
      this.#deps.logger.error(
        { error: describe(error), file: this.#deps.store.file },
        'cannot write learned baselines'
      );
    }
  }
}
