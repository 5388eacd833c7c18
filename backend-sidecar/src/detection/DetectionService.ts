import { setMaxListeners } from 'node:events';
import { rename } from 'node:fs/promises';

import type { Registry } from 'prom-client';

import { crossCheckEdges, type CrossCheckResult } from '../adapters/crossCheckEdges.js';
import type { IdentityReading } from '../adapters/IdentityReader.js';
import { resolvePresets } from '../adapters/resolvePresets.js';
import { selectServiceSignals, type ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import { TelemetryReader, type ReadRange, type TelemetryReading } from '../adapters/TelemetryReader.js';
import type { Preset } from '../adapters/types.js';
import { buildCallGraph } from '../callgraph/buildCallGraph.js';
import type { CallGraph } from '../callgraph/types.js';
import { createSelectionJudge, type SelectionDecision } from '../config/createSelectionJudge.js';
import { diffConfig } from '../config/diffConfig.js';
import type { ConfigView, LoadedConfig, PrometheusConfig, SidecarConfig, TelemetryConfig } from '../config/types.js';
import { createNodeBackend } from '../detectors/autoencoder/createNodeBackend.js';
import type { InferenceBackend } from '../detectors/autoencoder/InferenceBackend.js';
import { chooseBaselines, type BaselinePreference } from '../detectors/autoencoder/chooseBaselines.js';
import { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import type { ModelManifest } from '../detectors/autoencoder/types.js';
import { loadAugurs, type Augurs } from '../forecast/loadAugurs.js';
import { IncidentEngine } from '../incidents/IncidentEngine.js';
import type { IncidentEvaluation, IncidentState, IntervalState } from '../incidents/types.js';
import type { HealthReporter } from '../metrics/HealthReporter.js';
import { createPrometheusClient } from '../prometheus/createPrometheusClient.js';
import type { PrometheusApi } from '../prometheus/types.js';
import {
  CYCLE_PHASES,
  createDetectionMetrics,
  type CyclePhase,
  type DetectionMetrics,
} from '../publish/createDetectionMetrics.js';
import { MetricsPublisher } from '../publish/MetricsPublisher.js';
import type { AlignedSeries, BaselineStats } from '../signals/index.js';
import { BaselineExclusionStore } from '../storage/BaselineExclusionStore.js';
import { EngineSnapshotStore } from '../storage/EngineSnapshotStore.js';
import { EvaluationNotes } from '../storage/EvaluationNotes.js';
import { FeedbackStore } from '../storage/FeedbackStore.js';
import { IncidentHistory, type StoredRanking } from '../storage/IncidentHistory.js';
import { LearnedBaselineStore } from '../storage/LearnedBaselineStore.js';
import { readExportedIncidentState } from '../storage/readExportedIncidentState.js';
import { SelectionOverrideStore } from '../storage/SelectionOverrideStore.js';
import { anomalousServices } from './anomalousServices.js';
import { BaselineLearner } from './BaselineLearner.js';
import { CycleHistory } from './CycleHistory.js';
import type { CycleResult, EdgeStatus, ServiceStatus, SignalReading } from './CycleResult.js';
import { CycleScheduler, realTimers, type CycleOutcome, type SchedulerTimers } from './CycleScheduler.js';
import { DetectionRuntime, RUNTIME_KEYS } from './DetectionRuntime.js';
import { detectorTrust } from './detectorTrust.js';
import { EntityTracker } from './EntityTracker.js';
import { falsePositiveRemovals, withoutFalsePositives } from './falsePositiveRemovals.js';
import { filterCallGraph } from './filterCallGraph.js';
import { forecastCandidates } from './forecastCandidates.js';
import { indexEdgeSeries } from './indexEdgeSeries.js';
import { lastObserved } from './lastObserved.js';
import { IncrementalRangeReads } from './IncrementalRangeReads.js';
import { MeteredPrometheus, QueryTally } from './MeteredPrometheus.js';
import { ModelManager, type EntityModelStatus } from './ModelManager.js';
import { observedEntities } from './observedEntities.js';
import { readHistoryInChunks } from './readHistoryInChunks.js';
import { ServiceCatalog, type EdgeEntry, type ServiceEntry } from './ServiceCatalog.js';
import type { OutboundCallers } from './serviceWindowSeries.js';
import type { ServiceLogger } from './ServiceLogger.js';
import { SpikeTracker } from './SpikeTracker.js';
import { timedBackend } from './timedBackend.js';
import type { EntityScore, Verdict } from './types.js';
import { verdictOf } from './verdictOf.js';

export type ClosablePrometheus = PrometheusApi & { close?(): Promise<void> };

export interface DetectionServiceDeps {
  readonly config: ConfigView;
  /** The app's registry: every detection series is registered here (never the global one). */
  readonly registry: Registry;
  readonly health: Pick<HealthReporter, 'cycleCompleted' | 'prometheusQuery' | 'inference'>;
  readonly logger: ServiceLogger;
  /** Milliseconds since the epoch. Default Date.now. */
  readonly clock?: () => number;
  readonly timers?: SchedulerTimers;
  /** Default: the real client built from the config. */
  readonly createPrometheus?: (config: PrometheusConfig) => ClosablePrometheus;
  /** Default: onnxruntime-node, one thread. */
  readonly inference?: InferenceBackend;
  /** Default: the augurs WebAssembly bindings. */
  readonly loadAugurs?: () => Promise<Augurs>;
  /** Default: the built-in presets and files the telemetry config names. */
  readonly resolvePresets?: (telemetry: TelemetryConfig) => Preset[];
  readonly newFeedbackId?: () => string;
  /** Called after every cycle (tests wait on it). */
  readonly onCycle?: (result: CycleResult) => void;
}

export type RestoreSource = 'prometheus' | 'local' | 'empty';

export interface ServiceStatusCounters {
  readonly cycles: number;
  readonly overruns: number;
  readonly skipped: number;
  readonly restoredFrom: RestoreSource;
  readonly warmup: {
    readonly state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
    readonly chunks: number;
    readonly note: string | null;
  };
  readonly notes: readonly string[];
}

/** Grid points per history chunk: 10,000 services × 360 points stay under the client's sample budget. */
const HISTORY_CHUNK_POINTS = 360;
/** Cycles and entity records of the in-memory history (topology replay). */
const HISTORY_CYCLES = 240;
const HISTORY_ENTITIES = 200_000;
/** How far back the exported incident state is looked for at start. */
const RESTORE_LOOKBACK_SECONDS = 3600;
const RESTORE_TIMEOUT_MS = 20_000;
/** Share of the interval a cycle's reads may take before they count as not answered. */
const CYCLE_READ_SHARE = 0.8;

function defaultPresets(telemetry: TelemetryConfig): Preset[] {
  return resolvePresets({ builtin: telemetry.presets, files: telemetry.presetFiles });
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The sidecar's detection loop: every interval it reads the telemetry (one query per signal),
 * scores services and edges, feeds forecasters, evaluates incidents, ranks root causes for an
 * open incident and publishes everything as metrics and as live results for the API. It restores
 * incident state at start (exported series, else the local snapshot), warms its detectors from
 * history, keeps durable state in the state directory, and goes explicitly stale while Prometheus
 * is unreachable. Clock, timers, Prometheus and the inference backend are injected, so a test
 * harness can run it in-process without sleeping.
 */
export class DetectionService {
  readonly #deps: DetectionServiceDeps;
  readonly #clock: () => number;
  readonly metrics: DetectionMetrics;
  readonly #publisher: MetricsPublisher;
  readonly #tally = new QueryTally();
  readonly #cycleAbort = new AbortController();
  readonly models: ModelRegistry;
  readonly #modelManager: ModelManager;
  readonly catalog: ServiceCatalog;
  readonly feedback: FeedbackStore;
  readonly overrides: SelectionOverrideStore;
  readonly history: IncidentHistory;
  readonly notes: EvaluationNotes;
  /** Baselines learned per service for the autoencoder (see BaselineLearner). */
  readonly baselines: BaselineLearner;
  readonly #baselineStore: LearnedBaselineStore;
  readonly #exclusionStore: BaselineExclusionStore;
  readonly #snapshots: EngineSnapshotStore;
  readonly #tracker = new EntityTracker();
  #spikes: SpikeTracker;
  #engine: IncidentEngine;
  readonly cycles = new CycleHistory({ maxCycles: HISTORY_CYCLES, maxEntities: HISTORY_ENTITIES });
  readonly #scheduler: CycleScheduler;
  #client: ClosablePrometheus | null = null;
  #loopPrometheus: PrometheusApi | null = null;
  #apiPrometheus: PrometheusApi | null = null;
  #runtime: DetectionRuntime | null = null;
  #augurs: Augurs | null = null;
  #applied: LoadedConfig;
  #judge: { key: unknown; overrides: unknown; judge: (s: ServiceEntry) => SelectionDecision } | null = null;
  #cycleTime = 0;
  #counters = { cycles: 0, overruns: 0, skipped: 0 };
  #restoredFrom: RestoreSource = 'empty';
  #warmup: ServiceStatusCounters['warmup'] = { state: 'pending', chunks: 0, note: null };
  readonly #statusNotes: string[] = [];
  #starting: Promise<void> | null = null;

  constructor(deps: DetectionServiceDeps) {
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
    // Every query of a cycle listens on this signal; with readers running queries concurrently
    // the default limit of 10 listeners is a false alarm.
    setMaxListeners(256, this.#cycleAbort.signal);
    const loaded = deps.config.current();
    this.#applied = loaded;
    const config = loaded.config;
    this.metrics = createDetectionMetrics(deps.registry);
    this.#publisher = new MetricsPublisher(this.metrics);
    this.metrics.shardInfo.set({ index: String(config.sharding.index), count: String(config.sharding.count) }, 1);
    for (const kind of ['expected', 'false_positive']) {
      this.metrics.feedback.inc({ kind }, 0);
    }
    for (const result of ['success', 'failure']) {
      this.metrics.refits.inc({ result }, 0);
    }
    // Created at 0 so rate() and increase() work before the first incident.
    for (const severity of ['SEV1', 'SEV2']) {
      this.metrics.incidentsOpened.inc({ severity }, 0);
      this.metrics.incidentsClosed.inc({ severity }, 0);
    }
    const backend = timedBackend(deps.inference ?? createNodeBackend({ intraOpNumThreads: 1 }), (s) =>
      deps.health.inference(s)
    );
    this.models = new ModelRegistry({ backend, scope: 'service' });
    this.#modelManager = new ModelManager(this.models, this.metrics, deps.logger);
    this.catalog = new ServiceCatalog({
      ownerLabel: () => this.#config().telemetry.ownerLabel,
      notServices: (name) =>
        name === '' || name === 'unknown' || name === 'user' || this.#config().detection.externalClients.includes(name),
    });
    const stateDir = config.storage.stateDir;
    this.feedback = new FeedbackStore({
      stateDir,
      clock: () => this.#clock() / 1000,
      ...(deps.newFeedbackId === undefined ? {} : { newId: deps.newFeedbackId }),
    });
    this.overrides = new SelectionOverrideStore(stateDir);
    this.history = new IncidentHistory({ stateDir, maxIncidents: config.storage.maxIncidents });
    this.notes = new EvaluationNotes(stateDir, config.storage.maxEvaluationNotes);
    this.#snapshots = new EngineSnapshotStore(stateDir);
    this.#baselineStore = new LearnedBaselineStore(stateDir);
    this.#exclusionStore = new BaselineExclusionStore(stateDir);
    this.baselines = new BaselineLearner({
      config: () => this.#config(),
      store: this.#baselineStore,
      exclusionStore: this.#exclusionStore,
      feedback: this.feedback,
      logger: deps.logger,
      now: () => this.#clock() / 1000,
    });
    this.#engine = new IncidentEngine(config.incidents);
    this.#spikes = new SpikeTracker(2 * config.incidents.gain);
    this.#scheduler = new CycleScheduler({
      clock: this.#clock,
      timers: deps.timers ?? realTimers,
      intervalSeconds: () => this.#deps.config.current().config.detection.intervalSeconds,
      runCycle: async (at) => {
        await this.runCycle(at);
      },
      onCycleEnd: (outcome) => this.#cycleEnded(outcome),
      onError: (error, at) => deps.logger.error({ at, error: describeError(error) }, 'detection cycle failed'),
    });
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Loads durable state and the model, restores incident state, then warms the detectors from
   * history and starts the cycles in the background (the HTTP API answers meanwhile). Resolves
   * once the service is set up; `ready` resolves when the first cycle is scheduled.
   */
  async start(options: { schedule?: boolean } = {}): Promise<void> {
    const config = this.#config();
    await this.#loadStores();
    const setAside = this.baselines.restore();
    if (setAside !== null) {
      this.#note(setAside);
    }
    this.#buildClient(config.prometheus);
    if (config.forecast.enabled) {
      try {
        this.#augurs = await (this.#deps.loadAugurs ?? loadAugurs)();
      } catch (error) {
        this.#note(`forecasts disabled: augurs could not be loaded (${describeError(error)})`);
      }
    }
    this.#runtime = this.#buildRuntime(config);
    await this.#modelManager.ensure(config.detection.modelDir);
    await this.#restore();
    this.#starting = (async () => {
      await this.#warmUp();
      if (options.schedule !== false && !this.#cycleAbort.signal.aborted) {
        this.#scheduler.start();
      }
    })();
  }

  /** Resolves once warm-up finished and the cycles are scheduled. */
  get ready(): Promise<void> {
    return this.#starting ?? Promise.resolve();
  }

  async stop(): Promise<void> {
    this.#cycleAbort.abort(new Error('the sidecar is stopping'));
    await this.#starting?.catch(() => undefined);
    await this.#scheduler.stop();
    await this.baselines.stop();
    await this.#saveStores();
    await this.models.close();
    await this.#client?.close?.();
  }

  // ---------------------------------------------------------------- accessors for the API

  config(): SidecarConfig {
    return this.#deps.config.current().config;
  }

  latest(): CycleResult | null {
    return this.cycles.latest();
  }

  /** Prometheus for on-demand API reads (not counted in the cycle's queries). */
  prometheus(): PrometheusApi {
    if (this.#apiPrometheus === null) {
      throw new Error('the detection service has not started');
    }
    return this.#apiPrometheus;
  }

  presets(): readonly Preset[] {
    return this.#runtime?.presets ?? [];
  }

  runtime(): DetectionRuntime | null {
    return this.#runtime;
  }

  engineState(): IncidentState {
    return this.#engine.snapshot();
  }

  modelError(): string | null {
    return this.#modelManager.lastError;
  }

  /** Per-service model directories, the model in service for each and its last refusal. */
  entityModels(): EntityModelStatus[] {
    return this.#modelManager.entityModels();
  }

  /**
   * Services known to make outbound calls: the clients of every call edge seen within
   * selection.expireAfterSeconds. Null when no call edge is known at all (no edge telemetry).
   */
  outboundCallers(): OutboundCallers {
    const callers = new Set<string>();
    let edges = 0;
    for (const edge of this.catalog.edges()) {
      callers.add(edge.client);
      edges++;
    }
    return edges === 0 ? null : callers;
  }

  /**
   * How a service's windows are normalised under `manifest`, as the loop chooses: the learned
   * statistics (when complete), the preference, and, when neither the model nor the sidecar has
   * statistics for the service, why it waits.
   */
  baselinesFor(
    service: string,
    manifest: ModelManifest
  ): {
    learned: Readonly<Record<string, BaselineStats>> | undefined;
    prefer: BaselinePreference;
    pending: string | null;
  } {
    const learned = this.baselines.complete(service, manifest.signals);
    const prefer = this.baselines.prefer();
    const pooled = chooseBaselines(manifest, service, learned, prefer).source === 'pooled';
    return { learned, prefer, pending: pooled ? this.baselines.pendingReason(service, manifest.signals) : null };
  }

  counters(): ServiceStatusCounters {
    return {
      ...this.#counters,
      restoredFrom: this.#restoredFrom,
      warmup: this.#warmup,
      notes: [...this.#statusNotes],
    };
  }

  /** How the selection judges one service now. */
  judge(entry: ServiceEntry): SelectionDecision {
    return this.#selectionJudge()(entry);
  }

  async setOverrides(next: { include: readonly string[]; exclude: readonly string[] }): Promise<void> {
    await this.overrides.replace(next);
    this.#judge = null;
  }

  recordFeedbackMetric(kind: string): void {
    this.metrics.feedback.inc({ kind });
  }

  // ---------------------------------------------------------------- one cycle

  /** Runs one cycle for the interval boundary `at` (unix seconds). */
  async runCycle(at: number): Promise<CycleResult> {
    const startedAt = this.#clock();
    this.#applyConfigChanges();
    const config = this.#config();
    const runtime = this.#runtime as DetectionRuntime;
    const step = runtime.step;
    const end = Math.floor(at / step) * step;
    this.#cycleTime = at;
    this.#tally.reset();
    const phases: Partial<Record<CyclePhase, number>> = {};
    let mark = this.#clock();
    const lap = (phase: CyclePhase): void => {
      const now = this.#clock();
      phases[phase] = (now - mark) / 1000;
      mark = now;
    };

    await this.#modelManager.ensure(config.detection.modelDir);
    // A slow Prometheus must not hold the cycle beyond its interval: what has not answered by
    // then counts as not answered, and the detectors go stale rather than late.
    const budgetSeconds = Math.max(1, config.detection.intervalSeconds * CYCLE_READ_SHARE);
    const cycleReads = new AbortController();
    const signal = cycleReads.signal;
    setMaxListeners(256, signal);
    const abortReads = (): void => cycleReads.abort(new Error(`no answer within ${budgetSeconds} s`));
    this.#cycleAbort.signal.addEventListener('abort', abortReads, { once: true });
    // A real timer: the budget is wall time spent waiting on Prometheus, whatever the clock says.
    const readTimer = setTimeout(abortReads, budgetSeconds * 1000);
    readTimer.unref();
    try {
      const [identity, reading] = await Promise.all([
        runtime.identity.read(end, signal),
        runtime.reader.read({ start: end - (runtime.windowSteps - 1) * step, end, step, signal }),
      ]);
      lap('fetch');
      const prometheusUp = this.#tally.prometheusUp;
      const timedOut = signal.aborted && !this.#cycleAbort.signal.aborted;
      let error: string | null = null;

      const services = new Map<string, ServiceStatus>();
      const edges = new Map<string, EdgeStatus>();
      let graph: CallGraph = { at: end, nodes: [], edges: [], idleEdges: [] };
      const verdicts: Record<string, IntervalState> = {};
      const pending = new Map<
        string,
        {
          score: EntityScore;
          extra: Omit<ServiceStatus, keyof EntityScore | 'verdict' | 'trust' | 'onset' | 'accumulator'>;
        }
      >();
      const pendingEdges = new Map<
        string,
        {
          score: EntityScore;
          extra: Omit<EdgeStatus, keyof EntityScore | 'verdict' | 'trust' | 'onset' | 'accumulator'>;
        }
      >();

      if (!prometheusUp) {
        error = timedOut
          ? `Prometheus unreachable: no answer within ${budgetSeconds} s (${CYCLE_READ_SHARE * 100}% of the interval)`
          : `Prometheus unreachable: ${this.#tally.lastError ?? 'every query failed'}`;
        const previous = this.latest();
        for (const s of previous?.services.values() ?? []) {
          pending.set(s.service, { score: staleScore(s, error), extra: { ...s } });
        }
        for (const e of previous?.edges.values() ?? []) {
          pendingEdges.set(e.id, { score: staleScore(e, error), extra: { ...e } });
        }
        graph = previous?.graph ?? graph;
        lap('detect');
        lap('forecast');
      } else {
        const check = crossCheckEdges(reading);
        const fullGraph = buildCallGraph(reading, {
          crossCheckResult: check,
          externalClients: config.detection.externalClients,
        });
        const seen = observedEntities(reading);
        this.catalog.observe({
          services: seen.services,
          edges: seen.edges.values(),
          identities: identityUsable(identity) ? identity.services : null,
        });
        this.#expire(end - config.selection.expireAfterSeconds);
        const judge = this.#selectionJudge();
        const monitored = [...this.catalog.services()].filter((s) => judge(s).monitored);
        const monitoredNames = new Set(monitored.map((s) => s.service));
        const monitoredEdges = [...this.catalog.edges()].filter((e) => {
          const owner = this.catalog.edgeOwner(e);
          return owner !== null && monitoredNames.has(owner);
        });
        this.#dropUnmonitored(monitoredNames, new Set(monitoredEdges.map((e) => e.id)));

        const choices = selectServiceSignals(reading);
        const serviceScores = await runtime.serviceScorer.score(
          monitored.map((s) => s.service),
          choices,
          reading.grid,
          failedSignals(reading, 'service'),
          this.outboundCallers()
        );
        const edgeSeries = indexEdgeSeries(reading, check);
        const edgeScores = await runtime.edgeScorer.score(
          monitoredEdges,
          edgeSeries,
          reading.grid,
          failedSignals(reading, 'edge')
        );
        lap('detect');

        if (runtime.forecasts !== null) {
          await this.#forecast(runtime, monitored, monitoredEdges, choices, edgeSeries, fullGraph);
        }
        lap('forecast');

        for (const s of monitored) {
          const score = serviceScores.get(s.service) as EntityScore;
          pending.set(s.service, { score, extra: serviceExtra(s, choices.get(s.service)) });
        }
        const graphEdges = new Map(fullGraph.edges.map((e) => [e.id, e]));
        const checks = new Map(check.edges.map((e) => [e.id, e]));
        for (const e of monitoredEdges) {
          const score = edgeScores.get(e.id) as EntityScore;
          pendingEdges.set(e.id, {
            score,
            extra: edgeExtra(e, graphEdges.get(e.id), checks.get(e.id), edgeSeries.get(e.id)),
          });
        }
        graph = filterCallGraph(fullGraph, monitoredNames, new Set(monitoredEdges.map((e) => e.id)));
      }

      for (const [id, { score }] of [...pending, ...pendingEdges]) {
        verdicts[id] = verdictOf(score);
      }
      this.#applyFalsePositives(end);
      const evaluation = this.#engine.evaluate({
        at: end,
        entities: verdicts,
        callGraph: graph.edges.map((e) => ({ client: e.client, server: e.server })),
      });
      const engine = this.#engine.snapshot();
      if (!evaluation.ignored) {
        this.history.record(evaluation, nonZero(engine));
        this.notes.add(this.#spikes.observe(evaluation));
      }
      this.baselines.observeCycle(end, anomalousServices(verdicts, pendingEdges), evaluation.incident !== null);
      lap('incidents');

      const ranking = await this.#rankRootCauses(runtime, evaluation, graph, end, prometheusUp, signal);
      lap('rootcause');

      for (const [id, { score, extra }] of pending) {
        services.set(id, this.#status(id, score, extra, engine) as ServiceStatus);
      }
      for (const [id, { score, extra }] of pendingEdges) {
        edges.set(id, this.#status(id, score, extra, engine) as EdgeStatus);
      }
      const incident = evaluation.incident;
      const result: CycleResult = {
        at,
        end,
        startedAt,
        durationSeconds: 0,
        phases,
        queries: this.#tally.total,
        prometheusUp,
        error,
        services,
        edges,
        graph,
        discovered: this.catalog.serviceCount,
        evaluation: {
          rule: evaluation.rule,
          summary: evaluation.summary,
          temperature: evaluation.temperature,
          openThreshold: evaluation.openThreshold,
          closeThreshold: evaluation.closeThreshold,
          severity: evaluation.severity,
          ignored: evaluation.ignored,
        },
        incident,
        ranking,
      };
      this.#publisher.publish({
        cycle: result,
        engine,
        incidentConfig: this.#engine.config,
        evaluation,
        forecasts: runtime.forecasts?.status() ?? [],
      });
      await this.#persist(engine);
      if (prometheusUp) {
        this.#learnBaselines(runtime, reading.grid, new Set(services.keys()));
      }
      lap('publish');
      const finished: CycleResult = {
        ...result,
        durationSeconds: (this.#clock() - startedAt) / 1000,
        phases: { ...phases },
      };
      for (const phase of CYCLE_PHASES) {
        this.metrics.phaseDuration.set({ phase }, phases[phase] ?? 0);
      }
      this.cycles.push(finished);
      // A cycle without Prometheus still completed (explicitly stale); readiness also needs
      // Prometheus to have answered recently, which the query outcomes report.
      this.#deps.health.cycleCompleted(finished.durationSeconds);
      this.#counters.cycles++;
      this.#logCycle(finished, evaluation);
      this.#deps.onCycle?.(finished);
      return finished;
    } finally {
      clearTimeout(readTimer);
      this.#cycleAbort.signal.removeEventListener('abort', abortReads);
    }
  }

  // ---------------------------------------------------------------- cycle parts

  /**
   * Entities an operator marked as false positives of the open incident leave its affected set
   * (their accumulators restart at 0), with the explanation in the incident's record.
   */
  #applyFalsePositives(end: number): void {
    const open = this.#engine.openIncident;
    if (open === null) {
      return;
    }
    const state = this.#engine.snapshot();
    const removals = falsePositiveRemovals(
      open,
      this.feedback.list({ from: open.openedAt, to: Number.MAX_SAFE_INTEGER }),
      this.history.appliedFeedback(open.id),
      state.entities
    );
    if (removals.length === 0) {
      return;
    }
    this.#engine.restore(withoutFalsePositives(state, removals));
    for (const r of removals) {
      this.history.removeAffected(
        open.id,
        { entity: r.entity, feedbackId: r.feedbackId, at: end, accumulator: r.accumulator },
        r.explanation
      );
      this.#deps.logger.info({ incident: open.id, entity: r.entity, feedback: r.feedbackId }, r.explanation);
    }
  }

  /**
   * Starts a background learning run of the services' baselines when one is due and the model
   * scores this config's windows (otherwise nothing uses them). It reads through the API's
   * Prometheus client, so its queries are not counted as the cycle's.
   */
  #learnBaselines(
    runtime: DetectionRuntime,
    grid: { length: number; step: number },
    monitored: ReadonlySet<string>
  ): void {
    if (runtime.serviceScorer.modelProblems(grid).length > 0) {
      return;
    }
    const config = this.#config();
    let reader: TelemetryReader | null = null;
    const read = (range: ReadRange): Promise<TelemetryReading> => {
      reader ??= new TelemetryReader({
        client: this.#apiPrometheus as PrometheusApi,
        presets: runtime.presets,
        windowSeconds: config.detection.rateWindowSeconds,
        concurrency: config.detection.maxConcurrentQueries,
      });
      return reader.read(range);
    };
    this.baselines.maybeRun(read, {
      keep: (service) => monitored.has(service),
      callers: this.outboundCallers(),
    });
  }

  #status(id: string, score: EntityScore, extra: object, engine: IncidentState): ServiceStatus | EdgeStatus {
    const verdict: Verdict = verdictOf(score);
    const { onset, coverage } = this.#tracker.update(id, engine.lastAt ?? 0, verdict);
    return {
      ...extra,
      ...score,
      verdict,
      trust: detectorTrust(score, coverage),
      onset,
      accumulator: engine.entities[id]?.value ?? 0,
    } as ServiceStatus | EdgeStatus;
  }

  async #forecast(
    runtime: DetectionRuntime,
    services: readonly ServiceEntry[],
    edges: readonly EdgeEntry[],
    choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>,
    edgeSeries: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>,
    graph: CallGraph
  ): Promise<void> {
    const bank = runtime.forecasts;
    if (bank === null) {
      return;
    }
    this.#feedForecasts(bank, services, edges, choices, edgeSeries, graph);
    const refits = await bank.refit();
    this.metrics.refits.inc({ result: 'success' }, refits.succeeded);
    this.metrics.refits.inc({ result: 'failure' }, refits.failed);
    if (refits.deferred > 0) {
      this.metrics.refitBudgetExhausted.inc();
    }
  }

  #feedForecasts(
    bank: NonNullable<DetectionRuntime['forecasts']>,
    services: readonly ServiceEntry[],
    edges: readonly EdgeEntry[],
    choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>,
    edgeSeries: ReadonlyMap<string, ReadonlyMap<string, AlignedSeries>>,
    graph: CallGraph
  ): void {
    const { candidates, series } = forecastCandidates(
      this.#config().forecast.targets.signals,
      services.map((s) => s.service),
      edges.map((e) => e.id),
      choices,
      edgeSeries,
      graph
    );
    bank.select(candidates);
    for (const target of bank.targets()) {
      const s = series.get(target.id);
      if (s !== undefined) {
        bank.feed(target.id, s);
      }
    }
  }

  async #rankRootCauses(
    runtime: DetectionRuntime,
    evaluation: IncidentEvaluation,
    graph: CallGraph,
    end: number,
    prometheusUp: boolean,
    signal: AbortSignal
  ): Promise<StoredRanking | null> {
    const incident = evaluation.incident;
    if (incident === null) {
      return null;
    }
    const stored = this.history.get(incident.id)?.rootCause ?? null;
    const open = evaluation.rule !== 'closed';
    if (!open || !prometheusUp || (stored !== null && stored.final)) {
      return stored;
    }
    try {
      const ranking = await runtime.analyzer.analyze({ incident, graph, now: end, signal });
      this.history.setRootCause(incident.id, ranking);
      return ranking;
    } catch (error) {
      this.#deps.logger.warn({ incident: incident.id, error: describeError(error) }, 'root-cause ranking failed');
      return stored;
    }
  }

  #expire(before: number): void {
    const expired = this.catalog.expire(before);
    const gone = [...expired.services, ...expired.edges];
    if (gone.length === 0) {
      return;
    }
    this.#forgetEntities(gone);
    this.#deps.logger.info(
      { services: expired.services, edges: expired.edges },
      'entities expired (not seen for selection.expireAfterSeconds)'
    );
  }

  /** Services and edges that left the monitored set lose their detectors and engine state. */
  #dropUnmonitored(services: ReadonlySet<string>, edges: ReadonlySet<string>): void {
    const latest = this.latest();
    if (latest === null) {
      return;
    }
    const gone = [
      ...[...latest.services.keys()].filter((s) => !services.has(s)),
      ...[...latest.edges.keys()].filter((e) => !edges.has(e)),
    ];
    if (gone.length > 0) {
      this.#forgetEntities(gone);
    }
  }

  #forgetEntities(ids: readonly string[]): void {
    for (const id of ids) {
      this.#runtime?.forget(id);
      this.#tracker.remove(id);
      this.baselines.forget(id);
    }
    // The engine holds absent entities (unknown is not normal); entities that left for good are
    // taken out of its state so they neither hold an incident open nor linger in the temperature.
    const state = this.#engine.snapshot();
    let changed = false;
    for (const id of ids) {
      if (state.entities[id] !== undefined) {
        delete state.entities[id];
        changed = true;
      }
    }
    if (changed) {
      this.#engine.restore(state);
    }
  }

  async #persist(engine: IncidentState): Promise<void> {
    try {
      await Promise.all([
        this.#snapshots.write(engine, this.#clock()),
        this.history.save(),
        this.notes.save(),
        this.baselines.persist(),
      ]);
    } catch (error) {
      this.#deps.logger.error({ error: describeError(error) }, 'cannot write state to the state directory');
    }
  }

  #logCycle(cycle: CycleResult, evaluation: IncidentEvaluation): void {
    const count = (values: Iterable<{ state: string }>): Record<string, number> => {
      const out: Record<string, number> = {};
      for (const v of values) {
        out[v.state] = (out[v.state] ?? 0) + 1;
      }
      return out;
    };
    const anomalous = [...cycle.services.values(), ...cycle.edges.values()].filter(
      (s) => s.verdict === 'anomalous'
    ).length;
    this.#deps.logger.info(
      {
        at: cycle.at,
        durationMs: Math.round(cycle.durationSeconds * 1000),
        queries: cycle.queries,
        prometheusUp: cycle.prometheusUp,
        services: count(cycle.services.values()),
        edges: count(cycle.edges.values()),
        anomalous,
        temperature: evaluation.temperature,
        severity: this.#engine.openIncident?.maxSeverity ?? null,
        incident: this.#engine.openIncident?.id ?? null,
        rule: evaluation.rule,
        rootCause: cycle.ranking?.candidates[0]?.service ?? null,
        ...(cycle.error === null ? {} : { error: cycle.error }),
      },
      'cycle'
    );
  }

  #cycleEnded(outcome: CycleOutcome): void {
    if (outcome.overrun) {
      this.#counters.overruns++;
    }
    if (outcome.skipped > 0) {
      this.#counters.skipped += outcome.skipped;
      this.metrics.cycleSkipped.inc(outcome.skipped);
    }
    if (outcome.overrun || outcome.skipped > 0) {
      this.#deps.logger.warn(
        { at: outcome.at, durationSeconds: outcome.durationSeconds, skipped: outcome.skipped },
        'detection cycle overran its interval; the skipped start times were not run'
      );
    }
  }

  // ---------------------------------------------------------------- set-up helpers

  #config(): SidecarConfig {
    return this.#deps.config.current().config;
  }

  #note(text: string): void {
    this.#statusNotes.push(text);
    this.#deps.logger.warn({}, text);
  }

  #buildClient(config: PrometheusConfig): void {
    const client = (this.#deps.createPrometheus ?? createPrometheusClient)(config);
    void this.#client?.close?.().catch(() => undefined);
    this.#client = client;
    // The loop reads the same queries over a moving window every cycle: only the new steps.
    this.#loopPrometheus = new MeteredPrometheus(new IncrementalRangeReads(client), (outcome, error) => {
      this.#tally.record(outcome, error);
      this.#deps.health.prometheusQuery(outcome);
    });
    this.#apiPrometheus = new MeteredPrometheus(client, (outcome) => this.#deps.health.prometheusQuery(outcome));
  }

  #buildRuntime(config: SidecarConfig): DetectionRuntime {
    const presets = (this.#deps.resolvePresets ?? defaultPresets)(config.telemetry);
    return new DetectionRuntime(config, {
      prometheus: this.#loopPrometheus as PrometheusApi,
      presets,
      models: this.models,
      augurs: this.#augurs,
      mask: (entity, t) => this.feedback.isMasked(entity, t),
      now: this.#clock,
      cycleTime: () => this.#cycleTime,
      rootCause: () => this.#config().rootCause,
      baselines: this.baselines,
    });
  }

  /** Applies a reloaded config from the next cycle: new readers and detectors when needed. */
  #applyConfigChanges(): void {
    const next = this.#deps.config.current();
    if (next === this.#applied) {
      return;
    }
    const changed = diffConfig(this.#applied.config, next.config);
    this.#applied = next;
    if (changed.some((k) => k.startsWith('prometheus'))) {
      this.#buildClient(next.config.prometheus);
    }
    if (changed.some((k) => RUNTIME_KEYS.some((r) => k === r || k.startsWith(`${r}.`)))) {
      try {
        this.#runtime = this.#buildRuntime(next.config);
        this.#deps.logger.info({ changed }, 'detection settings changed; detectors start over');
      } catch (error) {
        this.#deps.logger.error(
          { error: describeError(error) },
          'cannot apply the reloaded telemetry settings; keeping the running ones'
        );
      }
    }
    if (changed.some((k) => k.startsWith('incidents'))) {
      const state = this.#engine.snapshot();
      this.#engine = new IncidentEngine(next.config.incidents);
      this.#engine.restore(state);
      this.#spikes = new SpikeTracker(2 * next.config.incidents.gain);
    }
    this.#judge = null;
  }

  #selectionJudge(): (s: ServiceEntry) => SelectionDecision {
    const config = this.#config();
    const overrides = this.overrides.current;
    if (this.#judge === null || this.#judge.key !== config || this.#judge.overrides !== overrides) {
      this.#judge = {
        key: config,
        overrides,
        judge: createSelectionJudge(config.selection, config.sharding, overrides),
      };
    }
    return this.#judge.judge;
  }

  async #loadStores(): Promise<void> {
    for (const store of [
      this.feedback,
      this.overrides,
      this.history,
      this.notes,
      this.#baselineStore,
      this.#exclusionStore,
    ]) {
      try {
        await store.load();
      } catch (error) {
        // Keep the unreadable file for inspection and start that store empty.
        const file = store.file;
        const aside = `${file}.unreadable-${this.#clock()}`;
        await rename(file, aside).catch(() => undefined);
        this.#note(`${file} could not be read (${describeError(error)}); moved to ${aside}, starting empty`);
      }
    }
  }

  async #saveStores(): Promise<void> {
    try {
      await Promise.all([this.history.save(), this.notes.save(), this.baselines.persist()]);
    } catch (error) {
      this.#deps.logger.error({ error: describeError(error) }, 'cannot write state to the state directory');
    }
  }

  /**
   * Incident state at start: the exported series in Prometheus and the local snapshot are both
   * read; the newer (by the last evaluated interval) wins, Prometheus on a tie.
   */
  async #restore(): Promise<void> {
    const config = this.#config();
    const now = this.#clock() / 1000;
    let fromPrometheus: IncidentState | null = null;
    try {
      const signal = AbortSignal.any([this.#cycleAbort.signal, AbortSignal.timeout(RESTORE_TIMEOUT_MS)]);
      const exported = await readExportedIncidentState({
        prometheus: this.#apiPrometheus as PrometheusApi,
        shard: config.sharding,
        now,
        lookbackSeconds: Math.max(RESTORE_LOOKBACK_SECONDS, 20 * config.detection.intervalSeconds),
        signal,
      });
      fromPrometheus = exported?.state ?? null;
    } catch (error) {
      this.#note(`incident state not read from Prometheus (${describeError(error)}); trying the local snapshot`);
    }
    let local: IncidentState | null = null;
    try {
      local = (await this.#snapshots.read())?.state ?? null;
    } catch (error) {
      this.#note(`local incident snapshot unreadable (${describeError(error)})`);
    }
    const promAt = fromPrometheus?.lastAt ?? null;
    const localAt = local?.lastAt ?? null;
    let source: RestoreSource = 'empty';
    let state: IncidentState | null = null;
    if (fromPrometheus !== null && (localAt === null || (promAt ?? 0) >= localAt)) {
      source = 'prometheus';
      state = fromPrometheus;
    } else if (local !== null) {
      source = 'local';
      state = local;
    }
    if (state !== null) {
      const incident = state.incident;
      if (incident !== null) {
        const known = this.history.get(incident.id);
        if (known !== undefined) {
          incident.affectedEntities = [...known.affectedEntities];
          incident.openedSeverity = known.openedSeverity;
          incident.peakTemperature = Math.max(incident.peakTemperature, known.peakTemperature);
        }
      }
      try {
        this.#engine.restore(state);
      } catch (error) {
        this.#note(`restored incident state refused (${describeError(error)}); starting empty`);
        source = 'empty';
      }
    }
    const open = source === 'empty' ? null : this.#engine.openIncident;
    if (open !== null && source !== 'empty') {
      this.history.restored(open, source);
    } else {
      this.history.noneOpen();
    }
    this.#restoredFrom = source;
    this.metrics.restoreInfo.reset();
    this.metrics.restoreInfo.set({ source }, 1);
    this.#deps.logger.info(
      { source, lastEvaluation: this.#engine.snapshot().lastAt, openIncident: open?.id ?? null },
      'incident state restored'
    );
  }

  /**
   * Reads detection.warmupHistorySeconds of history (one query per signal per chunk) and feeds
   * the univariate detectors of monitored edges, of services the model cannot score, and the
   * forecasters, so a restarted sidecar does not need hours of warm-up.
   */
  async #warmUp(): Promise<void> {
    const config = this.#config();
    const runtime = this.#runtime as DetectionRuntime;
    const seconds = config.detection.warmupHistorySeconds;
    if (seconds <= 0) {
      this.#warmup = { state: 'skipped', chunks: 0, note: 'detection.warmupHistorySeconds is 0' };
      return;
    }
    const step = runtime.step;
    const end = Math.floor(this.#clock() / 1000 / step) * step - step;
    const start = end - Math.floor(seconds / step) * step;
    this.#warmup = { state: 'running', chunks: 0, note: null };
    const signal = this.#cycleAbort.signal;
    try {
      const identity = await runtime.identity.read(end, signal);
      const identities = identityUsable(identity) ? identity.services : null;
      const modelProblems = runtime.serviceScorer.modelProblems({ length: runtime.windowSteps, step });
      if (modelProblems.length === 0) {
        // The model scores the services: their baselines are learned from the same history.
        this.baselines.beginWarmup(start, end);
      }
      const chunks = await readHistoryInChunks(
        (range) => runtime.reader.read(range),
        { start, end, step, signal },
        HISTORY_CHUNK_POINTS,
        (reading) => this.#warmChunk(runtime, reading, identities, modelProblems.length > 0)
      );
      const notes = this.#tally.prometheusUp
        ? null
        : `history not read: ${this.#tally.lastError ?? 'Prometheus unreachable'}`;
      await this.baselines.finishWarmup(this.outboundCallers(), notes === null);
      this.#warmup = { state: notes === null ? 'done' : 'failed', chunks, note: notes };
      this.#deps.logger.info(
        {
          chunks,
          seconds,
          edges: runtime.edgeBank.size,
          serviceDetectors: runtime.serviceBank.size,
          forecasts: runtime.forecasts?.size ?? 0,
        },
        'detectors warmed from history'
      );
    } catch (error) {
      this.#warmup = { state: 'failed', chunks: 0, note: describeError(error) };
      await this.baselines.finishWarmup(null, false);
      this.#deps.logger.warn({ error: describeError(error) }, 'warm-up from history failed; detectors warm up live');
    } finally {
      this.#tally.reset();
    }
  }

  #warmChunk(
    runtime: DetectionRuntime,
    reading: TelemetryReading,
    identities: IdentityReading['services'] | null,
    servicesNeedFallback: boolean
  ): void {
    const seen = observedEntities(reading);
    this.catalog.observe({ services: seen.services, edges: seen.edges.values(), identities });
    const judge = this.#selectionJudge();
    const monitored = [...this.catalog.services()].filter((s) => judge(s).monitored);
    const names = new Set(monitored.map((s) => s.service));
    const check: CrossCheckResult = crossCheckEdges(reading);
    const edgeSeries = indexEdgeSeries(reading, check);
    const edges = [...this.catalog.edges()].filter((e) => {
      const owner = this.catalog.edgeOwner(e);
      return owner !== null && names.has(owner);
    });
    for (const e of edges) {
      runtime.edgeBank.feedAll(e.id, edgeSeries.get(e.id), reading.grid.timestamps);
    }
    const choices = selectServiceSignals(reading);
    this.baselines.warmChunk(reading, choices, (service) => names.has(service));
    if (servicesNeedFallback) {
      for (const s of monitored) {
        const bySignal = new Map<string, AlignedSeries>();
        for (const [name, choice] of choices.get(s.service) ?? []) {
          bySignal.set(name, choice.series);
        }
        runtime.serviceBank.feedAll(s.service, bySignal, reading.grid.timestamps);
      }
    }
    const bank = runtime.forecasts;
    if (bank !== null) {
      const graph = buildCallGraph(reading, {
        crossCheckResult: check,
        externalClients: this.#config().detection.externalClients,
      });
      this.#feedForecasts(bank, monitored, edges, choices, edgeSeries, graph);
    }
  }
}

/** Signals of a scope whose query failed in some source this cycle. */
function failedSignals(reading: TelemetryReading, scope: 'service' | 'edge'): Set<string> {
  const out = new Set<string>();
  for (const source of reading.sources) {
    for (const c of source.coverage.signals) {
      if (c.scope === scope && c.status === 'failed') {
        out.add(c.signal);
      }
    }
  }
  return out;
}

/** An identity reading is used when at least one source answered; a failed one keeps the known identities. */
function identityUsable(identity: IdentityReading): boolean {
  return identity.sources.some((s) => s.status !== 'failed');
}

function nonZero(state: IncidentState): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, e] of Object.entries(state.entities)) {
    if (e.value > 0) {
      out[id] = e.value;
    }
  }
  return out;
}

function staleScore(previous: EntityScore, reason: string): EntityScore {
  return {
    ...previous,
    state: 'stale',
    reasons: [reason],
    score: null,
    anomalous: null,
    error: null,
    contributions: null,
    signals: previous.signals.map((s) => ({ ...s, state: 'stale', score: null, anomalous: null })),
  };
}

function serviceExtra(
  entry: ServiceEntry,
  choices: ReadonlyMap<string, ServiceSignalChoice> | undefined
): Omit<ServiceStatus, keyof EntityScore | 'verdict' | 'trust' | 'onset' | 'accumulator'> {
  const readings: SignalReading[] = [];
  for (const [signal, choice] of choices ?? []) {
    readings.push({ signal, source: choice.source, value: lastObserved(choice.series) });
  }
  readings.sort((a, b) => (a.signal < b.signal ? -1 : 1));
  return {
    service: entry.service,
    namespace: entry.namespace,
    team: entry.team,
    lastSeen: entry.lastSeen,
    readings,
    requestRate: lastObserved(choices?.get('request_rate')?.series),
  };
}

function edgeExtra(
  entry: EdgeEntry,
  graphEdge: CallGraph['edges'][number] | undefined,
  check: CrossCheckResult['edges'][number] | undefined,
  series: ReadonlyMap<string, AlignedSeries> | undefined
): Omit<EdgeStatus, keyof EntityScore | 'verdict' | 'trust' | 'onset' | 'accumulator'> {
  return {
    id: entry.id,
    client: entry.client,
    server: entry.server,
    lastSeen: entry.lastSeen,
    requestRate: graphEdge?.rate ?? lastObserved(series?.get('request_rate')),
    errorRatio: graphEdge?.errorRatio ?? lastObserved(series?.get('error_ratio')),
    latencyP95: graphEdge?.latencyP95 ?? lastObserved(series?.get('latency_p95')),
    sources: check?.sources.map((s) => s.source) ?? [],
    agreement: check?.status ?? 'single-source',
    chosenSource: check?.chosen.source ?? null,
    rateDisagreement: check?.rateRelativeDifference ?? null,
  };
}
