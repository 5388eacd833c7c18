import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import { buildTestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues, type MeshFault } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const T0 = 1_700_000_000;

describe('detection loop over canned telemetry', () => {
  const stops: Array<() => Promise<void>> = [];
  after(async () => {
    for (const stop of stops) {
      await stop();
    }
  });

  it('scores services and edges, publishes the series and opens an incident for a latency fault', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const fault: { current: MeshFault | null } = { current: null };
    const prom = new FakePrometheus(meshEntities(), meshValues(fault));
    const t = buildTestService({ prometheus: prom, clock });
    stops.push(() => t.service.stop());
    await t.service.start();
    await t.service.ready;
    assert.equal(t.service.counters().warmup.state, 'done');

    const first = await runCycles(t, clock, 3);
    const c = first[2]!;
    assert.deepEqual([...c.services.keys()].sort(), ['a', 'b', 'c']);
    for (const s of c.services.values()) {
      assert.equal(s.detector, 'univariate', `${s.service} falls back: the shipped model has 60-s steps`);
      assert.equal(s.state, 'fallback', `${s.service}: ${s.reasons.join('; ')}`);
      assert.equal(s.verdict, 'normal');
      assert.equal(s.namespace, 'shop');
    }
    assert.equal(c.services.get('c')?.team, 'payments');
    assert.deepEqual([...c.edges.keys()].sort(), ['a->b', 'b->c', 'loadgen->a']);
    for (const e of c.edges.values()) {
      assert.equal(e.state, 'ok', `${e.id}: ${e.reasons.join('; ')}`);
    }
    assert.equal(c.queries, 7, 'six signal queries and one identity query, whatever the mesh size');

    const text = await t.sidecarMetrics.registry.metrics();
    assert.match(text, /^seismo_service_detector_state\{service="a",detector="univariate",state="fallback"\} 1$/m);
    assert.match(text, /^seismo_service_info\{service="c",namespace="shop",team="payments"\} 1$/m);
    assert.match(text, /^seismo_edge_anomaly_score\{client="b",server="c"\} [0-9.e-]+$/m);
    assert.match(text, /^seismo_prometheus_queries_per_cycle 7$/m);
    assert.match(text, /^seismo_incident_temperature 0$/m);

    const faultStart = c.end + 5;
    fault.current = { from: faultStart, to: faultStart + 3600, factor: 5 };
    let opened = null;
    for (let i = 0; i < 20 && opened === null; i++) {
      const [r] = await runCycles(t, clock, 1);
      if (r!.incident !== null) {
        opened = r!;
      }
    }
    assert.ok(opened !== null, 'an incident opened');
    assert.equal(opened.edges.get('b->c')?.verdict, 'anomalous');
    assert.equal(opened.services.get('c')?.verdict, 'anomalous');
    assert.equal(opened.services.get('a')?.verdict, 'normal');
    assert.ok(opened.ranking !== null, 'a root-cause ranking is kept with the incident');
    assert.equal(opened.ranking.candidates[0]?.service, 'c');
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.match(
      metrics,
      new RegExp(`^seismo_incident_open\\{incident_id="${opened.incident!.id}",severity="SEV1"\\} 1$`, 'm')
    );
    assert.match(
      metrics,
      new RegExp(`^seismo_rootcause_rank\\{incident_id="${opened.incident!.id}",service="c"\\} 1$`, 'm')
    );
  });
});
