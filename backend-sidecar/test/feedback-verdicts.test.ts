import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues, type MeshFault } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const T0 = 1_700_000_000;

describe('false-positive feedback on an open incident', () => {
  const clock = new ManualClock((T0 + 1) * 1000);
  const fault: { current: MeshFault | null } = { current: null };
  const t = buildTestService({ prometheus: new FakePrometheus(meshEntities(), meshValues(fault)), clock });
  const app = buildTestApp(t, clock);
  after(async () => {
    await app.close();
    await t.service.stop();
  });

  it('takes the marked entity out of the affected set with an explanation, once', async () => {
    await app.ready();
    await t.service.start();
    await t.service.ready;
    const quiet = await runCycles(t, clock, 3);
    fault.current = { from: quiet[2]!.end + 5, to: quiet[2]!.end + 3600, factor: 5 };
    let id = '';
    for (let i = 0; i < 20 && !(t.service.engineState().incident?.affectedEntities.includes('c') ?? false); i++) {
      const [r] = await runCycles(t, clock, 1);
      id = r!.incident?.id ?? id;
    }
    const before = t.service.engineState();
    assert.ok(before.incident?.affectedEntities.includes('c'), JSON.stringify(before.incident));
    assert.ok((before.entities.c?.value ?? 0) >= 3);

    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      payload: {
        kind: 'false_positive',
        scope: 'service',
        entity: 'c',
        from: fault.current.from,
        to: clock.now() / 1000,
        incidentId: id,
        author: 'oncall',
      },
    });
    assert.equal(posted.statusCode, 201, posted.body);
    const [next] = await runCycles(t, clock, 1);
    const state = t.service.engineState();
    assert.equal(state.incident?.affectedEntities.includes('c'), false);
    // Reset to 0 before the interval's evaluation, which then counted this interval's anomaly.
    assert.ok((state.entities.c?.value ?? 0) <= 1, JSON.stringify(state.entities.c));
    assert.ok(next!.services.get('c')!.accumulator <= 1);
    const record = t.service.history.get(id)!;
    assert.equal(record.affectedEntities.includes('c'), false);
    assert.deepEqual(
      record.falsePositives?.map((f) => [f.entity, f.feedbackId]),
      [['c', posted.json().id]]
    );
    assert.match(record.rule, /c left the affected entities of inc-\d+: marked a false positive by oncall/);
    const detail = (await app.inject(`/api/v1/incidents/${id}`)).json();
    assert.equal(detail.affectedEntities.includes('c'), false);

    // The fault goes on: c earns its place again, and the same feedback does not remove it twice.
    for (let i = 0; i < 6; i++) {
      await runCycles(t, clock, 1);
    }
    assert.equal(t.service.engineState().incident?.affectedEntities.includes('c'), true);
    assert.equal(t.service.history.get(id)!.falsePositives?.length, 1);
  });
});
