import { type DataFrame, type Field } from '@grafana/data';

/** Typed, forgiving access to one frame's fields by name (frames come from any datasource). */
export interface FrameReader {
  readonly length: number;
  has(name: string): boolean;
  field(name: string): Field | undefined;
  /** A finite number, or null (missing field, null, NaN, non-numeric). */
  number(name: string, row: number): number | null;
  /** A string; '' when missing. */
  string(name: string, row: number): string;
  /** true/false, or null when missing or not a boolean. */
  boolean(name: string, row: number): boolean | null;
  /** Epoch ms, or null; accepts numbers, ISO strings and Date objects. */
  time(name: string, row: number): number | null;
  /** A JSON object value (parsed when the field holds JSON text), or null. */
  object(name: string, row: number): Record<string, unknown> | null;
}

export function createFrameReader(frame: DataFrame): FrameReader {
  const byName = new Map<string, Field>();
  for (const field of frame.fields) {
    if (!byName.has(field.name)) {
      byName.set(field.name, field);
    }
  }
  const raw = (name: string, row: number): unknown => byName.get(name)?.values[row];
  const length = frame.length ?? frame.fields[0]?.values.length ?? 0;
  return {
    length,
    has: (name) => byName.has(name),
    field: (name) => byName.get(name),
    number(name, row) {
      const value = raw(name, row);
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? n : null;
    },
    string(name, row) {
      const value = raw(name, row);
      return value === null || value === undefined ? '' : String(value);
    },
    boolean(name, row) {
      const value = raw(name, row);
      if (typeof value === 'boolean') {
        return value;
      }
      if (value === 'true' || value === 1) {
        return true;
      }
      if (value === 'false' || value === 0) {
        return false;
      }
      return null;
    },
    time(name, row) {
      const value = raw(name, row);
      if (typeof value === 'number' && Number.isFinite(value)) {
        return value;
      }
      if (value instanceof Date) {
        return value.getTime();
      }
      if (typeof value === 'string' && value !== '') {
        const parsed = Date.parse(value);
        return Number.isFinite(parsed) ? parsed : null;
      }
      return null;
    },
    object(name, row) {
      let value = raw(name, row);
      if (typeof value === 'string' && value.startsWith('{')) {
        try {
          value = JSON.parse(value);
        } catch {
          return null;
        }
      }
      return value !== null && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : null;
    },
  };
}
