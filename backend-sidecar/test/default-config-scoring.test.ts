import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';

import { parsePreset } from '../src/adapters/parsePreset.js';
import { CANONICAL_SIGNALS } from '../src/signals/index.js';
import { buildTestService, type TestService } from './support/buildTestService.js';
import { FakePrometheus, type FakeEntity } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { runCycles } from './support/runCycles.js';

const T0 = 1_700_000_000;
const SERVICE_SIGNALS = Object.keys(CANONICAL_SIGNALS.service);
const EXAMPLE = readFileSync(new URL('../config/example.yaml', import.meta.url), 'utf8');

/** A preset with every canonical service signal, over plain test metrics FakePrometheus answers. */
const FULL_PRESET = parsePreset(
  `source: full
description: every canonical signal
defaults:
  labels: { service: service, client: client, server: server }
identity:
  query: max by (service, namespace, label_team) (ident_service)
  service: service
  namespace: namespace
  labelPrefix: label_
signals:
  service:
${SERVICE_SIGNALS.map((s) => `    ${s}: { query: 'sum by (service) (svc_${s})' }`).join('\n')}
  edge:
    request_rate: { query: 'sum by (client, server) (edge_request_rate)' }
    error_ratio: { query: 'sum by (client, server) (edge_error_ratio)' }
    latency_p95: { query: 'sum by (client, server) (edge_latency_p95)' }
`,
  'full-preset.yaml'
);

/** A chain loadgenerator -> front -> middle -> leaf; leaf calls nothing, so it has no outbound series. */
const CHAIN = ['front', 'middle', 'leaf'];
const EDGES: Array<[string, string]> = [
  ['loadgenerator', 'front'],
  ['front', 'middle'],
  ['middle', 'leaf'],
];

function entities(): FakeEntity[] {
  const out: FakeEntity[] = [];
  for (const service of CHAIN) {
    const signals = service === 'leaf' ? SERVICE_SIGNALS.filter((s) => !s.startsWith('outbound_')) : SERVICE_SIGNALS;
    out.push({ labels: { service }, metrics: signals.map((s) => `svc_${s}`) });
    out.push({ labels: { service, namespace: 'shop', label_team: 'web' }, metrics: ['ident_service'] });
  }
  for (const [client, server] of EDGES) {
    out.push({ labels: { client, server }, metrics: ['edge_request_rate', 'edge_error_ratio', 'edge_latency_p95'] });
  }
  return out;
}

/** Levels per signal that follow a daily load cycle, as the shipped model's training data does. */
const LEVEL: Readonly<Record<string, number>> = {
  request_rate: 100,
  error_ratio: 0.002,
  latency_p50: 0.03,
  latency_p95: 0.08,
  latency_p99: 0.12,
  outbound_request_rate: 120,
  outbound_error_ratio: 0.003,
  outbound_latency_p95: 0.02,
  cpu_usage: 0.4,
  memory_working_set: 4e8,
  network_receive_rate: 2e5,
  network_transmit_rate: 8e5,
};

function value(metric: string, labels: Readonly<Record<string, string>>, t: number): number | null {
  if (metric === 'ident_service') {
    return 1;
  }
  const load = 1 + 0.4 * Math.sin((2 * Math.PI * t) / 86_400);
  const name = metric.replace(/^(svc|edge)_/, '');
  const level = LEVEL[name];
  return level === undefined
    ? null
    : level * (name.includes('error') ? 1 : load) * (labels.service === 'front' ? 2 : 1);
}

describe('the example config', () => {
  let t: TestService | undefined;
  after(() => t?.service.stop());

  it('scores services with the shipped autoencoder, not the univariate fallback; a leaf with structural zeros', async (ctx) => {
    const clock = new ManualClock((T0 + 1) * 1000);
    t = buildTestService({
      clock,
      prometheus: new FakePrometheus(entities(), value),
      configText: EXAMPLE.replace('level: info', 'level: warn'),
      presets: [FULL_PRESET],
    });
    const config = t.store.current().config;
    assert.deepEqual(
      [config.detection.stepSeconds, config.detection.windowSteps, config.detection.baselines.prefer],
      [15, 60, 'model']
    );
    await t.service.start();
    await t.service.ready;
    assert.equal(t.service.models.baseModel()?.manifest.modelId, 'seismo-default-synthetic-v2');
    assert.equal(t.service.modelError(), null);
    const [cycle] = await runCycles(t, clock, 1);
    for (const name of CHAIN) {
      const s = cycle!.services.get(name);
      assert.deepEqual(
        [s?.state, s?.detector, s?.baselineSource, s?.modelId],
        ['ok', 'autoencoder', 'learned', 'seismo-default-synthetic-v2'],
        `${name}: ${s?.reasons.join('; ')}`
      );
      assert.ok(s?.score !== null && s?.contributions !== null);
    }
    const leaf = cycle!.services.get('leaf')!;
    assert.match(
      leaf.reasons.join(' '),
      /^outbound_request_rate, outbound_error_ratio, outbound_latency_p95: structural zeros, not measured/
    );
    assert.deepEqual(
      Object.keys(leaf.contributions ?? {}).filter((signal) => signal.startsWith('outbound_')),
      [],
      'unmeasured zeros are never blamed'
    );
    assert.ok(Math.abs(Object.values(leaf.contributions ?? {}).reduce((a, b) => a + b, 0) - 1) < 1e-9);
    assert.deepEqual(cycle!.services.get('middle')!.reasons, []);
    const learned = t.service.baselines.learned('leaf')!;
    assert.deepEqual(
      [learned.outbound_request_rate?.center, learned.outbound_request_rate?.source],
      [0, 'structural'],
      'the leaf learned its outbound zeros too'
    );
    // Learned first from the six hours of warm-up history, then (in the background, right after
    // the first cycle) from the whole day the window asks for.
    await t.service.baselines.settled();
    const run = t.service.baselines.status().lastRun!;
    assert.deepEqual([run.kind, run.to - run.from, run.error], ['refresh', 86_400, null]);
    const [next] = await runCycles(t, clock, 1);
    const scores = [...next!.services.values()].map((s) => `${s.service} ${s.score?.toFixed(3)} ${s.anomalous}`);
    ctx.diagnostic(scores.join(', '));
    for (const s of next!.services.values()) {
      assert.deepEqual([s.state, s.anomalous], ['ok', false], scores.join(', '));
    }
  });
});
