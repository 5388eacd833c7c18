import { RootCauseInputError } from './RootCauseInputError.js';
import type { WindowIndex } from './summariseSignal.js';
import type { RankOptions, RootCauseInput, SignalDeviation } from './types.js';

const ROLES = new Set([
  'latency',
  'errors',
  'outbound_latency',
  'outbound_errors',
  'traffic',
  'resource',
  'other',
  'context',
]);
const DIRECTIONS = new Set(['up', 'down', 'both']);

export interface ValidatedInput {
  step: number;
  window: WindowIndex;
  /** Services in name order. */
  services: string[];
  /** Deduplicated calls without self-calls, in input order. */
  calls: Array<{ client: string; server: string }>;
  notes: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkSignals(field: string, signals: unknown, length: number): void {
  if (!isObject(signals)) {
    throw new RootCauseInputError(field, 'must be an object {signal: {role, badDirection, deviation}}');
  }
  for (const [name, raw] of Object.entries(signals)) {
    const at = `${field}.${name}`;
    if (!isObject(raw)) {
      throw new RootCauseInputError(at, 'must be {role, badDirection, deviation}');
    }
    const signal = raw as unknown as SignalDeviation;
    if (!ROLES.has(signal.role)) {
      throw new RootCauseInputError(
        `${at}.role`,
        `unknown role "${String(signal.role)}" (known: ${[...ROLES].join(', ')})`
      );
    }
    if (!DIRECTIONS.has(signal.badDirection)) {
      throw new RootCauseInputError(
        `${at}.badDirection`,
        `must be "up", "down" or "both" (got "${String(signal.badDirection)}")`
      );
    }
    if (!Array.isArray(signal.deviation)) {
      throw new RootCauseInputError(`${at}.deviation`, 'must be an array of numbers (NaN for unknown)');
    }
    if (signal.deviation.length === 0) {
      throw new RootCauseInputError(`${at}.deviation`, `is empty but the grid has ${length} points`);
    }
    if (signal.deviation.length !== length) {
      throw new RootCauseInputError(
        `${at}.deviation`,
        `has ${signal.deviation.length} values but the grid has ${length} points`
      );
    }
    for (let i = 0; i < signal.deviation.length; i++) {
      if (typeof signal.deviation[i] !== 'number') {
        throw new RootCauseInputError(
          `${at}.deviation[${i}]`,
          `must be a number, NaN for unknown (got ${typeof signal.deviation[i]})`
        );
      }
    }
  }
}

/**
 * Checks everything the ranker relies on and locates the analysed window on the grid. Problems
 * that make a ranking meaningless throw; harmless oddities (a self-call, a duplicate edge) are
 * returned as notes.
 */
export function validateRootCauseInput(input: RootCauseInput, options: RankOptions): ValidatedInput {
  if (!isObject(input)) {
    throw new RootCauseInputError('input', 'must be an object');
  }
  const { timestamps } = input;
  if (!Array.isArray(timestamps)) {
    throw new RootCauseInputError('timestamps', 'must be an array of unix seconds');
  }
  if (timestamps.length === 0) {
    throw new RootCauseInputError('timestamps', 'is empty: there is nothing to rank on');
  }
  if (timestamps.length < 2) {
    throw new RootCauseInputError('timestamps', 'needs at least two grid points to know the step');
  }
  const step = (timestamps[1] as number) - (timestamps[0] as number);
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RootCauseInputError('timestamps', 'must be finite and strictly ascending');
  }
  for (let i = 1; i < timestamps.length; i++) {
    const gap = (timestamps[i] as number) - (timestamps[i - 1] as number);
    if (!Number.isFinite(gap) || Math.abs(gap - step) > step * 1e-6) {
      throw new RootCauseInputError(
        'timestamps',
        `must be evenly spaced (step ${step} s, but index ${i} is ${gap} s after the previous point)`
      );
    }
  }
  if (typeof input.alertTime !== 'number' || !Number.isFinite(input.alertTime)) {
    throw new RootCauseInputError('alertTime', `must be unix seconds (got ${String(input.alertTime)})`);
  }
  const start = input.alertTime - options.lookbackSeconds;
  const end = input.alertTime + options.lookaheadSeconds;
  let first = -1;
  let last = -1;
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i] as number;
    if (t >= start && t <= end) {
      if (first < 0) {
        first = i;
      }
      last = i;
    }
  }
  if (first < 0) {
    throw new RootCauseInputError(
      'alertTime',
      `window [${start}, ${end}] does not overlap the grid [${timestamps[0]}, ${timestamps[timestamps.length - 1]}]`
    );
  }

  if (!isObject(input.services)) {
    throw new RootCauseInputError('services', 'must be an object {service: {signals}}');
  }
  const services = Object.keys(input.services).sort();
  if (services.length === 0) {
    throw new RootCauseInputError('services', 'is empty: there is nothing to rank');
  }
  for (const name of services) {
    const entry = input.services[name];
    if (!isObject(entry)) {
      throw new RootCauseInputError(`services.${name}`, 'must be {signals: {...}}');
    }
    checkSignals(`services.${name}.signals`, entry.signals, timestamps.length);
  }

  const notes: string[] = [];
  if (!Array.isArray(input.callGraph)) {
    throw new RootCauseInputError('callGraph', 'must be an array of {client, server} (empty when unknown)');
  }
  const seen = new Set<string>();
  const calls: Array<{ client: string; server: string }> = [];
  input.callGraph.forEach((raw: unknown, i) => {
    if (
      !isObject(raw) ||
      typeof raw.client !== 'string' ||
      typeof raw.server !== 'string' ||
      !raw.client ||
      !raw.server
    ) {
      throw new RootCauseInputError(`callGraph[${i}]`, 'must be {client, server} with non-empty service names');
    }
    const edge = { client: raw.client, server: raw.server };
    for (const side of ['client', 'server'] as const) {
      if (!Object.prototype.hasOwnProperty.call(input.services, edge[side])) {
        throw new RootCauseInputError(
          `callGraph[${i}].${side}`,
          `service "${edge[side]}" is not among the services; pass an entry with no signals if it emits nothing`
        );
      }
    }
    if (edge.client === edge.server) {
      notes.push(`callGraph[${i}]: self-call of ${edge.client} ignored`);
      return;
    }
    const key = `${edge.client}\u0000${edge.server}`;
    if (seen.has(key)) {
      return;
    }
    seen.add(key);
    calls.push({ client: edge.client, server: edge.server });
  });

  const edges = input.edges ?? [];
  if (!Array.isArray(edges)) {
    throw new RootCauseInputError('edges', 'must be an array of {client, server, signals}');
  }
  const edgeSeen = new Set<string>();
  edges.forEach((edge, i) => {
    if (!isObject(edge) || typeof edge.client !== 'string' || typeof edge.server !== 'string') {
      throw new RootCauseInputError(`edges[${i}]`, 'must be {client, server, signals}');
    }
    const key = `${edge.client}\u0000${edge.server}`;
    if (!seen.has(key)) {
      throw new RootCauseInputError(
        `edges[${i}]`,
        `series for ${edge.client} -> ${edge.server}, a call that is not in the call graph`
      );
    }
    if (edgeSeen.has(key)) {
      throw new RootCauseInputError(`edges[${i}]`, `second series for ${edge.client} -> ${edge.server}`);
    }
    edgeSeen.add(key);
    checkSignals(`edges[${i}].signals`, edge.signals, timestamps.length);
  });

  return { step, window: { first, last }, services, calls, notes };
}
