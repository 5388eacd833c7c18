import { parseDuration } from './parseDuration.js';
import { ProfileSpecError } from './ProfileSpecError.js';
import type { LoadProfileSpec, SpikeSpec } from './types.js';

/** Path of a value inside a profile document, e.g. ['factors', 1, 'spikes', 0, 'start']. */
export type SpecPath = ReadonlyArray<string | number>;

/**
 * Says where a path is in the source (file:line:column, or a column of a command-line string).
 * `part` asks for the key of a mapping entry rather than its value, for unknown keys.
 */
export type SpecLocator = (path: SpecPath, part?: 'key' | 'value') => string;

const KINDS = ['steady', 'diurnal', 'spikes', 'product'] as const;

/**
 * Checks a profile given as plain data (parsed YAML, or the fields of a command-line string)
 * and builds the typed spec. Numbers may also arrive as strings, because the command line has
 * no other type; durations accept units (see parseDuration). The first problem found is thrown
 * as a ProfileSpecError located by `locate`.
 */
export function validateProfileSpec(value: unknown, locate: SpecLocator, path: SpecPath = []): LoadProfileSpec {
  const fail = (at: SpecPath, problem: string, part: 'key' | 'value' = 'value'): never => {
    throw new ProfileSpecError(locate(at, part), problem);
  };
  const map = asMap(value, path, fail, 'a load profile');
  const kind = map.kind;
  if (kind === undefined) {
    fail(path, `a load profile needs a "kind" (one of ${KINDS.join(', ')})`);
  }
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
    fail([...path, 'kind'], `unknown profile kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}`);
  }
  const fields = new Fields(map, path, fail);
  switch (kind as (typeof KINDS)[number]) {
    case 'steady': {
      fields.allowOnly(['kind', 'rps']);
      return { kind: 'steady', rps: fields.number('rps', { min: 0 }) };
    }
    case 'diurnal': {
      fields.allowOnly(['kind', 'base', 'amplitude', 'period', 'phase']);
      return {
        kind: 'diurnal',
        base: fields.number('base', { min: 0 }),
        amplitude: fields.number('amplitude', { min: 0, below: 1 }),
        periodSeconds: fields.duration('period', { above: 0 }),
        phaseSeconds: fields.duration('phase', { defaultValue: 0 }),
      };
    }
    case 'spikes': {
      fields.allowOnly(['kind', 'base', 'spikes']);
      const base = fields.number('base', { min: 0 });
      const list = fields.list('spikes');
      const spikes = list.map((item, i) => spike(item, [...path, 'spikes', i], fail));
      checkOverlaps(spikes, [...path, 'spikes'], fail);
      return { kind: 'spikes', base, spikes };
    }
    case 'product': {
      fields.allowOnly(['kind', 'factors']);
      const list = fields.list('factors');
      if (list.length === 0) {
        fail([...path, 'factors'], 'a product needs at least one factor');
      }
      return {
        kind: 'product',
        factors: list.map((item, i) => validateProfileSpec(item, locate, [...path, 'factors', i])),
      };
    }
  }
}

type Fail = (at: SpecPath, problem: string, part?: 'key' | 'value') => never;

function spike(value: unknown, path: SpecPath, fail: Fail): SpikeSpec {
  const fields = new Fields(asMap(value, path, fail, 'a spike'), path, fail);
  fields.allowOnly(['start', 'duration', 'multiplier'], 'spike');
  return {
    startSeconds: fields.duration('start', { min: 0 }),
    durationSeconds: fields.duration('duration', { above: 0 }),
    multiplier: fields.number('multiplier', { min: 0 }),
  };
}

function checkOverlaps(spikes: SpikeSpec[], path: SpecPath, fail: Fail): void {
  const order = spikes.map((s, i) => ({ s, i })).sort((a, b) => a.s.startSeconds - b.s.startSeconds);
  for (let k = 1; k < order.length; k++) {
    const prev = order[k - 1]!;
    const cur = order[k]!;
    if (prev.s.startSeconds + prev.s.durationSeconds > cur.s.startSeconds) {
      fail(
        [...path, cur.i],
        `spike ${cur.i + 1} (from ${cur.s.startSeconds}s) overlaps spike ${prev.i + 1} ` +
          `(${prev.s.startSeconds}s to ${prev.s.startSeconds + prev.s.durationSeconds}s); spikes must not overlap`
      );
    }
  }
}

function asMap(value: unknown, path: SpecPath, fail: Fail, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(path, `${what} must be a mapping, got ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

interface Bounds {
  min?: number;
  above?: number;
  below?: number;
  defaultValue?: number;
}

/** Typed access to the fields of one mapping, failing at the offending field. */
class Fields {
  constructor(
    private readonly map: Record<string, unknown>,
    private readonly path: SpecPath,
    private readonly fail: Fail
  ) {}

  allowOnly(keys: string[], what?: string): void {
    for (const key of Object.keys(this.map)) {
      if (!keys.includes(key)) {
        const within = what ?? (typeof this.map.kind === 'string' ? `${this.map.kind} profile` : 'profile');
        const allowed = keys.filter((k) => k !== 'kind').join(', ');
        this.fail([...this.path, key], `unknown key "${key}" in ${within}; allowed: ${allowed}`, 'key');
      }
    }
  }

  number(key: string, bounds: Bounds): number {
    return this.read(key, bounds, 'a number', toNumber);
  }

  /** Seconds, from a number or a string with a unit (s, m, h, ms). */
  duration(key: string, bounds: Bounds): number {
    return this.read(key, bounds, 'a duration (seconds, or a number with s, m, h or ms)', parseDuration);
  }

  list(key: string): unknown[] {
    const value = this.map[key];
    if (value === undefined) {
      return this.fail(this.path, `missing "${key}"`);
    }
    if (!Array.isArray(value)) {
      return this.fail([...this.path, key], `"${key}" must be a list, got ${describe(value)}`);
    }
    return value;
  }

  private read(key: string, bounds: Bounds, what: string, parse: (v: unknown) => number | undefined): number {
    const raw = this.map[key];
    if (raw === undefined || raw === null) {
      if (bounds.defaultValue !== undefined) {
        return bounds.defaultValue;
      }
      return this.fail(this.path, `missing "${key}" (${what})`);
    }
    const at = [...this.path, key];
    const value = parse(raw);
    if (value === undefined) {
      return this.fail(at, `"${key}" must be ${what}, got ${describe(raw)}`);
    }
    if (bounds.min !== undefined && !(value >= bounds.min)) {
      this.fail(at, `"${key}" must be >= ${bounds.min}, got ${value}`);
    }
    if (bounds.above !== undefined && !(value > bounds.above)) {
      this.fail(at, `"${key}" must be > ${bounds.above}, got ${value}`);
    }
    if (bounds.below !== undefined && !(value < bounds.below)) {
      const range = bounds.min !== undefined ? `in [${bounds.min}, ${bounds.below})` : `< ${bounds.below}`;
      this.fail(at, `"${key}" must be ${range}, got ${value}`);
    }
    return value;
  }
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && NUMBER.test(value.trim())) {
    return Number(value);
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  return JSON.stringify(value);
}
