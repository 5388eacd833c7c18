import { DEFAULT_BASELINE_KEY, type BaselineSet, type BaselineStats } from './BaselineSet.js';
import type { SignalScope } from './canonicalSignals.js';
import { requireSignal } from './requireSignal.js';
import { SignalInputError } from './SignalInputError.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseStats(path: string, stats: unknown): BaselineStats {
  if (!isObject(stats)) {
    throw new SignalInputError(path, 'must be an object {center, scale}');
  }
  for (const key of Object.keys(stats)) {
    if (key !== 'center' && key !== 'scale') {
      throw new SignalInputError(`${path}.${key}`, 'unexpected property (only center and scale are allowed)');
    }
  }
  const { center, scale } = stats;
  if (typeof center !== 'number' || !Number.isFinite(center)) {
    throw new SignalInputError(`${path}.center`, `must be a finite number (got ${String(center)})`);
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw new SignalInputError(`${path}.scale`, `must be a finite number > 0 (got ${String(scale)})`);
  }
  return { center, scale };
}

function parseEntity(path: string, signals: unknown, scope: SignalScope): Record<string, BaselineStats> {
  if (!isObject(signals)) {
    throw new SignalInputError(path, 'must be an object {signal: {center, scale}}');
  }
  const entry: Record<string, BaselineStats> = {};
  for (const [signal, stats] of Object.entries(signals)) {
    requireSignal(scope, signal, `${path}.${signal}`);
    entry[signal] = parseStats(`${path}.${signal}`, stats);
  }
  return entry;
}

/**
 * Validates baselines from untrusted JSON and returns a clean copy. Accepts either the flat form
 * `{default: {...}, entity: {...}}` or a model manifest's `normalisation` section
 * `{per_entity: {entity: {...}}, default: {...}, ...}`. Every scale must be > 0 so normalising
 * can never divide by zero at run time.
 */
export function parseBaselines(json: unknown, scope: SignalScope, field = 'baselines'): BaselineSet {
  if (!isObject(json)) {
    throw new SignalInputError(field, 'must be an object {entity: {signal: {center, scale}}}');
  }
  if (!isObject(json[DEFAULT_BASELINE_KEY])) {
    throw new SignalInputError(
      `${field}.${DEFAULT_BASELINE_KEY}`,
      'is required (fallback for entities unseen in training)'
    );
  }
  const out = {
    [DEFAULT_BASELINE_KEY]: parseEntity(`${field}.${DEFAULT_BASELINE_KEY}`, json.default, scope),
  } as BaselineSet;
  const manifestSection = isObject(json.per_entity);
  const entities = manifestSection ? (json.per_entity as Record<string, unknown>) : json;
  const prefix = manifestSection ? `${field}.per_entity` : field;
  for (const [entity, signals] of Object.entries(entities)) {
    if (!manifestSection && entity === DEFAULT_BASELINE_KEY) {
      continue;
    }
    if (manifestSection && entity === DEFAULT_BASELINE_KEY) {
      throw new SignalInputError(
        `${prefix}.${entity}`,
        `"${DEFAULT_BASELINE_KEY}" is reserved for the fallback baseline`
      );
    }
    out[entity] = parseEntity(`${prefix}.${entity}`, signals, scope);
  }
  return out;
}
