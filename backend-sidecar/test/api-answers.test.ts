import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { FastifyInstance } from 'fastify';

import type { DataFrame } from '../src/api/frames/dataFrame.js';
import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService, type TestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues, type MeshFault } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const T0 = 1_700_000_000;

function field(frame: DataFrame, name: string): unknown[] {
  const i = frame.schema.fields.findIndex((f) => f.name === name);
  assert.ok(i >= 0, `frame ${frame.schema.name} has field ${name}`);
  return frame.data.values[i] as unknown[];
}

describe('HTTP API v1 answers from the loop', () => {
  const clock = new ManualClock((T0 + 1) * 1000);
  const fault: { current: MeshFault | null } = { current: null };
  const prom = new FakePrometheus(meshEntities(), meshValues(fault));
  let t: TestService;
  let app: FastifyInstance;
  let incidentId = '';

  before(async () => {
    t = buildTestService({ prometheus: prom, clock });
    app = buildTestApp(t, clock);
    await app.ready();
    await t.service.start();
    await t.service.ready;
    const quiet = await runCycles(t, clock, 3);
    fault.current = { from: quiet[2]!.end + 5, to: quiet[2]!.end + 3600, factor: 5 };
    for (let i = 0; i < 20 && incidentId === ''; i++) {
      const [r] = await runCycles(t, clock, 1);
      incidentId = r!.incident?.id ?? '';
    }
    assert.notEqual(incidentId, '', 'an incident opened');
  });
  after(async () => {
    await app.close();
    await t.service.stop();
  });

  it('status: cycles, restore source, detector states', async () => {
    const res = await app.inject('/api/v1/status');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.ok(body.cycles >= 4);
    assert.equal(body.stateRestoredFrom, 'empty');
    assert.equal(body.lastCycle.prometheusUp, true);
    // Seven for the cycle (six signals, one identity) and six for the root-cause range while the incident is open.
    assert.equal(body.lastCycle.queries, 13);
    assert.equal(body.services.fallback, 3);
    assert.equal(body.incident.id, incidentId);
    assert.deepEqual(Object.keys(body.lastCycle.phases).sort(), [
      'detect',
      'fetch',
      'forecast',
      'incidents',
      'publish',
      'rootcause',
    ]);
  });

  it('services: most anomalous first; detail with signals and neighbours; unknown service is a 404 with suggestions', async () => {
    const list = (await app.inject('/api/v1/services')).json();
    assert.equal(list.services[0].service, 'c');
    assert.equal(list.services[0].verdict, 'anomalous');
    assert.equal((await app.inject('/api/v1/services?state=fallback')).json().services.length, 3);
    const c = (await app.inject('/api/v1/services/c')).json();
    assert.deepEqual(c.callers, ['b']);
    assert.deepEqual(c.callees, []);
    const p95 = c.signals.find((s: { signal: string }) => s.signal === 'latency_p95');
    assert.equal(p95.source, 'test');
    assert.ok(p95.value > 0.3, 'the fault shows in the value');
    assert.equal(p95.judgement.anomalous, true);
    const missing = await app.inject('/api/v1/services/cc');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().error.message, /"cc" is not a monitored service; did you mean "c"/);
  });

  it('edges: the faulty edge is anomalous with its contributions', async () => {
    const edges = (await app.inject('/api/v1/edges')).json().edges;
    const bc = edges.find((e: { id: string }) => e.id === 'b->c');
    assert.equal(bc.anomalous, true);
    assert.ok(bc.contributions.latency_p95 > 0.5, JSON.stringify(bc.contributions));
    assert.deepEqual(bc.sources, ['test']);
  });

  it('topology: node graph frames with Seismo fields, focus and replay', async () => {
    const { frames } = (await app.inject('/api/v1/topology')).json() as { frames: DataFrame[] };
    const [nodes, edges] = frames as [DataFrame, DataFrame];
    assert.equal(nodes.schema.name, 'nodes');
    assert.equal(nodes.schema.meta?.preferredVisualisationType, 'nodeGraph');
    const custom = nodes.schema.meta?.custom as { incidentId: string; rootCause: string[] };
    assert.equal(custom.incidentId, incidentId);
    assert.equal(custom.rootCause[0], 'c');
    const ids = field(nodes, 'id');
    assert.deepEqual([...ids].sort(), ['a', 'b', 'c', 'loadgen']);
    assert.equal(field(nodes, 'kind')[ids.indexOf('loadgen')], 'external');
    assert.equal(field(nodes, 'rank')[ids.indexOf('c')], 1);
    assert.equal(field(nodes, 'arc__unknown')[ids.indexOf('loadgen')], 1, 'no detector: drawn as unknown');
    assert.equal(typeof field(nodes, 'onset')[ids.indexOf('c')], 'number');
    assert.equal(field(edges, 'source').length, 3);
    const focused = (await app.inject('/api/v1/topology?service=a&hops=1')).json().frames[0] as DataFrame;
    assert.deepEqual([...field(focused, 'id')].sort(), ['a', 'b', 'loadgen']);
    const anomalous = (await app.inject('/api/v1/topology?anomalousOnly=true&hops=0')).json().frames[0] as DataFrame;
    assert.deepEqual([...field(anomalous, 'id')].sort(), ['b', 'c']);
    const past = await app.inject(`/api/v1/topology?at=${T0 + 15}`);
    assert.equal(past.statusCode, 200);
    const beforeFault = past.json().frames[0] as DataFrame;
    assert.equal(field(beforeFault, 'anomalous')[field(beforeFault, 'id').indexOf('c')], false);
    assert.equal((await app.inject(`/api/v1/topology?at=${T0 - 86_400}`)).statusCode, 404);
  });

  it('incidents, evaluations and root cause with evidence', async () => {
    const list = (await app.inject('/api/v1/incidents?state=open')).json();
    assert.equal(list.incidents.length, 1);
    assert.equal(list.incidents[0].rootCause, 'c');
    const detail = (await app.inject(`/api/v1/incidents/${incidentId}`)).json();
    assert.match(detail.rule, /^opened SEV1 incident/);
    assert.ok(detail.timeline.length >= 1);
    assert.ok(detail.timeline[0].accumulators['b->c'] > 0);
    assert.ok(detail.explanation.entities.length > 0);
    assert.equal(detail.rootCause.candidates[0].service, 'c');
    const frames = (await app.inject('/api/v1/incidents?format=frames')).json().frames as DataFrame[];
    assert.equal(frames[0]!.schema.name, 'incidents');
    assert.deepEqual(field(frames[0]!, 'root_cause'), ['c']);
    const rc = (await app.inject('/api/v1/rootcause?format=frames')).json();
    assert.equal(rc.incidentId, incidentId);
    assert.equal(rc.frames[0].schema.name, 'rootcause');
    const evaluations = (await app.inject('/api/v1/evaluations')).json().evaluations;
    assert.equal(evaluations[0].kind, 'opened');
    assert.equal((await app.inject('/api/v1/incidents/inc-1')).statusCode, 404);
  });

  it('models: the shipped model is listed with why it does not fit; its manifest and bytes are served', async () => {
    const models = (await app.inject('/api/v1/models')).json();
    const m = models.models[0];
    assert.equal(m.fitsConfig, false);
    assert.match(m.problems.join(' '), /step_seconds: model 15 s, data 5 s/);
    assert.deepEqual(models.perServiceModels, [], 'the shipped model directory holds no per-service model');
    assert.equal(models.baselines.services, 0, 'nothing learned: the model does not score these windows');
    const manifest = await app.inject(`/api/v1/models/${m.modelId}/manifest`);
    assert.equal(manifest.json().model_id, m.modelId);
    const onnx = await app.inject(`/api/v1/models/${m.modelId}/onnx`);
    assert.equal(onnx.statusCode, 200);
    assert.equal(onnx.headers['content-type'], 'application/octet-stream');
    assert.equal(onnx.rawPayload.length, manifest.json().onnx.size_bytes);
  });

  it('signals through the presets, score history from Prometheus, and a window the model cannot score', async () => {
    const signal = await app.inject('/api/v1/signals?scope=edge&client=b&server=c&signal=latency_p95&from=now-5m');
    assert.equal(signal.statusCode, 200, signal.body);
    const [frame] = signal.json().frames as DataFrame[];
    assert.deepEqual(frame!.schema.fields[1]!.labels, {
      scope: 'edge',
      signal: 'latency_p95',
      source: 'test',
      client: 'b',
      server: 'c',
    });
    assert.equal(field(frame!, 'Time').length, 61);
    assert.ok((field(frame!, 'value').at(-1) as number) > 0.3, 'the fault is in the raw signal');
    const scores = await app.inject('/api/v1/services/c/scores?from=now-10m&step=30s');
    assert.equal(scores.statusCode, 200, scores.body);
    assert.equal(scores.json().explanation.service, 'c');
    assert.ok(
      prom.queries.some((q) => q === 'seismo_service_anomaly_score{service="c"}'),
      'read from Prometheus'
    );
    const window = await app.inject('/api/v1/window?service=c');
    assert.equal(window.statusCode, 422, window.body);
    assert.match(window.json().error.message, /the window cannot be scored \(unknown\): .*no data/);
  });

  it('feedback is stored durably and listed; selection overrides persist and change the monitored set', async () => {
    const posted = await app.inject({
      method: 'POST',
      url: '/api/v1/feedback',
      payload: {
        kind: 'false_positive',
        scope: 'edge',
        entity: 'b->c',
        from: T0,
        to: T0 + 60,
        incidentId,
        note: 'load test',
      },
    });
    assert.equal(posted.statusCode, 201, posted.body);
    const listed = (await app.inject('/api/v1/feedback')).json().feedback;
    assert.equal(listed[0].id, posted.json().id);
    assert.match(await t.sidecarMetrics.registry.metrics(), /^seismo_feedback_total\{kind="false_positive"\} 1$/m);
    const put = await app.inject({ method: 'PUT', url: '/api/v1/selection', payload: { exclude: ['a'] } });
    assert.equal(put.statusCode, 200, put.body);
    const a = put.json().services.find((s: { service: string }) => s.service === 'a');
    assert.deepEqual([a.monitored, a.reason], [false, 'excluded by an override made through the API']);
    const [next] = await runCycles(t, clock, 1);
    assert.ok(!next!.services.has('a'));
    assert.ok(!next!.edges.has('loadgen->a'), 'the edge into an excluded service goes with it');
    assert.doesNotMatch(await t.sidecarMetrics.registry.metrics(), /seismo_service_detector_state\{service="a"/);
  });
});
