import { IncidentInputError } from './IncidentInputError.js';
import type { IncidentConfig } from './resolveIncidentConfig.js';
import type { EntityState, IncidentRecord, IncidentState, Severity } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function finiteNumber(field: string, value: unknown, min = Number.NEGATIVE_INFINITY): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const bound = min === Number.NEGATIVE_INFINITY ? '' : ` >= ${min}`;
    throw new IncidentInputError(
      field,
      `must be a finite number${bound} (got ${JSON.stringify(value) ?? String(value)})`
    );
  }
  return value;
}

function count(field: string, value: unknown): number {
  if (value === undefined) {
    return 0;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new IncidentInputError(field, `must be an integer >= 0 (got ${JSON.stringify(value)})`);
  }
  return value;
}

function severity(field: string, value: unknown): Severity {
  if (value !== 'SEV1' && value !== 'SEV2') {
    throw new IncidentInputError(field, `must be "SEV1" or "SEV2" (got ${JSON.stringify(value)})`);
  }
  return value;
}

function parseEntity(field: string, raw: unknown, cap: number): EntityState {
  if (!isObject(raw)) {
    throw new IncidentInputError(field, 'must be an object with at least {value}');
  }
  // A lower cap in a new config must not leave accumulators above it after a restart.
  const value = Math.min(cap, finiteNumber(`${field}.value`, raw.value, 0));
  const peak =
    raw.peak === undefined ? value : Math.min(cap, Math.max(value, finiteNumber(`${field}.peak`, raw.peak, 0)));
  return {
    value,
    peak,
    normalStreak: count(`${field}.normalStreak`, raw.normalStreak),
    unknownStreak: count(`${field}.unknownStreak`, raw.unknownStreak),
  };
}

function parseIncident(raw: unknown, temperature: number, lastAt: number | null): IncidentRecord | null {
  if (raw === null || raw === undefined) {
    return null;
  }
  const field = 'snapshot.incident';
  if (!isObject(raw)) {
    throw new IncidentInputError(field, 'must be an object or null');
  }
  if (typeof raw.id !== 'string' || raw.id.length === 0) {
    throw new IncidentInputError(`${field}.id`, 'must be a non-empty string');
  }
  if (raw.closedAt !== undefined && raw.closedAt !== null) {
    throw new IncidentInputError(`${field}.closedAt`, 'must be null: a snapshot carries only the open incident');
  }
  const openedAt = finiteNumber(`${field}.openedAt`, raw.openedAt);
  if (lastAt !== null && openedAt > lastAt) {
    throw new IncidentInputError(`${field}.openedAt`, `${openedAt} is after the last evaluation ${lastAt}`);
  }
  const maxSeverity = severity(`${field}.maxSeverity`, raw.maxSeverity);
  const affected = raw.affectedEntities ?? [];
  if (!Array.isArray(affected) || affected.some((e) => typeof e !== 'string')) {
    throw new IncidentInputError(`${field}.affectedEntities`, 'must be a list of entity ids');
  }
  return {
    id: raw.id,
    openedAt,
    closedAt: null,
    openedSeverity:
      raw.openedSeverity === undefined ? maxSeverity : severity(`${field}.openedSeverity`, raw.openedSeverity),
    maxSeverity,
    escalatedAt:
      raw.escalatedAt === undefined || raw.escalatedAt === null
        ? null
        : finiteNumber(`${field}.escalatedAt`, raw.escalatedAt),
    peakTemperature:
      raw.peakTemperature === undefined
        ? temperature
        : Math.max(temperature, finiteNumber(`${field}.peakTemperature`, raw.peakTemperature, 0)),
    peakAt: raw.peakAt === undefined ? openedAt : finiteNumber(`${field}.peakAt`, raw.peakAt),
    affectedEntities: [...(affected as string[])],
  };
}

/**
 * Validates a snapshot (possibly rebuilt by the service from its own exported series) and
 * returns a fresh state. Only what the exported metrics can supply is mandatory: per-entity
 * `value`, and for an open incident its `id`, `openedAt` and `maxSeverity`. The open incident
 * keeps its id, so continuing after a restore never opens a duplicate.
 */
export function parseIncidentSnapshot(snapshot: unknown, config: Readonly<IncidentConfig>): IncidentState {
  if (!isObject(snapshot)) {
    throw new IncidentInputError('snapshot', 'must be an object');
  }
  if (snapshot.version !== 1) {
    throw new IncidentInputError(
      'snapshot.version',
      `unsupported version ${JSON.stringify(snapshot.version)} (expected 1)`
    );
  }
  const lastAt =
    snapshot.lastAt === undefined || snapshot.lastAt === null ? null : finiteNumber('snapshot.lastAt', snapshot.lastAt);
  const rawEntities = snapshot.entities ?? {};
  if (!isObject(rawEntities)) {
    throw new IncidentInputError('snapshot.entities', 'must be an object {entity: {value}}');
  }
  const entities: Record<string, EntityState> = {};
  let temperature = 0;
  for (const [entity, raw] of Object.entries(rawEntities)) {
    const parsed = parseEntity(`snapshot.entities.${entity}`, raw, config.cap);
    entities[entity] = parsed;
    temperature += parsed.value;
  }
  return { version: 1, lastAt, entities, incident: parseIncident(snapshot.incident, temperature, lastAt) };
}
