import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from './BaselineSet.js';
import type { SignalScope } from './canonicalSignals.js';
import { fitRobustStats, type ScaleSource } from './fitRobustStats.js';
import { requireSignal } from './requireSignal.js';
import { SignalInputError } from './SignalInputError.js';

export interface LearnBaselinesOptions {
  scope: SignalScope;
  /**
   * One absolute scale floor for every signal, as a model manifest records it. Without it each
   * signal uses its own `scaleFloor` from the catalogue (1 MiB for memory, 1 ms for latency, ...).
   */
  absoluteFloor?: number;
  /** Lower bound on each scale as a fraction of |median| (see fitRobustStats). */
  relativeFloor?: number;
}

export interface LearnedBaselines {
  baselines: BaselineSet;
  /** Which estimate gave each scale, for explanations ("scale is the floor: constant in training"). */
  sources: Record<string, Record<string, ScaleSource>>;
  /** "entity.signal: reason" for pairs without usable training data; those fall back to `default`. */
  skipped: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Learns per-entity, per-signal baselines from a training period. Input values are the aligned
 * series of that period (NaN where missing). The `default` entry is fitted on the values of all
 * entities pooled together, as the training pipeline does, so both produce the same fallback.
 */
export function learnBaselines(
  training: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>,
  options: LearnBaselinesOptions
): LearnedBaselines {
  if (!isObject(training)) {
    throw new SignalInputError('training', 'must be an object {entity: {signal: values[]}}');
  }
  const entities = Object.keys(training);
  if (entities.length === 0) {
    throw new SignalInputError('training', 'contains no entities');
  }
  const baselines = { [DEFAULT_BASELINE_KEY]: {} } as BaselineSet;
  const sources: Record<string, Record<string, ScaleSource>> = { [DEFAULT_BASELINE_KEY]: {} };
  const skipped: string[] = [];
  const pooled = new Map<string, number[]>();

  const fit = (signal: string, values: readonly number[], name: string): BaselineStats & { source: ScaleSource } => {
    const spec = requireSignal(options.scope, signal, name);
    const stats = fitRobustStats(values, {
      absoluteFloor: options.absoluteFloor ?? spec.scaleFloor,
      relativeFloor: options.relativeFloor,
      name,
    });
    return { center: stats.center, scale: stats.scale, source: stats.source };
  };

  for (const entity of entities) {
    if (entity === DEFAULT_BASELINE_KEY) {
      throw new SignalInputError(
        `training.${entity}`,
        `"${DEFAULT_BASELINE_KEY}" is reserved for the fallback baseline`
      );
    }
    const signals = training[entity];
    if (!isObject(signals)) {
      throw new SignalInputError(`training.${entity}`, 'must be an object {signal: values[]}');
    }
    const entry: Record<string, BaselineStats> = {};
    const entrySources: Record<string, ScaleSource> = {};
    for (const [signal, values] of Object.entries(signals)) {
      const name = `training.${entity}.${signal}`;
      requireSignal(options.scope, signal, name);
      if (!Array.isArray(values)) {
        throw new SignalInputError(name, 'must be an array of numbers');
      }
      const finite = values.filter((v) => Number.isFinite(v));
      if (finite.length === 0) {
        skipped.push(`${entity}.${signal}: no finite training values`);
        continue;
      }
      const { source, ...stats } = fit(signal, finite, name);
      entry[signal] = stats;
      entrySources[signal] = source;
      const all = pooled.get(signal) ?? [];
      for (const v of finite) {
        all.push(v);
      }
      pooled.set(signal, all);
    }
    baselines[entity] = entry;
    sources[entity] = entrySources;
  }

  for (const [signal, values] of pooled) {
    const { source, ...stats } = fit(signal, values, `training.(pooled).${signal}`);
    baselines.default[signal] = stats;
    (sources[DEFAULT_BASELINE_KEY] as Record<string, ScaleSource>)[signal] = source;
  }
  return { baselines, sources, skipped };
}
