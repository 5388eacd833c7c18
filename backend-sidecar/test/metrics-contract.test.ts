import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Registry } from 'prom-client';

import { createSidecarMetrics } from '../src/metrics/createSidecarMetrics.js';
import { createDetectionMetrics } from '../src/publish/createDetectionMetrics.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/metrics.md', import.meta.url)), 'utf8');

/** Metric names in the first column of the tables of docs/metrics.md; `*` rows are prefixes. */
function documented(): { names: Map<string, string>; prefixes: string[] } {
  const names = new Map<string, string>();
  const prefixes: string[] = [];
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const first = cells[1] ?? '';
    for (const [, name] of first.matchAll(/`(seismo_[a-z0-9_*]+)`/g)) {
      if (name!.endsWith('*')) {
        prefixes.push(name!.slice(0, -1));
      } else {
        names.set(name!, cells[2] ?? '');
      }
    }
  }
  return { names, prefixes };
}

/** Every metric the sidecar registers: the shell's and the detection loop's, on one registry. */
async function registered(): Promise<Map<string, string>> {
  const registry = new Registry();
  createSidecarMetrics({ registry, build: { version: 't', revision: 't' } });
  createDetectionMetrics(registry);
  return new Map((await registry.getMetricsAsJSON()).map((m) => [m.name, String(m.type)]));
}

describe('docs/metrics.md is the contract of the registry', () => {
  it('every registered metric is documented, with its type', async () => {
    const { names, prefixes } = documented();
    const missing: string[] = [];
    for (const [name, type] of await registered()) {
      if (prefixes.some((p) => name.startsWith(p))) {
        continue;
      }
      const documentedType = names.get(name);
      if (documentedType === undefined) {
        missing.push(name);
      } else if (documentedType !== '') {
        assert.equal(documentedType, type, `${name}: documented type`);
      }
    }
    assert.deepEqual(missing, [], 'registered but not in docs/metrics.md');
  });

  it('every documented metric is registered', async () => {
    const have = await registered();
    const { names, prefixes } = documented();
    const absent = [...names.keys()].filter((name) => !have.has(name));
    assert.deepEqual(absent, [], 'in docs/metrics.md but not registered');
    for (const prefix of prefixes) {
      assert.ok(
        [...have.keys()].some((n) => n.startsWith(prefix)),
        `something registered under ${prefix}*`
      );
    }
  });
});
