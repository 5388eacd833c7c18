import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

import { ConfigWatcher } from '../src/config/ConfigWatcher.js';
import { loadConfigText } from '../src/config/loadConfigText.js';
import { buildTestApp } from './support/buildTestApp.js';
import {
  buildTestService,
  FAST_DETECTION,
  FAST_INCIDENTS,
  testConfigText,
  type TestService,
} from './support/buildTestService.js';
import { FakePrometheus } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, meshValues } from './support/meshFixture.js';
import { runCycles, settle } from './support/runCycles.js';

const T0 = 1_700_000_000;
const GOLDEN = fileURLToPath(new URL('../models/golden', import.meta.url));

describe('detection loop resilience', () => {
  const services: TestService[] = [];
  after(async () => {
    for (const t of services) {
      await t.service.stop();
    }
  });

  async function started(
    options: Partial<Parameters<typeof buildTestService>[0]> & { clock: ManualClock; prometheus: FakePrometheus }
  ) {
    const t = buildTestService(options);
    services.push(t);
    await t.service.start();
    await t.service.ready;
    return t;
  }

  it('Prometheus down: every detector goes stale explicitly, accumulators hold, then it recovers', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), meshValues({ current: null }));
    const t = await started({ clock, prometheus: prom });
    const app = buildTestApp(t, clock);
    await runCycles(t, clock, 2);
    prom.down = true;
    const [down] = await runCycles(t, clock, 1);
    assert.equal(down!.prometheusUp, false);
    assert.match(down!.error ?? '', /^Prometheus unreachable: network: /);
    for (const s of [...down!.services.values(), ...down!.edges.values()]) {
      assert.equal(s.state, 'stale');
      assert.equal(s.score, null);
      assert.equal(s.verdict, 'unknown');
    }
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.match(metrics, /^seismo_prometheus_up 0$/m);
    assert.match(metrics, /^seismo_service_detector_state\{service="c",detector="univariate",state="stale"\} 1$/m);
    assert.doesNotMatch(metrics, /^seismo_service_anomaly_score\{/m, 'no score while stale');
    const api = (await app.inject('/api/v1/services')).json();
    assert.ok(
      api.services.every(
        (s: { state: string; reasons: string[] }) =>
          s.state === 'stale' && /Prometheus unreachable/.test(s.reasons[0] ?? '')
      )
    );
    assert.equal((await app.inject('/api/v1/status')).json().lastCycle.prometheusUp, false);

    prom.down = false;
    const [back] = await runCycles(t, clock, 1);
    assert.equal(back!.prometheusUp, true);
    assert.ok([...back!.services.values()].every((s) => s.state === 'fallback'));
    assert.match(await t.sidecarMetrics.registry.metrics(), /^seismo_prometheus_up 1$/m);
    await app.close();
  });

  it('a slow Prometheus: what has not answered within the interval counts as unreachable, not late', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), meshValues({ current: null }));
    const t = await started({ clock, prometheus: prom });
    await runCycles(t, clock, 1);
    prom.delayMs = 30_000;
    const began = Date.now();
    const [slow] = await runCycles(t, clock, 1);
    const waited = Date.now() - began;
    assert.ok(waited >= 3_900 && waited < 10_000, `the reads were cut after 80 % of the 5-s interval (${waited} ms)`);
    assert.equal(slow!.prometheusUp, false);
    assert.equal(slow!.error, 'Prometheus unreachable: no answer within 4 s (80% of the interval)');
    assert.ok([...slow!.services.values()].every((s) => s.state === 'stale'));
    prom.delayMs = 0;
    const [back] = await runCycles(t, clock, 1);
    assert.ok([...back!.edges.values()].every((e) => e.state === 'ok'));
  });

  it('an overrunning cycle is counted, the start times it covered are skipped, and cycles never overlap', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), meshValues({ current: null }));
    const t = await started({ clock, prometheus: prom });
    await runCycles(t, clock, 1);
    // Prometheus answers slowly in the next cycle: 12 s pass during a 5-s interval.
    let slow = true;
    const original = prom.queryRange.bind(prom);
    prom.queryRange = async (...args) => {
      if (slow) {
        slow = false;
        clock.spend(12_000);
      }
      return original(...args);
    };
    const [long] = await runCycles(t, clock, 1);
    assert.ok(long!.durationSeconds >= 12);
    assert.equal(clock.pending, 1, 'exactly one next cycle is scheduled');
    const next = clock.nextAt() as number;
    assert.equal(next % 5000, 0, 'on an interval boundary');
    assert.ok(next > clock.now() && next - clock.now() <= 5000, 'the first boundary after the overrun ended');
    const counters = t.service.counters();
    assert.equal(counters.overruns, 1);
    assert.equal(counters.skipped, 2);
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.match(metrics, /^seismo_cycle_overruns_total 1$/m);
    assert.match(metrics, /^seismo_cycle_skipped_total 2$/m);
    const [after] = await runCycles(t, clock, 1);
    assert.equal(after!.at, next / 1000);
  });

  it('an invalid reloaded config keeps the running one; a valid one applies from the next cycle', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), meshValues({ current: null }));
    const t = await started({ clock, prometheus: prom });
    await runCycles(t, clock, 1);
    const file = t.store.current().file;
    const texts = new Map<string, string>();
    const watcher = new ConfigWatcher({
      store: t.store,
      file,
      load: (text) => loadConfigText(text, file, { env: {} }),
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
      metrics: t.sidecarMetrics,
      clock: clock.now,
      watch: () => ({ close: () => undefined }),
      readFile: async () => texts.get('current') as string,
    });
    texts.set(
      'current',
      testConfigText(
        t.stateDir,
        `${FAST_DETECTION.replace('intervalSeconds: 5', 'intervalSeconds: "ten"')}${FAST_INCIDENTS}`
      )
    );
    const refused = await watcher.reload({ force: true });
    assert.equal(refused.result, 'failure');
    const [still] = await runCycles(t, clock, 1);
    assert.equal(t.store.current().config.detection.intervalSeconds, 5);
    assert.equal(clock.nextAt()! - still!.at * 1000 <= 10_000, true, 'still on 5-s cycles');
    assert.match(await t.sidecarMetrics.registry.metrics(), /^seismo_config_last_reload_success 0$/m);

    texts.set(
      'current',
      testConfigText(
        t.stateDir,
        `${FAST_DETECTION.replace('intervalSeconds: 5', 'intervalSeconds: 10')}${FAST_INCIDENTS}forecast:\n  enabled: false\n`
      )
    );
    const applied = await watcher.reload({ force: true });
    assert.equal(applied.result, 'success');
    await runCycles(t, clock, 1);
    const [tenth] = await runCycles(t, clock, 1);
    assert.equal(tenth!.at % 10, 0, 'cycles now run on 10-s boundaries');
  });

  it('a refused model never replaces the one in service', async () => {
    const modelDir = mkdtempSync(join(tmpdir(), 'seismo-model-'));
    cpSync(GOLDEN, modelDir, { recursive: true });
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), (metric, labels, t) => {
      const base = meshValues({ current: null })(metric, labels, t);
      // The golden model was trained on rates around 80 per second.
      return metric.endsWith('request_rate') && base !== null ? base * 4 : base;
    });
    // Baselines for the services (unseen by the golden model) are learned from the warm-up history.
    const yaml = `detection:\n  intervalSeconds: 60\n  stepSeconds: 60\n  windowSteps: 8\n  modelDir: ${modelDir}\n  warmupHistorySeconds: 3600\n  baselines:\n    windowSeconds: 3600\n    stepSeconds: 60\n    minPoints: 20\n${FAST_INCIDENTS}forecast:\n  enabled: false\n`;
    const t = await started({ clock, prometheus: prom, yaml });
    const [first] = await runCycles(t, clock, 1);
    const c = first!.services.get('c')!;
    assert.deepEqual([c.state, c.detector, c.modelId], ['ok', 'autoencoder', 'golden-conv-ae']);
    assert.equal(c.baselineSource, 'learned');
    assert.ok(c.score !== null && c.contributions !== null);

    // The window inspector's answer reproduces the loop's score from its own parts.
    const app = buildTestApp(t, clock);
    const res = await app.inject(`/api/v1/window?service=c&at=${first!.end}`);
    assert.equal(res.statusCode, 200, res.body);
    const w = res.json() as {
      raw: number[][];
      input: number[][];
      reconstruction: number[][];
      baselines: Record<string, { center: number; scale: number }>;
      signals: string[];
      clip: number;
      error: number;
      score: number;
      errorSpec: { reduction: string };
    };
    assert.equal(w.errorSpec.reduction, 'mean_squared_error_over_signals_and_steps');
    let sum = 0;
    let cells = 0;
    w.signals.forEach((signal, s) => {
      const b = w.baselines[signal]!;
      w.raw[s]!.forEach((x, i) => {
        const z = Math.max(-w.clip, Math.min(w.clip, (x - b.center) / b.scale));
        assert.ok(Math.abs(z - w.input[s]![i]!) < 1e-4, 'input is the clipped normalised raw value');
        sum += (w.input[s]![i]! - w.reconstruction[s]![i]!) ** 2;
        cells++;
      });
    });
    assert.ok(Math.abs(sum / cells - w.error) < 1e-9, 'error is the mean squared residual');
    assert.ok(Math.abs(w.score - (c.score as number)) < 1e-9, 'the same score as the cycle');
    await app.close();

    const manifestFile = join(modelDir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { onnx: { sha256: string } };
    manifest.onnx.sha256 = '0'.repeat(64);
    writeFileSync(manifestFile, JSON.stringify(manifest));
    const [next] = await runCycles(t, clock, 1);
    const again = next!.services.get('c')!;
    assert.deepEqual([again.state, again.detector, again.modelId], ['ok', 'autoencoder', 'golden-conv-ae']);
    const metrics = await t.sidecarMetrics.registry.metrics();
    assert.match(metrics, /^seismo_model_loads_total\{result="refused"\} 1$/m);
    assert.match(metrics, /^seismo_model_loads_total\{result="success"\} 1$/m);
    assert.match(metrics, /^seismo_model_last_load_success 0$/m);
    assert.match(t.service.modelError() ?? '', /sha256/);
    await settle();
  });
});
