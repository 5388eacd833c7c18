import { IncidentConfigError } from './IncidentConfigError.js';

export interface IncidentConfig {
  /** Added to an entity's accumulator for each anomalous interval. */
  gain: number;
  /** Subtracted for each normal interval (floor 0). */
  leak: number;
  /** Upper bound of each accumulator, so recovery time after a long fault stays bounded. */
  cap: number;
  /** Default per-entity threshold: an entity at or over it counts as affected for severity. */
  entityThreshold: number;
  /** Per-entity overrides of `entityThreshold`, by entity id. */
  entityThresholds: Readonly<Record<string, number>>;
  /** Temperature (sum of accumulators) at or over which an incident opens. */
  openThreshold: number;
  /** Temperature at or under which an open incident closes; below `openThreshold` for hysteresis. */
  closeThreshold: number;
  /** SEV1 needs at least this many affected entities (counted after the chain rule). */
  sev1MinEntities: number;
  /** Count affected entities that lie on one caller→callee chain as a single fault. */
  chainAware: boolean;
  /** Prefix of incident ids, e.g. a shard name, so ids from different engines never collide. */
  idPrefix: string;
}

export type IncidentConfigInput = Partial<IncidentConfig>;

/**
 * Defaults tuned for one evaluation every 15 s (the lab's cadence); see README.md in this
 * folder for the arithmetic behind each value.
 */
export const DEFAULT_INCIDENT_CONFIG: Readonly<IncidentConfig> = Object.freeze({
  gain: 1,
  leak: 2,
  cap: 20,
  entityThreshold: 6,
  entityThresholds: Object.freeze({}),
  openThreshold: 10,
  closeThreshold: 4,
  sev1MinEntities: 2,
  chainAware: false,
  idPrefix: 'inc-',
});

const KEYS = new Set(Object.keys(DEFAULT_INCIDENT_CONFIG));

function finite(key: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new IncidentConfigError(key, `must be a finite number (got ${JSON.stringify(value) ?? String(value)})`);
  }
  return value;
}

/**
 * Merges `input` over the defaults and validates the result once, so the evaluation loop can
 * trust every number. Unknown keys are rejected: a misspelt "openTreshold" would otherwise
 * silently run with the default.
 */
export function resolveIncidentConfig(input: IncidentConfigInput = {}): Readonly<IncidentConfig> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new IncidentConfigError('(root)', 'must be an object');
  }
  for (const key of Object.keys(input)) {
    if (!KEYS.has(key)) {
      throw new IncidentConfigError(key, `unknown key (known: ${[...KEYS].join(', ')})`);
    }
  }
  const merged = { ...DEFAULT_INCIDENT_CONFIG, ...input };

  const gain = finite('gain', merged.gain);
  if (gain <= 0) {
    throw new IncidentConfigError('gain', `must be > 0 (got ${gain})`);
  }
  const leak = finite('leak', merged.leak);
  if (leak < 0) {
    throw new IncidentConfigError('leak', `must be >= 0 (got ${leak})`);
  }
  const entityThreshold = finite('entityThreshold', merged.entityThreshold);
  if (entityThreshold <= 0) {
    throw new IncidentConfigError('entityThreshold', `must be > 0 (got ${entityThreshold})`);
  }
  const openThreshold = finite('openThreshold', merged.openThreshold);
  const closeThreshold = finite('closeThreshold', merged.closeThreshold);
  if (closeThreshold < 0) {
    throw new IncidentConfigError('closeThreshold', `must be >= 0 (got ${closeThreshold})`);
  }
  if (!(closeThreshold < openThreshold)) {
    throw new IncidentConfigError(
      'closeThreshold',
      `must be < openThreshold (${closeThreshold} >= ${openThreshold}); equal values would let an incident flap`
    );
  }
  const cap = finite('cap', merged.cap);
  if (cap < entityThreshold) {
    throw new IncidentConfigError(
      'cap',
      `must be >= entityThreshold (${cap} < ${entityThreshold}); no entity could ever count as affected`
    );
  }
  if (cap < openThreshold) {
    throw new IncidentConfigError(
      'cap',
      `must be >= openThreshold (${cap} < ${openThreshold}); a single faulty entity could never open an incident`
    );
  }

  const overrides = merged.entityThresholds;
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new IncidentConfigError('entityThresholds', 'must be an object {entity: threshold}');
  }
  const entityThresholds: Record<string, number> = {};
  for (const [entity, value] of Object.entries(overrides)) {
    const key = `entityThresholds.${entity}`;
    const threshold = finite(key, value);
    if (threshold <= 0) {
      throw new IncidentConfigError(key, `must be > 0 (got ${threshold})`);
    }
    if (threshold > cap) {
      throw new IncidentConfigError(
        key,
        `must be <= cap (${threshold} > ${cap}); the entity could never count as affected`
      );
    }
    entityThresholds[entity] = threshold;
  }

  const sev1MinEntities = merged.sev1MinEntities;
  if (typeof sev1MinEntities !== 'number' || !Number.isInteger(sev1MinEntities) || sev1MinEntities < 2) {
    throw new IncidentConfigError('sev1MinEntities', `must be an integer >= 2 (got ${String(sev1MinEntities)})`);
  }
  if (typeof merged.chainAware !== 'boolean') {
    throw new IncidentConfigError('chainAware', `must be true or false (got ${String(merged.chainAware)})`);
  }
  if (typeof merged.idPrefix !== 'string') {
    throw new IncidentConfigError('idPrefix', `must be a string (got ${typeof merged.idPrefix})`);
  }

  return Object.freeze({
    gain,
    leak,
    cap,
    entityThreshold,
    entityThresholds: Object.freeze(entityThresholds),
    openThreshold,
    closeThreshold,
    sev1MinEntities,
    chainAware: merged.chainAware,
    idPrefix: merged.idPrefix,
  });
}
