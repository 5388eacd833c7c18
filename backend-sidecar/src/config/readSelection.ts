import type { ConfigReader } from './ConfigReader.js';
import type { SelectionConfig, SelectionRule, StringMatcher } from './types.js';

/** Checks one matcher value: a string (exact) or {regex: "..."}; returns it or a problem. */
function toMatcher(value: unknown): StringMatcher | string {
  if (typeof value === 'string') {
    return value === '' ? 'must be a non-empty string or {regex: "..."}' : { exact: value };
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const regex = (value as Record<string, unknown>).regex;
    if (keys.length !== 1 || typeof regex !== 'string' || regex === '') {
      return 'must be a string (exact match) or a mapping with the single key regex';
    }
    try {
      new RegExp(`^(?:${regex})$`, 'u');
    } catch (error) {
      return `regex ${JSON.stringify(regex)} does not compile: ${(error as Error).message}`;
    }
    return { regex };
  }
  return 'must be a string (exact match) or {regex: "..."}';
}

function readMatcher(r: ConfigReader, key: string): StringMatcher | null {
  const f = r.field(key);
  if (!f.present) {
    return null;
  }
  const m = toMatcher(f.value);
  if (typeof m === 'string') {
    r.report(key, m, f.node);
    return null;
  }
  return m;
}

function readRule(r: ConfigReader): SelectionRule {
  const namespace = readMatcher(r, 'namespace');
  const service = readMatcher(r, 'service');
  const labels: Record<string, StringMatcher> = {};
  for (const entry of r.entries('labels')) {
    const m = toMatcher(entry.value);
    if (typeof m === 'string') {
      r.reportAt(`${r.childPath('labels')}.${entry.key}`, m, entry.node);
    } else {
      labels[entry.key] = m;
    }
  }
  if (namespace === null && service === null && Object.keys(labels).length === 0) {
    r.report(null, 'a rule needs at least one of namespace, service, labels');
  }
  r.finish();
  return { namespace, service, labels };
}

export function readSelection(r: ConfigReader): SelectionConfig {
  const include = r.listOfSections('include').map(readRule);
  const exclude = r.listOfSections('exclude').map(readRule);
  const expireAfterSeconds = r.int('expireAfterSeconds', 86_400, { min: 60, unit: 'seconds' });
  r.finish();
  return { include, exclude, expireAfterSeconds };
}
