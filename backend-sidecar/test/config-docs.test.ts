import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { diffConfig } from '../src/config/diffConfig.js';
import { ENV } from '../src/config/envNames.js';
import { parseConfig } from '../src/config/parseConfig.js';
import { RESTART_REQUIRED_KEYS } from '../src/config/restartRequiredChanges.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const exampleFile = join(root, 'config', 'example.yaml');
const example = readFileSync(exampleFile, 'utf8');
const docs = readFileSync(join(root, 'docs', 'configuration.md'), 'utf8');

function knownKeys(): string[] {
  const known = new Set<string>();
  parseConfig(example, { file: exampleFile, env: {}, knownKeys: known });
  return [...known];
}

/** Keys that hold a value rather than a section: no other key continues them. */
function leafKeys(): string[] {
  const all = knownKeys();
  return all.filter((k) => !all.some((other) => other.startsWith(`${k}.`) || other.startsWith(`${k}[]`)));
}

/** Rows of the reference tables: [key, default cell]. */
function referenceRows(): Array<[string, string]> {
  const start = docs.indexOf('## Reference');
  const end = docs.indexOf('## Reloading');
  assert.ok(start >= 0 && end > start, 'the reference section exists');
  const rows: Array<[string, string]> = [];
  for (const line of docs.slice(start, end).split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim());
    const key = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (key !== undefined) {
      rows.push([key, cells[3] ?? '']);
    }
  }
  return rows;
}

function valueAt(config: object, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config);
}

function formatDefault(value: unknown): string | null {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') {
    return String(value);
  }
  if (Array.isArray(value)) {
    return `[${value.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object' && Object.keys(value).length === 0) {
    return '{}';
  }
  return null;
}

describe('configuration reference', () => {
  it('the example config is valid and differs from the defaults only in its selection rules', () => {
    const fromExample = parseConfig(example, { file: exampleFile, env: {} });
    const defaults = parseConfig('prometheus:\n  url: http://127.0.0.1:9090\n', { file: exampleFile, env: {} });
    assert.deepEqual(diffConfig(defaults, fromExample).sort(), ['selection.exclude', 'selection.include']);
  });

  it('documents every key the validator knows', () => {
    const documented = new Set(referenceRows().map(([key]) => key));
    const missing = leafKeys().filter((key) => !documented.has(key));
    assert.deepEqual(missing, [], 'keys missing from docs/configuration.md');
  });

  it('documents no key the validator does not know', () => {
    const known = new Set(knownKeys());
    const stale = referenceRows()
      .map(([key]) => key)
      .filter((key) => !known.has(key));
    assert.deepEqual(stale, [], 'documented keys the validator rejects');
  });

  it('the documented defaults are the real defaults', () => {
    const defaults = parseConfig('prometheus:\n  url: http://127.0.0.1:9090\n', { file: exampleFile, env: {} });
    let compared = 0;
    for (const [key, cell] of referenceRows()) {
      const literal = /^`([^`]*)`$/.exec(cell)?.[1];
      if (literal === undefined) {
        continue;
      }
      const expected = formatDefault(valueAt(defaults, key));
      assert.notEqual(expected, null, `${key}: documented default ${cell} but the value is not a literal`);
      assert.equal(literal, expected, `${key}: documented default`);
      compared += 1;
    }
    assert.ok(compared > 60, `only ${compared} defaults compared`);
  });

  it('the example mentions every key, set or commented out', () => {
    const missing = leafKeys()
      .map((key) => key.split(/\.|\[\]\./).pop() as string)
      .filter((name) => !new RegExp(`^\\s*(#\\s*)?(- )?${name}:`, 'm').test(example));
    assert.deepEqual(missing, []);
  });

  it('documents every environment variable and every restart-only key', () => {
    for (const name of Object.values(ENV)) {
      assert.ok(docs.includes(`\`${name}\``), `${name} is documented`);
    }
    const reloading = docs.slice(docs.indexOf('## Reloading'));
    for (const key of RESTART_REQUIRED_KEYS) {
      assert.ok(reloading.includes(`\`${key}\``), `${key} is listed as restart-only`);
    }
  });
});
