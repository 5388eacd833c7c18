import { ProfileSpecError } from './ProfileSpecError.js';
import type { LoadProfileSpec } from './types.js';
import { validateProfileSpec, type SpecPath } from './validateProfileSpec.js';

/** Keys each kind takes on the command line (spikes are written one `spike=` at a time). */
const CLI_KEYS: Record<string, string[]> = {
  steady: ['rps'],
  diurnal: ['base', 'amplitude', 'period', 'phase'],
  spikes: ['base', 'spike'],
};

const SPIKE = /^([^+]+)\+([^x]+)x(.+)$/;

/**
 * Parses a compact profile, as given to a `--load` flag:
 *
 *   steady:rps=20
 *   diurnal:base=20,amplitude=0.5,period=10m,phase=0
 *   spikes:base=10,spike=120+90x3,spike=600+330x10      (START+DURATIONxMULTIPLIER)
 *   diurnal:base=20,amplitude=0.5,period=600*spikes:base=1,spike=120+90x3   (a product)
 *
 * Durations are seconds or carry a unit (s, m, h, ms). Errors give the column in the string.
 */
export function parseProfileString(text: string): LoadProfileSpec {
  const valueAt = new Map<string, number>();
  const keyAt = new Map<string, number>();
  const fail = (column: number, problem: string): never => {
    throw new ProfileSpecError(where(text, column), problem);
  };
  if (text.trim() === '') {
    fail(0, 'empty load profile; expected e.g. steady:rps=20');
  }

  const parts = split(text, '*', 0);
  const factors = parts.map(({ part, offset }, i) => {
    // A single factor is the profile itself; several become the factors of a product.
    const path: PathOf = (...rest) => (parts.length > 1 ? ['factors', i, ...rest] : rest);
    return parseFactor(part, offset, path, valueAt, keyAt, fail);
  });
  const value: unknown = factors.length > 1 ? { kind: 'product', factors } : factors[0];

  return validateProfileSpec(value, (path, part = 'value') => {
    const table = part === 'key' ? keyAt : valueAt;
    for (let n = path.length; n >= 0; n--) {
      const offset = table.get(key(path.slice(0, n))) ?? valueAt.get(key(path.slice(0, n)));
      if (offset !== undefined) {
        return where(text, offset);
      }
    }
    return where(text, 0);
  });
}

type PathOf = (...rest: Array<string | number>) => SpecPath;

/** Parses one `kind:key=value,...` factor, recording where each of its values starts. */
function parseFactor(
  part: string,
  offset: number,
  path: PathOf,
  valueAt: Map<string, number>,
  keyAt: Map<string, number>,
  fail: (column: number, problem: string) => never
): Record<string, unknown> {
  const colon = part.indexOf(':');
  const kindText = colon < 0 ? part : part.slice(0, colon);
  const kind = kindText.trim();
  const kindOffset = offset + leading(kindText);
  if (kind === 'product') {
    fail(
      kindOffset,
      'write a product as FACTOR*FACTOR, e.g. diurnal:base=20,amplitude=0.5,period=600*spikes:base=1,spike=60+90x3'
    );
  }
  const allowed = CLI_KEYS[kind];
  if (!allowed) {
    fail(
      kindOffset,
      `unknown profile kind ${JSON.stringify(kind)}; expected one of steady, diurnal, spikes (and * for a product)`
    );
  }
  const fields: Record<string, unknown> = { kind };
  const spikes: Array<Record<string, string>> = [];
  const positions: Array<[SpecPath, number, 'key' | 'value']> = [
    [[], kindOffset, 'value'],
    [['kind'], kindOffset, 'value'],
  ];

  if (colon >= 0) {
    for (const { part: param, offset: at } of split(part.slice(colon + 1), ',', offset + colon + 1)) {
      const eq = param.indexOf('=');
      const name = (eq < 0 ? param : param.slice(0, eq)).trim();
      const nameAt = at + leading(param);
      if (eq < 0) {
        fail(nameAt, `expected key=value, got ${JSON.stringify(param.trim())}`);
      }
      if (!allowed!.includes(name)) {
        fail(nameAt, `unknown key "${name}" for ${kind}; allowed: ${allowed!.join(', ')}`);
      }
      const rawValue = param.slice(eq + 1);
      const value = rawValue.trim();
      const valueOffset = at + eq + 1 + leading(rawValue);
      if (name === 'spike') {
        const m = SPIKE.exec(value);
        if (!m) {
          fail(
            valueOffset,
            `a spike must look like START+DURATIONxMULTIPLIER, e.g. 120+90x3, got ${JSON.stringify(value)}`
          );
        }
        const j = spikes.length;
        spikes.push({ start: m![1]!.trim(), duration: m![2]!.trim(), multiplier: m![3]!.trim() });
        positions.push([['spikes', j], valueOffset, 'value']);
        positions.push([['spikes', j, 'start'], valueOffset, 'value']);
        positions.push([['spikes', j, 'duration'], valueOffset + m![1]!.length + 1, 'value']);
        positions.push([['spikes', j, 'multiplier'], valueOffset + m![1]!.length + m![2]!.length + 2, 'value']);
        continue;
      }
      if (name in fields) {
        fail(nameAt, `"${name}" is given twice`);
      }
      fields[name] = value;
      positions.push([[name], valueOffset, 'value'], [[name], nameAt, 'key']);
    }
  }
  if (kind === 'spikes') {
    fields.spikes = spikes;
  }
  for (const [rel, at, part] of positions) {
    (part === 'key' ? keyAt : valueAt).set(key(path(...rel)), at);
  }
  return fields;
}

/** Splits on a separator, keeping each part's offset in the whole string. */
function split(text: string, separator: string, base: number): Array<{ part: string; offset: number }> {
  const parts: Array<{ part: string; offset: number }> = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    if (i === text.length || text[i] === separator) {
      parts.push({ part: text.slice(start, i), offset: base + start });
      start = i + 1;
    }
  }
  return parts;
}

function leading(s: string): number {
  return s.length - s.trimStart().length;
}

function key(path: SpecPath): string {
  return JSON.stringify(path);
}

function where(text: string, offset: number): string {
  return `load profile ${JSON.stringify(text)} at column ${offset + 1}`;
}
