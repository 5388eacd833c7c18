import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from './BaselineSet.js';
import type { SignalScope } from './canonicalSignals.js';
import { fitRobustStats } from './fitRobustStats.js';
import { requireSignal } from './requireSignal.js';
import { SignalInputError } from './SignalInputError.js';

export interface LearnBaselinesOptions {
  scope: SignalScope;
  /** Lower bound on each scale as a fraction of |median| (see fitRobustStats). */
  relativeFloor?: number;
}

export interface LearnedBaselines {
  baselines: BaselineSet;
  /** "entity.signal: reason" for pairs without usable training data; those fall back to `default`. */
  skipped: string[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Learns per-entity, per-signal baselines from a training period. Input values are the aligned
 * series of that period (NaN where missing). The `default` entry takes, per signal, the median
 * of the entities' centers and of their scales, so one very busy service does not define
 * "normal" for every service that was never seen.
 */
export function learnBaselines(
  training: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>,
  options: LearnBaselinesOptions
): LearnedBaselines {
  if (training === null || typeof training !== 'object') {
    throw new SignalInputError('training', 'must be an object {entity: {signal: values[]}}');
  }
  const entities = Object.keys(training);
  if (entities.length === 0) {
    throw new SignalInputError('training', 'contains no entities');
  }
  const baselines = { [DEFAULT_BASELINE_KEY]: {} } as BaselineSet;
  const skipped: string[] = [];
  const perSignal = new Map<string, BaselineStats[]>();

  for (const entity of entities) {
    if (entity === DEFAULT_BASELINE_KEY) {
      throw new SignalInputError(`training.${entity}`, `"${DEFAULT_BASELINE_KEY}" is reserved for the fallback baseline`);
    }
    const signals = training[entity];
    if (signals === null || typeof signals !== 'object') {
      throw new SignalInputError(`training.${entity}`, 'must be an object {signal: values[]}');
    }
    const entry: Record<string, BaselineStats> = {};
    for (const [signal, values] of Object.entries(signals)) {
      const spec = requireSignal(options.scope, signal, `training.${entity}.${signal}`);
      const finiteCount = Array.isArray(values) ? values.filter((v) => Number.isFinite(v)).length : 0;
      if (finiteCount === 0) {
        skipped.push(`${entity}.${signal}: no finite training values`);
        continue;
      }
      const stats = fitRobustStats(values, {
        absoluteFloor: spec.scaleFloor,
        relativeFloor: options.relativeFloor,
        name: `training.${entity}.${signal}`,
      });
      entry[signal] = { center: stats.center, scale: stats.scale, source: stats.source };
      const list = perSignal.get(signal) ?? [];
      list.push(entry[signal]);
      perSignal.set(signal, list);
    }
    baselines[entity] = entry;
  }

  for (const [signal, list] of perSignal) {
    baselines.default[signal] = {
      center: median(list.map((s) => s.center)),
      scale: median(list.map((s) => s.scale)),
    };
  }
  return { baselines, skipped };
}
