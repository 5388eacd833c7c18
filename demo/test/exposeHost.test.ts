import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startMesh } from '../src/mesh/startMesh.js';
import { shopTopology } from './helpers/shopTopology.js';

test('metrics and control servers can be exposed beyond loopback while services stay on it', async (t) => {
  const mesh = await startMesh({ topology: shopTopology(), exposeHost: '0.0.0.0' });
  t.after(() => mesh.stop());
  // A wildcard bind is advertised with a loopback address that works from this host.
  assert.match(mesh.metricsUrl, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  assert.equal((await fetch(mesh.metricsUrl)).status, 200);
  assert.equal((await fetch(`${mesh.controlUrl}/healthz`)).status, 200);
  for (const { url } of mesh.services.values()) {
    assert.match(url, /^http:\/\/127\.0\.0\.1:/);
  }
});
