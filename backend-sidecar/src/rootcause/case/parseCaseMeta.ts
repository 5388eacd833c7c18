import { CaseFormatError } from './CaseFormatError.js';
import { ROOT_CAUSE_CASE_FORMAT, type CaseMeta, type SignalDeclaration } from './types.js';

const ROLES = ['latency', 'errors', 'outbound_latency', 'outbound_errors', 'traffic', 'resource', 'other', 'context'];
const DIRECTIONS = ['up', 'down', 'both'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function finite(value: unknown, where: string, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new CaseFormatError(where, `${what} must be a finite number (got ${JSON.stringify(value)})`);
  }
  return value;
}

function declarations(value: unknown, where: string): Record<string, SignalDeclaration> | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!isObject(value)) {
    throw new CaseFormatError(where, 'must be an object {signal: {role, badDirection}}');
  }
  const out: Record<string, SignalDeclaration> = {};
  for (const [name, raw] of Object.entries(value)) {
    const at = `${where}.${name}`;
    if (!isObject(raw) || !ROLES.includes(raw.role as string) || !DIRECTIONS.includes(raw.badDirection as string)) {
      throw new CaseFormatError(at, `needs role (${ROLES.join('|')}) and badDirection (up|down|both)`);
    }
    if (raw.scaleFloor !== undefined && !(finite(raw.scaleFloor, at, 'scaleFloor') > 0)) {
      throw new CaseFormatError(at, 'scaleFloor must be > 0');
    }
    out[name] = raw as unknown as SignalDeclaration;
  }
  return out;
}

/** Reads and checks `case.json`. */
export function parseCaseMeta(text: string, where: string): CaseMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CaseFormatError(where, `is not JSON (${(error as Error).message})`);
  }
  if (!isObject(raw)) {
    throw new CaseFormatError(where, 'must be a JSON object');
  }
  if (raw.format !== ROOT_CAUSE_CASE_FORMAT) {
    throw new CaseFormatError(where, `format must be "${ROOT_CAUSE_CASE_FORMAT}" (got ${JSON.stringify(raw.format)})`);
  }
  if (typeof raw.id !== 'string' || raw.id === '') {
    throw new CaseFormatError(where, 'id must be a non-empty string');
  }
  const step = finite(raw.step, where, 'step');
  if (!(step > 0)) {
    throw new CaseFormatError(where, 'step must be > 0 seconds');
  }
  const alertTime = finite(raw.alertTime, where, 'alertTime');
  if (!Array.isArray(raw.services) || raw.services.some((s) => typeof s !== 'string' || s === '')) {
    throw new CaseFormatError(where, 'services must be an array of non-empty names');
  }
  const services = raw.services as string[];
  if (new Set(services).size !== services.length) {
    throw new CaseFormatError(where, 'services lists a name twice');
  }
  let label: CaseMeta['label'];
  if (raw.label !== undefined) {
    if (!isObject(raw.label) || typeof raw.label.service !== 'string' || raw.label.service === '') {
      throw new CaseFormatError(`${where} label`, 'needs a non-empty "service"');
    }
    if (raw.label.time !== undefined) {
      finite(raw.label.time, `${where} label`, 'time');
    }
    label = raw.label as unknown as CaseMeta['label'];
  }
  if (raw.system !== undefined && typeof raw.system !== 'string') {
    throw new CaseFormatError(where, 'system must be a string');
  }
  const meta: CaseMeta = { format: ROOT_CAUSE_CASE_FORMAT, id: raw.id, step, alertTime, services };
  // Optional fields only when present, so a case read back equals the case written.
  const optional: Partial<CaseMeta> = {
    system: raw.system as string | undefined,
    serviceSignals: declarations(raw.serviceSignals, `${where} serviceSignals`),
    edgeSignals: declarations(raw.edgeSignals, `${where} edgeSignals`),
    label,
    source: isObject(raw.source) ? raw.source : undefined,
    notes: Array.isArray(raw.notes) ? raw.notes.map(String) : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) {
      (meta as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return meta;
}
