import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { RouteOptions } from 'fastify';
import { parse } from 'yaml';

import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues } from './support/meshFixture.js';

const spec = parse(readFileSync(fileURLToPath(new URL('../openapi.yaml', import.meta.url)), 'utf8')) as {
  paths: Record<string, Record<string, unknown>>;
};
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

describe('HTTP API v1 matches openapi.yaml', () => {
  const clock = new ManualClock(1_700_000_001_000);
  const t = buildTestService({ prometheus: new FakePrometheus(meshEntities(), meshValues({ current: null })), clock });
  after(() => t.service.stop());

  it('serves every route the spec lists under /api/v1, and no other', async () => {
    const app = buildTestApp(t, clock);
    const served = new Set<string>();
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const m of methods) {
        if (m !== 'HEAD' && route.url.startsWith('/api/v1')) {
          served.add(`${m} ${route.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
        }
      }
    });
    await app.ready();
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of Object.keys(item).filter((k) => METHODS.includes(k))) {
        if (path.startsWith('/api/v1')) {
          documented.add(`${method.toUpperCase()} ${path}`);
        }
      }
    }
    assert.deepEqual([...served].sort(), [...documented].sort());
    for (const route of ['/healthz', '/readyz', '/metrics']) {
      assert.ok(spec.paths[route] !== undefined, `${route} is documented`);
      assert.ok(app.hasRoute({ method: 'GET', url: route }), `${route} is served`);
    }
    await app.close();
  });
});
