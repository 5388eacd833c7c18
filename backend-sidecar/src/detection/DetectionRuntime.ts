import { IdentityReader } from '../adapters/IdentityReader.js';
import { TelemetryReader } from '../adapters/TelemetryReader.js';
import type { Preset } from '../adapters/types.js';
import type { SidecarConfig } from '../config/types.js';
import { AutoencoderDetector } from '../detectors/autoencoder/AutoencoderDetector.js';
import type { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import type { Augurs } from '../forecast/loadAugurs.js';
import type { PrometheusApi } from '../prometheus/types.js';
import { autoencoderBaselineOptions, type BaselineLookup } from './autoencoderBaselineOptions.js';
import { EDGE_SIGNALS, EdgeScorer } from './EdgeScorer.js';
import { ForecastBank } from './ForecastBank.js';
import { RootCauseAnalyzer } from './RootCauseAnalyzer.js';
import { FALLBACK_SERVICE_SIGNALS, ServiceScorer } from './ServiceScorer.js';
import { UnivariateBank, type LearningMask } from './UnivariateBank.js';

export interface RuntimeDeps {
  readonly prometheus: PrometheusApi;
  readonly presets: readonly Preset[];
  readonly models: ModelRegistry;
  readonly augurs: Augurs | null;
  readonly mask: LearningMask;
  /** Milliseconds. */
  readonly now: () => number;
  /** Unix seconds the autoencoder judges staleness against (the cycle's grid end). */
  readonly cycleTime: () => number;
  /** The root-cause options in force (read per ranking). */
  readonly rootCause: () => SidecarConfig['rootCause'];
  /** Baselines the sidecar learned, for services the model has no statistics of its own for. */
  readonly baselines: BaselineLookup;
}

/**
 * The per-config parts of the detection loop: readers over the presets, the detectors with their
 * step-dependent state, the forecasters and the root-cause analyser. A config change that
 * affects them builds a new runtime (detectors then warm up again from history); incident state,
 * stores and models live outside it and carry over.
 */
export class DetectionRuntime {
  readonly step: number;
  readonly windowSteps: number;
  readonly reader: TelemetryReader;
  readonly identity: IdentityReader;
  readonly serviceScorer: ServiceScorer;
  readonly serviceBank: UnivariateBank;
  readonly edgeBank: UnivariateBank;
  readonly edgeScorer: EdgeScorer;
  readonly forecasts: ForecastBank | null;
  readonly analyzer: RootCauseAnalyzer;
  readonly presets: readonly Preset[];

  constructor(config: SidecarConfig, deps: RuntimeDeps) {
    const d = config.detection;
    this.step = d.stepSeconds;
    this.windowSteps = d.windowSteps;
    this.presets = deps.presets;
    this.reader = new TelemetryReader({
      client: deps.prometheus,
      presets: deps.presets,
      windowSeconds: d.rateWindowSeconds,
      concurrency: d.maxConcurrentQueries,
    });
    this.identity = new IdentityReader({
      client: deps.prometheus,
      presets: deps.presets,
      windowSeconds: d.rateWindowSeconds,
    });
    const bank = (scope: 'service' | 'edge', signals: readonly string[]) =>
      new UnivariateBank({
        scope,
        signals,
        settings: d.univariate,
        stepSeconds: d.stepSeconds,
        staleAfterSteps: d.staleAfterSteps,
        maxGapSteps: d.windowSteps,
        mask: deps.mask,
      });
    this.serviceBank = bank('service', FALLBACK_SERVICE_SIGNALS);
    this.edgeBank = bank('edge', EDGE_SIGNALS);
    this.serviceScorer = new ServiceScorer({
      registry: deps.models,
      detector: new AutoencoderDetector({
        models: deps.models,
        clock: deps.cycleTime,
        staleAfterSteps: d.staleAfterSteps,
        ...autoencoderBaselineOptions(deps.models, deps.baselines),
      }),
      fallback: this.serviceBank,
      univariateThreshold: d.univariate.alertThreshold,
    });
    this.edgeScorer = new EdgeScorer(this.edgeBank, d.univariate.alertThreshold);
    this.forecasts =
      config.forecast.enabled && deps.augurs !== null && config.forecast.maxTargets > 0
        ? new ForecastBank({
            config: config.forecast,
            stepSeconds: d.stepSeconds,
            intervalSeconds: d.intervalSeconds,
            augurs: deps.augurs,
            now: deps.now,
            mask: deps.mask,
          })
        : null;
    this.analyzer = new RootCauseAnalyzer({
      read: (range) => this.reader.read(range),
      config: deps.rootCause,
      stepSeconds: d.stepSeconds,
    });
  }

  /** Forgets every detector state of an entity (it expired or left the monitored set). */
  forget(entity: string): void {
    this.serviceBank.remove(entity);
    this.edgeBank.remove(entity);
  }
}

/** Config key paths whose change needs a new runtime (readers, detectors, forecasters). */
export const RUNTIME_KEYS: readonly string[] = Object.freeze([
  'prometheus',
  'telemetry',
  'detection.stepSeconds',
  'detection.windowSteps',
  'detection.rateWindowSeconds',
  'detection.staleAfterSteps',
  'detection.maxConcurrentQueries',
  'detection.univariate',
  'detection.intervalSeconds',
  'forecast',
]);
