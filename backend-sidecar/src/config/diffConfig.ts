import { Secret } from './Secret.js';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Secret);
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (a instanceof Secret || b instanceof Secret) {
    const same = a instanceof Secret && b instanceof Secret ? a.sameAs(b) : a === b;
    if (!same) {
      out.push(path);
    }
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      walk(a[key], b[key], path === '' ? key : `${path}.${key}`, out);
    }
    return;
  }
  // Lists and scalars compare as a whole: a reordered preset list is a change.
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    out.push(path);
  }
}

/** Key paths whose values differ between two configs (secrets compared by value, never shown). */
export function diffConfig(a: object, b: object): string[] {
  const out: string[] = [];
  walk(a, b, '', out);
  return out;
}
