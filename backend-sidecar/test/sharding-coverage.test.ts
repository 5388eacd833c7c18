import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { describe, it } from 'node:test';

import { FAST_DETECTION, FAST_INCIDENTS, buildTestService, type TestService } from './support/buildTestService.js';
import { FakePrometheus, type FakeEntity } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { runCycles } from './support/runCycles.js';

const SERVICES = 200;
const T0 = 1_700_000_000_000;

/** 200 services, each calling the next and the seventh after it, in three namespaces. */
function mesh(): FakeEntity[] {
  const name = (i: number): string => `svc-${String(i).padStart(3, '0')}`;
  const out: FakeEntity[] = [];
  for (let i = 0; i < SERVICES; i++) {
    const namespace = ['shop', 'payments', 'search'][i % 3] as string;
    out.push({ labels: { service: name(i) }, metrics: ['svc_request_rate', 'svc_error_ratio', 'svc_latency_p95'] });
    out.push({ labels: { service: name(i), namespace }, metrics: ['ident_service'] });
    for (const j of [(i + 1) % SERVICES, (i + 7) % SERVICES]) {
      out.push({
        labels: { client: name(i), server: name(j) },
        metrics: ['edge_request_rate', 'edge_error_ratio', 'edge_latency_p95'],
      });
    }
  }
  return out;
}

function value(metric: string, labels: Readonly<Record<string, string>>, t: number): number {
  const seed = [...(labels['service'] ?? `${labels['client']}>${labels['server']}`)].reduce(
    (a, c) => a + c.charCodeAt(0),
    0
  );
  const wobble = Math.sin(seed + t / 60) * 0.05;
  if (metric.endsWith('request_rate')) {
    return 20 * (1 + wobble);
  }
  if (metric.endsWith('error_ratio')) {
    return 0.01 * (1 + wobble);
  }
  return 0.1 * (1 + wobble);
}

function shard(index: number, prometheus: FakePrometheus): { t: TestService; clock: ManualClock } {
  const clock = new ManualClock(T0);
  const t = buildTestService({
    prometheus,
    clock,
    yaml: `${FAST_DETECTION}${FAST_INCIDENTS}forecast:\n  enabled: false\nsharding:\n  index: ${index}\n  count: 2\n`,
  });
  return { t, clock };
}

describe('two replicas, shard 0 and 1 of 2, against the same Prometheus', () => {
  it('monitor every service and every edge exactly once between them', async () => {
    const prometheus = new FakePrometheus(mesh(), value);
    const replicas = [shard(0, prometheus), shard(1, prometheus)];
    try {
      const cycles = [];
      for (const { t, clock } of replicas) {
        await t.service.start();
        await t.service.ready;
        cycles.push((await runCycles(t, clock, 2)).at(-1)!);
      }
      const [a, b] = cycles as [(typeof cycles)[0], (typeof cycles)[0]];
      assert.equal(a.discovered, SERVICES, 'each replica sees the whole mesh');
      assert.equal(b.discovered, SERVICES);
      const servicesA = new Set(a.services.keys());
      const servicesB = new Set(b.services.keys());
      // Both shards get a fair part of the mesh, not one shard everything.
      assert.ok(
        servicesA.size > SERVICES / 4 && servicesB.size > SERVICES / 4,
        `${servicesA.size} + ${servicesB.size}`
      );
      assert.deepEqual(
        [...servicesA].filter((s) => servicesB.has(s)),
        [],
        'no service is monitored by both replicas'
      );
      assert.equal(new Set([...servicesA, ...servicesB]).size, SERVICES, 'every service is monitored by one replica');
      const edgesA = new Set(a.edges.keys());
      const edgesB = new Set(b.edges.keys());
      assert.deepEqual(
        [...edgesA].filter((e) => edgesB.has(e)),
        [],
        'no edge is monitored by both replicas'
      );
      assert.equal(edgesA.size + edgesB.size, 2 * SERVICES, 'every edge is monitored by one replica');
      // An edge follows its server: it is monitored where its server is.
      for (const id of edgesA) {
        assert.ok(servicesA.has(a.edges.get(id)!.server), `${id} is with its server`);
      }
      for (const id of edgesB) {
        assert.ok(servicesB.has(b.edges.get(id)!.server), `${id} is with its server`);
      }
    } finally {
      for (const { t } of replicas) {
        await t.service.stop();
        rmSync(t.stateDir, { recursive: true, force: true });
      }
    }
  });
});
