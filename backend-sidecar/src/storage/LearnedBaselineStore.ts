import { join } from 'node:path';

import type { LearnedSignalBaseline } from '../detection/BaselineSamples.js';
import { requireSignal } from '../signals/index.js';
import { atomicWriteFile } from './atomicWriteFile.js';
import { readJsonFile } from './readJsonFile.js';

export const LEARNED_BASELINES_FILE = 'learned-baselines.json';

/** What the values were read with: baselines learned under other settings describe other numbers. */
export interface BaselineBasis {
  /** The rate window of the telemetry templates. */
  readonly rateWindowSeconds: number;
  /** The telemetry sources (presets), in preference order. */
  readonly sources: readonly string[];
}

export interface LearnedBaselineState {
  readonly basis: BaselineBasis;
  /** Unix seconds when the last learning run finished; null before the first. */
  readonly learnedAt: number | null;
  /** History the last run covered, in seconds. */
  readonly coveredSeconds: number;
  readonly services: ReadonlyMap<string, Readonly<Record<string, LearnedSignalBaseline>>>;
}

const SOURCES: ReadonlySet<string> = new Set(['mad', 'iqr', 'std', 'relative', 'absolute', 'structural']);

function fail(file: string, field: string, message: string): never {
  throw new Error(`${file}: ${field} ${message}`);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function parseSignal(file: string, field: string, value: unknown): LearnedSignalBaseline {
  const v = value as Partial<LearnedSignalBaseline> | null;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    fail(file, field, 'must be an object {center, scale, count, source, learnedAt}');
  }
  if (!finite(v.center)) {
    fail(file, `${field}.center`, `must be a finite number (got ${String(v.center)})`);
  }
  if (!finite(v.scale) || v.scale <= 0) {
    fail(file, `${field}.scale`, `must be a finite number > 0 (got ${String(v.scale)})`);
  }
  if (!Number.isInteger(v.count) || (v.count as number) < 1) {
    fail(file, `${field}.count`, `must be a whole number >= 1 (got ${String(v.count)})`);
  }
  if (typeof v.source !== 'string' || !SOURCES.has(v.source)) {
    fail(file, `${field}.source`, `must be one of ${[...SOURCES].join(', ')} (got ${String(v.source)})`);
  }
  if (!finite(v.learnedAt)) {
    fail(file, `${field}.learnedAt`, `must be unix seconds (got ${String(v.learnedAt)})`);
  }
  return { center: v.center, scale: v.scale, count: v.count as number, source: v.source, learnedAt: v.learnedAt };
}

/**
 * The baselines the sidecar learned for each service, kept in the state directory so a restart
 * does not start from nothing. Replaced atomically after every learning run; a file that does not
 * parse or holds an impossible value (a scale of 0, a signal the catalogue does not know) is
 * refused as a whole with the field that is wrong, never half used.
 */
export class LearnedBaselineStore {
  readonly file: string;
  #state: LearnedBaselineState | null = null;

  constructor(stateDir: string) {
    this.file = join(stateDir, LEARNED_BASELINES_FILE);
  }

  /** What the last load found; null when there was no file. */
  get loaded(): LearnedBaselineState | null {
    return this.#state;
  }

  async load(): Promise<void> {
    const json = (await readJsonFile(this.file)) as Record<string, unknown> | null;
    if (json === null) {
      this.#state = null;
      return;
    }
    this.#state = LearnedBaselineStore.parse(json, this.file);
  }

  async save(state: LearnedBaselineState, savedAt: number): Promise<void> {
    const services: Record<string, Readonly<Record<string, LearnedSignalBaseline>>> = {};
    for (const [service, signals] of [...state.services].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      services[service] = signals;
    }
    await atomicWriteFile(
      this.file,
      JSON.stringify({
        version: 1,
        savedAt,
        basis: state.basis,
        learnedAt: state.learnedAt,
        coveredSeconds: state.coveredSeconds,
        services,
      })
    );
  }

  static parse(json: unknown, file: string): LearnedBaselineState {
    const j = json as Record<string, unknown> | null;
    if (j === null || typeof j !== 'object' || Array.isArray(j)) {
      fail(file, 'the file', 'must hold an object {version, basis, learnedAt, coveredSeconds, services}');
    }
    if (j.version !== 1) {
      fail(file, 'version', `must be 1 (got ${String(j.version)})`);
    }
    const basis = j.basis as Partial<BaselineBasis> | null;
    if (
      basis === null ||
      typeof basis !== 'object' ||
      !finite(basis.rateWindowSeconds) ||
      !Array.isArray(basis.sources) ||
      !basis.sources.every((s) => typeof s === 'string')
    ) {
      fail(file, 'basis', 'must be {rateWindowSeconds: number, sources: [names]}');
    }
    if (j.learnedAt !== null && !finite(j.learnedAt)) {
      fail(file, 'learnedAt', `must be unix seconds or null (got ${String(j.learnedAt)})`);
    }
    if (!finite(j.coveredSeconds) || j.coveredSeconds < 0) {
      fail(file, 'coveredSeconds', `must be a number >= 0 (got ${String(j.coveredSeconds)})`);
    }
    const raw = j.services;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      fail(file, 'services', 'must be an object {service: {signal: {...}}}');
    }
    const services = new Map<string, Record<string, LearnedSignalBaseline>>();
    for (const [service, signals] of Object.entries(raw as Record<string, unknown>)) {
      if (signals === null || typeof signals !== 'object' || Array.isArray(signals)) {
        fail(file, `services.${service}`, 'must be an object {signal: {...}}');
      }
      const out: Record<string, LearnedSignalBaseline> = {};
      for (const [signal, value] of Object.entries(signals as Record<string, unknown>)) {
        const field = `services.${service}.${signal}`;
        try {
          requireSignal('service', signal, field);
        } catch (error) {
          fail(file, field, `is not a canonical service signal (${(error as Error).message})`);
        }
        out[signal] = parseSignal(file, field, value);
      }
      services.set(service, out);
    }
    return {
      basis: { rateWindowSeconds: basis.rateWindowSeconds as number, sources: [...(basis.sources as string[])] },
      learnedAt: j.learnedAt as number | null,
      coveredSeconds: j.coveredSeconds,
      services,
    };
  }
}
