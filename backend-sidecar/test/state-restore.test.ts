import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

import { Registry } from 'prom-client';

import type { CycleResult } from '../src/detection/CycleResult.js';
import { ENGINE_STATE_FILE } from '../src/storage/EngineSnapshotStore.js';
import { buildTestService, type TestService } from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues, type MeshFault } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';
import { ScrapeRecorder } from './support/ScrapeRecorder.js';

const T0 = 1_700_000_000;

/**
 * A sidecar runs until an incident is open, then "dies" without stopping (nothing is flushed at
 * exit, as after SIGKILL). A new one, built from new objects over the same state directory,
 * restores from the series the first one exported (or, when Prometheus is down at start, from
 * the local snapshot) and continues the same incident with the same accumulators.
 */
describe('state survives a kill-style restart', () => {
  const running: TestService[] = [];
  after(async () => {
    for (const t of running) {
      await t.service.stop();
    }
  });

  async function firstLife(
    stateDir: string,
    clock: ManualClock,
    recorder: ScrapeRecorder,
    fault: { current: MeshFault | null }
  ) {
    const prom = new FakePrometheus(meshEntities(), meshValues(fault));
    prom.range = (q, s, e, st) => recorder.range(q, s, e, st);
    prom.instant = (q, at) => recorder.instant(q, at);
    const registry = new Registry();
    const t = buildTestService({ prometheus: prom, clock, stateDir, registry });
    await t.service.start();
    await t.service.ready;
    const scrapeAfter = async (n: number): Promise<CycleResult[]> => {
      const out: CycleResult[] = [];
      for (let i = 0; i < n; i++) {
        const [r] = await runCycles(t, clock, 1);
        out.push(r!);
        await recorder.scrape(registry, clock.now() / 1000 + 0.5);
      }
      return out;
    };
    const quiet = await scrapeAfter(3);
    fault.current = { from: quiet[2]!.end + 5, to: quiet[2]!.end + 3600, factor: 5 };
    let last: CycleResult | undefined;
    for (let i = 0; i < 20 && (last === undefined || last.incident === null); i++) {
      last = (await scrapeAfter(1))[0];
    }
    assert.ok(last?.incident, 'an incident is open before the crash');
    // Two more cycles so the accumulators are well above their threshold.
    last = (await scrapeAfter(2))[1] as CycleResult;
    return { t, last, engine: t.service.engineState() };
  }

  for (const source of ['prometheus', 'local'] as const) {
    it(`continues the open incident with the same id and accumulators (restored from ${source})`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'seismo-restore-'));
      const firstClock = new ManualClock((T0 + 1) * 1000);
      const recorder = new ScrapeRecorder();
      const fault: { current: MeshFault | null } = { current: null };
      const { last, engine } = await firstLife(stateDir, firstClock, recorder, fault);
      const id = last.incident!.id;

      // The restarted process: new objects (and timers: the killed one's never fire again), the
      // same state directory; Prometheus has the series the first one exported.
      const clock = new ManualClock(firstClock.now() + 2_000);
      const prom = new FakePrometheus(meshEntities(), meshValues(fault));
      if (source === 'prometheus') {
        // Only Prometheus knows the state: the local snapshot is gone.
        rmSync(join(stateDir, ENGINE_STATE_FILE));
        prom.range = (q, s, e, st) => recorder.range(q, s, e, st);
        prom.instant = (q, at) => recorder.instant(q, at);
      } else {
        // Prometheus is unreachable while the sidecar starts.
        prom.down = true;
      }
      const second = buildTestService({ prometheus: prom, clock, stateDir });
      running.push(second);
      await second.service.start();
      assert.equal(second.service.counters().restoredFrom, source);
      const restored = second.service.engineState();
      assert.equal(restored.incident?.id, id);
      assert.equal(restored.lastAt, engine.lastAt);
      for (const [entity, state] of Object.entries(engine.entities)) {
        if (state.value > 0) {
          assert.equal(restored.entities[entity]?.value, state.value, entity);
        }
      }
      assert.match(
        await second.sidecarMetrics.registry.metrics(),
        new RegExp(`^seismo_state_restore_info\\{source="${source}"\\} 1$`, 'm')
      );
      prom.down = false;
      await second.service.ready;

      const [next] = await runCycles(second, clock, 1);
      assert.equal(next!.incident?.id, id, 'the same incident continues');
      assert.equal(next!.incident?.closedAt, null);
      assert.deepEqual(
        second.service.history.list().map((r) => r.id),
        [id],
        'no duplicate incident in the history'
      );
      assert.match(
        await second.sidecarMetrics.registry.metrics(),
        /^seismo_incidents_opened_total\{severity="SEV1"\} 0$/m
      );
      assert.equal(second.service.history.get(id)?.restoredFrom, source);
    });
  }
});
