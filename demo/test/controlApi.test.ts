import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readGroundTruth } from '../src/faults/readGroundTruth.js';
import { startMesh } from '../src/mesh/startMesh.js';
import { shopTopology } from './helpers/shopTopology.js';

interface Reply {
  status: number;
  body: { error?: string; faults?: Array<{ id: string; state: string }>; state?: string; status?: string };
}

async function call(base: string, method: string, path: string, body?: string): Promise<Reply> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body !== undefined ? { body, headers: { 'content-type': 'application/json' } } : {}),
  });
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

test('control API: inject, list, delete faults; 4xx with clear messages for bad input; ground truth written', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'seismo-control-'));
  const groundTruthPath = join(dir, 'gt.jsonl');
  const mesh = await startMesh({ topology: shopTopology(), seed: 1, groundTruthPath, callTimeoutMs: 500 });
  t.after(async () => {
    await mesh.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const api = mesh.controlUrl;
  assert.match(api, /^http:\/\/127\.0\.0\.1:\d+$/);

  assert.deepEqual(await call(api, 'GET', '/healthz'), { status: 200, body: { status: 'ok' } });
  assert.deepEqual((await call(api, 'GET', '/faults')).body, { faults: [] });

  const created = await call(
    api,
    'POST',
    '/faults',
    JSON.stringify({ id: 'slow-catalog', type: 'slow', service: 'catalog', delayMs: 120 })
  );
  assert.equal(created.status, 201);
  assert.equal(created.body.faults![0]!.state, 'active');
  const slowed = await mesh.send({ service: 'frontend', endpoint: 'home' });
  assert.ok(slowed.durationMs >= 120, 'the injected fault is in effect');

  const planned = await call(
    api,
    'POST',
    '/faults',
    JSON.stringify({ faults: [{ id: 'later', type: 'dead', service: 'db', startSeconds: 3600 }] })
  );
  assert.equal(planned.status, 201);
  assert.equal(planned.body.faults![0]!.state, 'scheduled');

  const listed = await call(api, 'GET', '/faults');
  assert.deepEqual(
    listed.body.faults!.map((f) => [f.id, f.state]),
    [
      ['slow-catalog', 'active'],
      ['later', 'scheduled'],
    ]
  );
  assert.equal((await call(api, 'GET', '/faults/slow-catalog')).body.state, 'active');

  // Mid-run, the ground truth already holds the active fault with no end.
  const mid = readGroundTruth(groundTruthPath);
  assert.equal(mid.length, 1);
  assert.equal(mid[0]!.id, 'slow-catalog');
  assert.equal(mid[0]!.end, null);
  assert.equal(mid[0]!.target, 'catalog');
  assert.equal(mid[0]!.delayMs, 120);

  // Bad input.
  const duplicate = await call(
    api,
    'POST',
    '/faults',
    JSON.stringify({ id: 'slow-catalog', type: 'slow', service: 'cart', delayMs: 1 })
  );
  assert.equal(duplicate.status, 409);
  assert.match(duplicate.body.error!, /fault id "slow-catalog" is already in use/);
  const unknown = await call(api, 'POST', '/faults', '{"id":"x","type":"slow","service":"catlog","delayMs":1}');
  assert.equal(unknown.status, 400);
  assert.match(
    unknown.body.error!,
    /^request body:1:\d+: fault "x": unknown service "catlog" \(did you mean "catalog"\?/
  );
  const notJson = await call(api, 'POST', '/faults', '{"id": "x", ');
  assert.equal(notJson.status, 400);
  assert.match(notJson.body.error!, /invalid YAML/);
  const badRange = await call(
    api,
    'POST',
    '/faults',
    '{"id":"x","type":"abort","edge":{"client":"frontend","server":"catalog"},"httpStatus":200}'
  );
  assert.equal(badRange.status, 400);
  assert.match(badRange.body.error!, /httpStatus must be in \[400, 599\], got 200/);
  const tooBig = await call(api, 'POST', '/faults', 'x'.repeat(70 * 1024));
  assert.equal(tooBig.status, 413);
  assert.equal((await call(api, 'DELETE', '/faults/nope')).status, 404);
  assert.equal((await call(api, 'PUT', '/faults')).status, 405);
  assert.equal((await call(api, 'GET', '/nothing')).status, 404);

  // Delete ends the active fault (logged) and cancels the planned one (never logged).
  assert.equal((await call(api, 'DELETE', '/faults/slow-catalog')).body.state, 'ended');
  assert.equal((await call(api, 'DELETE', '/faults/later')).body.state, 'cancelled');
  const quick = await mesh.send({ service: 'frontend', endpoint: 'home' });
  assert.ok(quick.durationMs < 120, `after DELETE the fault is gone (${quick.durationMs} ms)`);
  const final = readGroundTruth(groundTruthPath);
  assert.deepEqual(
    final.map((r) => r.id),
    ['slow-catalog']
  );
  assert.ok(final[0]!.end !== null && Date.parse(final[0]!.end) >= Date.parse(final[0]!.start));
});
