import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from './BaselineSet.js';
import type { SignalScope } from './canonicalSignals.js';
import type { ScaleSource } from './fitRobustStats.js';
import { requireSignal } from './requireSignal.js';
import { SignalInputError } from './SignalInputError.js';

const SOURCES: ReadonlySet<string> = new Set<ScaleSource>(['mad', 'iqr', 'relative', 'absolute']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Validates baselines read from a manifest (untrusted JSON) and returns a clean copy. Every
 * scale must be > 0 so normalising can never divide by zero at run time.
 */
export function parseBaselines(json: unknown, scope: SignalScope, field = 'baselines'): BaselineSet {
  if (!isObject(json)) {
    throw new SignalInputError(field, 'must be an object {entity: {signal: {center, scale}}}');
  }
  if (!isObject(json[DEFAULT_BASELINE_KEY])) {
    throw new SignalInputError(`${field}.${DEFAULT_BASELINE_KEY}`, 'is required (fallback for entities unseen in training)');
  }
  const out = { [DEFAULT_BASELINE_KEY]: {} } as BaselineSet;
  for (const [entity, signals] of Object.entries(json)) {
    if (!isObject(signals)) {
      throw new SignalInputError(`${field}.${entity}`, 'must be an object {signal: {center, scale}}');
    }
    const entry: Record<string, BaselineStats> = {};
    for (const [signal, stats] of Object.entries(signals)) {
      const path = `${field}.${entity}.${signal}`;
      requireSignal(scope, signal, path);
      if (!isObject(stats)) {
        throw new SignalInputError(path, 'must be an object {center, scale}');
      }
      const { center, scale, source } = stats;
      if (typeof center !== 'number' || !Number.isFinite(center)) {
        throw new SignalInputError(`${path}.center`, `must be a finite number (got ${String(center)})`);
      }
      if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
        throw new SignalInputError(`${path}.scale`, `must be a finite number > 0 (got ${String(scale)})`);
      }
      if (source !== undefined && (typeof source !== 'string' || !SOURCES.has(source))) {
        throw new SignalInputError(`${path}.source`, `must be one of ${[...SOURCES].join(', ')} (got ${String(source)})`);
      }
      entry[signal] = source === undefined ? { center, scale } : { center, scale, source: source as ScaleSource };
    }
    out[entity] = entry;
  }
  return out;
}
