import type { ServiceSignalChoice } from '../adapters/selectServiceSignals.js';
import type { AutoencoderDetector } from '../detectors/autoencoder/AutoencoderDetector.js';
import { describeMismatch } from '../detectors/autoencoder/describeMismatch.js';
import type { ModelRegistry } from '../detectors/autoencoder/ModelRegistry.js';
import type { DetectionResult } from '../detectors/autoencoder/types.js';
import { buildWindow, type AlignedSeries, type StepGrid } from '../signals/index.js';
import { combineJudgements } from './combineJudgements.js';
import {
  measuredShares,
  serviceWindowSeries,
  structuralZeroNote,
  type OutboundCallers,
} from './serviceWindowSeries.js';
import type { EntityScore } from './types.js';
import type { UnivariateBank } from './UnivariateBank.js';

/** The service signals the univariate fallback judges: what a user feels first. */
export const FALLBACK_SERVICE_SIGNALS: readonly string[] = Object.freeze([
  'latency_p95',
  'error_ratio',
  'request_rate',
]);

export interface ServiceScorerOptions {
  readonly registry: ModelRegistry;
  readonly detector: AutoencoderDetector;
  /** Univariate detectors over FALLBACK_SERVICE_SIGNALS for services the model cannot score. */
  readonly fallback: UnivariateBank;
  /** Score at or above which a univariate score counts as anomalous. */
  readonly univariateThreshold: number;
  /** Receives the duration of each batched inference call (seconds). */
  readonly onInference?: (seconds: number) => void;
  /** Milliseconds, for timing inference. */
  readonly now?: () => number;
}

/**
 * Scores monitored services: the autoencoder over the signals its manifest lists, in batches,
 * and the univariate detectors for every service the model cannot score (no model, a manifest
 * that does not match the configured step, window or signals, or the model's own fallback).
 * Warm-up, stale and unknown stay explicit states with their reasons.
 */
export class ServiceScorer {
  readonly #o: ServiceScorerOptions;
  readonly #now: () => number;

  constructor(options: ServiceScorerOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Why the shared model cannot score windows of this shape; empty when it can. The same for
   * every service (fine-tuned models must take the shared model's windows), so it is checked
   * once per cycle instead of building windows that are bound to fall back.
   */
  modelProblems(grid: Pick<StepGrid, 'length' | 'step'>): string[] {
    const base = this.#o.registry.baseModel();
    if (base === null) {
      const why = this.#o.registry.lastError();
      return ['no model in service', ...(why === null ? [] : [`last load refused: ${why.message}`])];
    }
    return describeMismatch(base.manifest, { windowLength: grid.length, stepSeconds: grid.step }).map(
      (p) => `model ${base.manifest.modelId} does not fit the configured windows: ${p}`
    );
  }

  /**
   * `callers` are the services known to make outbound calls (call graph and its history): the
   * missing outbound signals of any other service are structural zeros, and its result says so.
   */
  async score(
    services: readonly string[],
    choices: ReadonlyMap<string, ReadonlyMap<string, ServiceSignalChoice>>,
    grid: StepGrid,
    failed?: ReadonlySet<string>,
    callers: OutboundCallers = null
  ): Promise<Map<string, EntityScore>> {
    const out = new Map<string, EntityScore>();
    const problems = this.modelProblems(grid);
    const fallbackReasons = new Map<string, readonly string[]>();
    if (problems.length > 0) {
      for (const service of services) {
        fallbackReasons.set(service, problems);
      }
    } else {
      const base = this.#o.registry.baseModel();
      const manifest = base?.manifest;
      const structural = new Map<string, readonly string[]>();
      const results = await this.#o.detector.detectMany(services.length, (i) => {
        const service = services[i] as string;
        const { series, structuralZeros } = serviceWindowSeries(
          service,
          choices.get(service),
          manifest?.signals ?? [],
          callers
        );
        if (structuralZeros.length > 0) {
          structural.set(service, structuralZeros);
        }
        return {
          entity: service,
          window: buildWindow(service, series, grid, {
            scope: 'service',
            signals: manifest?.signals ?? [],
            maxGapSteps: manifest?.maxGapSteps,
            maxInterpolationSteps: manifest?.maxGapSteps,
          }),
        };
      });
      results.forEach((r, i) => {
        const service = services[i] as string;
        if (r.state === 'fallback') {
          fallbackReasons.set(service, r.reasons);
        } else {
          out.set(service, this.#fromModel(r, structural.get(service) ?? []));
        }
      });
    }
    for (const service of services) {
      const reasons = fallbackReasons.get(service);
      if (reasons === undefined) {
        // The model scores it: univariate detectors kept from an earlier fallback are dropped.
        this.#o.fallback.remove(service);
        continue;
      }
      const bySignal = new Map<string, AlignedSeries>();
      for (const [name, choice] of choices.get(service) ?? []) {
        bySignal.set(name, choice.series);
      }
      this.#o.fallback.feedAll(service, bySignal, grid.timestamps, failed);
      const combined = combineJudgements(this.#o.fallback.judge(service, grid.end), this.#o.univariateThreshold, [
        ...reasons,
      ]);
      out.set(service, combined.state === 'ok' ? { ...combined, state: 'fallback' } : combined);
    }
    return out;
  }

  /**
   * `structural` are the signals filled with structural zeros: the result says so after the
   * detector's reasons, and they are left out of the contributions, which name what was measured
   * (a service that calls nothing is never "anomalous for its outbound latency").
   */
  #fromModel(r: DetectionResult, structural: readonly string[]): EntityScore {
    const model = r.modelId === null ? null : this.#o.registry.models().find((m) => m.manifest.modelId === r.modelId);
    return {
      state: r.state,
      detector: 'autoencoder',
      reasons: structural.length === 0 ? r.reasons : [...r.reasons, structuralZeroNote(structural)],
      score: r.score,
      threshold: model?.manifest.calibration.thresholdScore ?? null,
      anomalous: r.anomalous,
      error: r.error,
      contributions: measuredShares(r.contributions, structural),
      modelId: r.modelId,
      perEntityModel: r.perEntityModel,
      baselineSource: r.baselineSource,
      modelDataSource: model?.manifest.dataSource ?? null,
      signals: [],
    };
  }
}
