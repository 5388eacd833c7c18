import { normaliseWindow, type BaselineSet, type BaselineStats } from '../../signals/index.js';
import { calibratedScore } from './calibratedScore.js';
import { chooseBaselines, type BaselinePreference } from './chooseBaselines.js';
import { checkWindowShape } from './checkWindowShape.js';
import { classifyWindow } from './classifyWindow.js';
import { DetectorInputError } from './DetectorInputError.js';
import { describeMismatch } from './describeMismatch.js';
import type { LoadedModel } from './loadModel.js';
import type { ModelChoice } from './ModelRegistry.js';
import type { ModelLease } from './ModelSlot.js';
import { reconstructionErrors } from './reconstructionErrors.js';
import type { BaselineSource, DetectionResult, DetectorInput, DetectorState, ModelManifest } from './types.js';

/** Where the detector gets the model for an entity (the ModelRegistry in the sidecar). */
export interface ModelSource {
  lease(entity: string): ModelChoice | null;
  lastError(entity?: string): Error | null;
}

export interface AutoencoderDetectorOptions {
  models: ModelSource;
  /** Current time in unix seconds; injected so tests and replays control it. */
  clock: () => number;
  /**
   * Most windows per inference call. Bounds the tensor (and the native memory behind it) however
   * many services a cycle has; 1,024 windows of 12 signals × 60 steps are 2.9 MB of float32.
   */
  maxBatch?: number;
  /**
   * A window whose newest sample is more than this many steps older than the clock is `stale`.
   * Default 3, the longest gap a window tolerates by default. null disables the check.
   */
  staleAfterSteps?: number | null;
  /**
   * Per-entity baselines the sidecar learned from its own history (src/signals learnBaselines),
   * for entities the model was not trained on: without them such an entity is normalised with
   * the model's pooled `default` statistics, whose scales belong to other services.
   */
  learnedBaselines?: (entity: string) => Readonly<Record<string, BaselineStats>> | undefined;
  /** Whether learned baselines win over the model's own statistics for an entity (read per batch). Default model. */
  preferBaselines?: () => BaselinePreference;
  /**
   * Why an entity without its own statistics (neither the model's nor learned ones) must not be
   * normalised with the model's pooled default, or null to use the pooled default. When it
   * returns a reason the window is `warmup` with that reason: pooled scales belong to other
   * services, and scoring with them flags a healthy service as broken.
   */
  refusePooled?: (entity: string) => string | null;
}

export const DEFAULT_MAX_BATCH = 1024;
export const DEFAULT_STALE_AFTER_STEPS = 3;

interface Pending {
  index: number;
  entity: string;
  timestamp: number;
  z: number[][];
  baselineSource: BaselineSource;
}

interface Group {
  lease: ModelLease;
  perEntity: boolean;
  pending: Pending[];
}

function blank(
  entity: string,
  timestamp: number,
  state: DetectorState,
  reasons: string[],
  model: LoadedModel | null,
  perEntity: boolean
): DetectionResult {
  return {
    entity,
    state,
    reasons,
    timestamp,
    modelId: model?.manifest.modelId ?? null,
    perEntityModel: perEntity,
    baselineSource: null,
    error: null,
    signalErrors: null,
    contributions: null,
    score: null,
    threshold: null,
    anomalous: null,
  };
}

/**
 * Scores entities' signal windows with their autoencoder in batches: one inference call per
 * batch of up to `maxBatch` windows that share a model, whatever the number of entities.
 * Every input gets a result; only `ok` results carry an error, contributions and a score, and
 * nothing with a missing value reaches the model.
 */
export class AutoencoderDetector {
  readonly #models: ModelSource;
  readonly #clock: () => number;
  readonly #maxBatch: number;
  readonly #staleAfterSteps: number | null;
  readonly #learned: AutoencoderDetectorOptions['learnedBaselines'];
  readonly #prefer: () => BaselinePreference;
  readonly #refusePooled: AutoencoderDetectorOptions['refusePooled'];

  constructor(options: AutoencoderDetectorOptions) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new DetectorInputError('maxBatch', `must be an integer >= 1 (got ${String(maxBatch)})`);
    }
    const stale = options.staleAfterSteps === undefined ? DEFAULT_STALE_AFTER_STEPS : options.staleAfterSteps;
    if (stale !== null && !(typeof stale === 'number' && stale >= 0)) {
      throw new DetectorInputError('staleAfterSteps', `must be a number >= 0 or null (got ${String(stale)})`);
    }
    this.#models = options.models;
    this.#clock = options.clock;
    this.#maxBatch = maxBatch;
    this.#staleAfterSteps = stale;
    this.#learned = options.learnedBaselines;
    this.#prefer = options.preferBaselines ?? (() => 'model');
    this.#refusePooled = options.refusePooled;
  }

  #baselinesFor(
    manifest: ModelManifest,
    entity: string,
    prefer: BaselinePreference
  ): { set: BaselineSet; source: BaselineSource } {
    return chooseBaselines(manifest, entity, this.#learned?.(entity), prefer);
  }

  async detect(inputs: readonly DetectorInput[]): Promise<DetectionResult[]> {
    if (!Array.isArray(inputs)) {
      throw new DetectorInputError('inputs', 'must be an array of {entity, window}');
    }
    inputs.forEach((input, i) => {
      if (input === null || typeof input !== 'object' || typeof input.entity !== 'string' || input.entity === '') {
        throw new DetectorInputError(`inputs[${i}].entity`, 'must be a non-empty string');
      }
      checkWindowShape(input.window, `inputs[${i}].window`);
    });
    const now = this.#clock();
    const prefer = this.#prefer();
    const results = new Array<DetectionResult>(inputs.length);
    const groups = new Map<LoadedModel, Group>();
    try {
      inputs.forEach((input, index) => {
        const { entity, window } = input;
        const timestamp = window.timestamps[window.timestamps.length - 1] as number;
        const choice = this.#models.lease(entity);
        if (choice === null) {
          const why = this.#models.lastError(entity);
          const reasons = ['no model in service; use the univariate bands'];
          if (why !== null) {
            reasons.push(`last load refused: ${why.message}`);
          }
          results[index] = blank(entity, timestamp, 'fallback', reasons, null, false);
          return;
        }
        const { model } = choice.lease;
        const group = groups.get(model);
        if (group === undefined) {
          groups.set(model, { lease: choice.lease, perEntity: choice.perEntity, pending: [] });
        } else {
          // One lease per model and cycle is enough to keep it alive until its batches finish.
          choice.lease.release();
        }
        const manifest = model.manifest;
        const mismatch = describeMismatch(manifest, {
          signals: window.signals,
          windowLength: window.timestamps.length,
          stepSeconds: window.step,
        });
        if (mismatch.length > 0) {
          results[index] = blank(entity, timestamp, 'fallback', mismatch, model, choice.perEntity);
          return;
        }
        const verdict = classifyWindow(window, now, this.#staleAfterSteps);
        if (verdict.state !== 'ok') {
          results[index] = blank(entity, timestamp, verdict.state, verdict.reasons, model, choice.perEntity);
          return;
        }
        const baselines = this.#baselinesFor(manifest, entity, prefer);
        if (baselines.source === 'pooled') {
          const refused = this.#refusePooled?.(entity) ?? null;
          if (refused !== null) {
            results[index] = blank(entity, timestamp, 'warmup', [refused], model, choice.perEntity);
            return;
          }
        }
        const { z } = normaliseWindow(window, baselines.set, { clip: manifest.clip });
        (groups.get(model) as Group).pending.push({ index, entity, timestamp, z, baselineSource: baselines.source });
      });
      for (const [model, group] of groups) {
        for (let from = 0; from < group.pending.length; from += this.#maxBatch) {
          const batch = group.pending.slice(from, from + this.#maxBatch);
          await this.#score(model, group.perEntity, batch, results);
        }
      }
    } finally {
      for (const group of groups.values()) {
        group.lease.release();
      }
    }
    return results;
  }

  /**
   * Scores `count` entities whose windows are built on demand by `inputAt`, at most `maxBatch` at
   * a time: each chunk's windows are built, scored and dropped before the next chunk is built.
   * Memory then stays bounded by the batch, not by the number of services, and short-lived
   * windows are cheap for the garbage collector. Results come back in index order.
   */
  async detectMany(count: number, inputAt: (index: number) => DetectorInput): Promise<DetectionResult[]> {
    if (!Number.isInteger(count) || count < 0) {
      throw new DetectorInputError('count', `must be an integer >= 0 (got ${String(count)})`);
    }
    const results: DetectionResult[] = [];
    for (let from = 0; from < count; from += this.#maxBatch) {
      const chunk: DetectorInput[] = [];
      for (let i = from; i < Math.min(count, from + this.#maxBatch); i++) {
        chunk.push(inputAt(i));
      }
      results.push(...(await this.detect(chunk)));
    }
    return results;
  }

  async #score(model: LoadedModel, perEntity: boolean, batch: Pending[], results: DetectionResult[]): Promise<void> {
    const { manifest, session } = model;
    const signals = manifest.signals.length;
    const steps = manifest.windowLength;
    const input = new Float32Array(batch.length * signals * steps);
    batch.forEach((item, n) => {
      for (let s = 0; s < signals; s++) {
        const row = item.z[s] as number[];
        const offset = (n * signals + s) * steps;
        for (let t = 0; t < steps; t++) {
          const v = row[t] as number;
          // classifyWindow admitted only complete windows; this guards the model against a
          // baseline that could turn a finite value into NaN (it cannot: scales are > 0).
          if (!Number.isFinite(v)) {
            throw new DetectorInputError(
              `${item.entity}.${manifest.signals[s]}`,
              `non-finite model input at step ${t}`
            );
          }
          input[offset + t] = v;
        }
      }
    });
    const dims = [batch.length, signals, steps];
    const output = await session.run(manifest.inputName, input, dims, manifest.outputName);
    const { errors, signalErrors } = reconstructionErrors(
      input,
      output.data,
      batch.length,
      signals,
      steps,
      manifest.error
    );
    const { threshold } = manifest.calibration;
    batch.forEach((item, n) => {
      const error = errors[n] as number;
      const terms: Record<string, number> = {};
      const shares: Record<string, number> = {};
      let total = 0;
      for (let s = 0; s < signals; s++) {
        total += signalErrors[n * signals + s] as number;
      }
      for (let s = 0; s < signals; s++) {
        const name = manifest.signals[s] as string;
        const term = signalErrors[n * signals + s] as number;
        terms[name] = term;
        // A perfect reconstruction has no culprit: spread the (zero) error evenly.
        shares[name] = total > 0 ? term / total : 1 / signals;
      }
      results[item.index] = {
        entity: item.entity,
        state: 'ok',
        reasons: [],
        timestamp: item.timestamp,
        modelId: manifest.modelId,
        perEntityModel: perEntity,
        baselineSource: item.baselineSource,
        error,
        signalErrors: terms,
        contributions: shares,
        score: calibratedScore(error, manifest.calibration),
        threshold,
        anomalous: error > threshold,
      };
    });
  }
}
