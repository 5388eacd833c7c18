import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { buildTestApp } from './support/buildTestApp.js';
import { buildTestService, FAST_INCIDENTS, type TestService } from './support/buildTestService.js';
import { FakePrometheus, type FakeEntity, type SeriesFunction } from './support/fakePrometheus.js';
import { ManualClock } from './support/ManualClock.js';
import { meshEntities, type MeshFault } from './support/meshFixture.js';
import { runCycles } from './support/runCycles.js';

const T0 = 1_700_000_000;
const GOLDEN = fileURLToPath(new URL('../models/golden', import.meta.url));

/** The golden model (60-s steps, 8-step windows, 3 signals) in a directory of its own. */
function modelDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'seismo-model-'));
  cpSync(GOLDEN, dir, { recursive: true });
  return dir;
}

/**
 * Telemetry whose slow wave dominates its spread, as the load cycle does in the data the golden
 * model was trained on; services exist from `since` on. The fault multiplies c's latency (and
 * the b -> c edge's).
 */
function smooth(
  fault: { current: MeshFault | null } = { current: null },
  since = Number.NEGATIVE_INFINITY
): SeriesFunction {
  return (metric, labels, t) => {
    if (t < since) {
      return null;
    }
    const wave = 1 + 0.3 * Math.sin((2 * Math.PI * t) / 3600);
    const f = fault.current;
    const faulty =
      f !== null &&
      t >= f.from &&
      t < f.to &&
      (labels.service === 'c' || (labels.client === 'b' && labels.server === 'c'));
    switch (metric) {
      case 'svc_request_rate':
      case 'edge_request_rate':
        return 80 * wave;
      case 'svc_error_ratio':
      case 'edge_error_ratio':
        return 0.002 * wave;
      case 'svc_latency_p95':
      case 'edge_latency_p95':
        return 0.1 * wave * (faulty ? f.factor : 1);
      case 'ident_service':
        return 1;
      default:
        return null;
    }
  };
}

function config(options: { modelDir: string; warmup: number; baselines?: string; rateWindow?: number }): string {
  const baselines =
    options.baselines ?? 'windowSeconds: 1800\n    refreshSeconds: 600\n    stepSeconds: 60\n    minPoints: 10';
  return (
    `detection:\n  intervalSeconds: 60\n  stepSeconds: 60\n  windowSteps: 8\n  modelDir: ${options.modelDir}\n` +
    `  warmupHistorySeconds: ${options.warmup}\n  rateWindowSeconds: ${options.rateWindow ?? 60}\n` +
    `  externalClients: [loadgen]\n  baselines:\n    ${baselines}\n` +
    `${FAST_INCIDENTS}forecast:\n  enabled: false\n`
  );
}

describe('baselines learned from the services own history', () => {
  const running: TestService[] = [];
  after(async () => {
    for (const t of running) {
      await t.service.stop();
    }
  });

  async function started(options: Parameters<typeof buildTestService>[0]): Promise<TestService> {
    const t = buildTestService(options);
    running.push(t);
    await t.service.start();
    await t.service.ready;
    return t;
  }

  it('are learned at start from the warm-up history, persisted, and restored after a restart', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), smooth());
    const dir = modelDir();
    const t = await started({ clock, prometheus: prom, yaml: config({ modelDir: dir, warmup: 1800 }) });
    const [first] = await runCycles(t, clock, 1);
    for (const name of ['a', 'b', 'c']) {
      const s = first!.services.get(name)!;
      assert.deepEqual([s.state, s.detector, s.baselineSource], ['ok', 'autoencoder', 'learned'], name);
      assert.equal(s.anomalous, false, `${name} is normal (score ${s.score})`);
    }
    // Trust follows the baseline source (learned: 0.8 of the coverage).
    assert.ok(first!.services.get('a')!.trust <= 0.8);
    const learned = t.service.baselines.learned('c')!;
    assert.ok(Math.abs(learned.latency_p95!.center - 0.1) < 0.01, JSON.stringify(learned.latency_p95));
    assert.equal(learned.latency_p95!.count, 31, 'one point per minute over the warm-up half hour');
    const file = join(t.stateDir, 'learned-baselines.json');
    assert.ok(existsSync(file));
    await t.service.stop();
    running.splice(running.indexOf(t), 1);

    // A restart without history: the persisted baselines score the first cycle.
    const again = await started({
      clock,
      prometheus: prom,
      stateDir: t.stateDir,
      yaml: config({ modelDir: dir, warmup: 0 }),
    });
    const [restored] = await runCycles(again, clock, 1);
    const c = restored!.services.get('c')!;
    assert.deepEqual([c.state, c.baselineSource], ['ok', 'learned']);
    assert.deepEqual(again.service.baselines.learned('c')?.latency_p95, learned.latency_p95);
    assert.match(again.service.baselines.status().restored, /restored baselines of 3 services/);
    await again.service.stop();
    running.splice(running.indexOf(again), 1);

    // Baselines of values read with another rate window describe other numbers: set aside.
    const other = await started({
      clock,
      prometheus: prom,
      stateDir: t.stateDir,
      yaml: config({ modelDir: dir, warmup: 0, rateWindow: 120 }),
    });
    assert.equal(other.service.baselines.learned('c'), undefined);
    assert.match(
      other.service.counters().notes.join(' '),
      /learned baselines set aside: learned with rate window 60 s/
    );
  });

  it('a new service waits in warmup with the reason, until a scheduled learning run has enough points', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), smooth({ current: null }, T0));
    const t = await started({ clock, prometheus: prom, yaml: config({ modelDir: modelDir(), warmup: 0 }) });
    const app = buildTestApp(t, clock);
    // The first cycle starts a learning run over the last half hour, which has two points.
    await runCycles(t, clock, 1);
    await t.service.baselines.settled();
    const first = t.service.baselines.status();
    assert.deepEqual([first.lastRun?.kind, first.lastRun?.updated], ['refresh', 0]);
    assert.equal(first.nextRunAt, first.learnedAt! + 600);
    const [eighth] = await runCycles(t, clock, 8);
    const waiting = (await runCycles(t, clock, 1))[0]!;
    const a = waiting.services.get('a')!;
    assert.deepEqual([a.state, a.detector, a.score, a.verdict], ['warmup', 'autoencoder', null, 'unknown']);
    assert.match(a.reasons.join(' '), /no baselines learned for a yet \(needs 10 points at 60-s steps/);
    assert.ok(eighth !== undefined);
    // The window inspector says the same instead of scoring with other services' statistics.
    const refused = await app.inject(`/api/v1/window?service=a&at=${waiting.end}`);
    assert.equal(refused.statusCode, 422, refused.body);
    assert.match(refused.json().error.message, /no baselines learned for a yet/);

    // Ten minutes after the first run, the next one has enough points.
    await runCycles(t, clock, 1);
    await t.service.baselines.settled();
    const run = t.service.baselines.status();
    assert.deepEqual([run.lastRun?.updated, run.learnedAt], [3, first.learnedAt! + 600]);
    const [second] = await runCycles(t, clock, 1);
    assert.deepEqual([second!.services.get('a')!.state, second!.services.get('a')!.baselineSource], ['ok', 'learned']);
    const window = await app.inject(`/api/v1/window?service=a&at=${second!.end}`);
    assert.equal(window.statusCode, 200, window.body);
    const body = window.json();
    assert.equal(body.baselineSource, 'learned');
    assert.deepEqual(body.baselines.request_rate, {
      center: t.service.baselines.learned('a')!.request_rate!.center,
      scale: t.service.baselines.learned('a')!.request_rate!.scale,
    });
    assert.ok(Math.abs(body.score - (second!.services.get('a')!.score as number)) < 1e-9, 'same score as the loop');
    const listed = (await app.inject('/api/v1/services'))
      .json()
      .services.find((s: { service: string }) => s.service === 'a');
    assert.equal(listed.baselineSource, 'learned');
    const models = (await app.inject('/api/v1/models')).json();
    assert.equal(models.baselines.services, 3);

    // Refreshed on schedule: nothing before refreshSeconds, then a new run.
    await runCycles(t, clock, 7);
    await t.service.baselines.settled();
    assert.equal(t.service.baselines.status().learnedAt, run.learnedAt);
    await runCycles(t, clock, 2);
    await t.service.baselines.settled();
    assert.equal(t.service.baselines.status().learnedAt, run.learnedAt! + 600);
    await app.close();
  });

  it('are not learned from anomalous periods or open incidents; false positives are learned as normal', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const fault: { current: MeshFault | null } = { current: null };
    const prom = new FakePrometheus(meshEntities(), smooth(fault));
    const t = await started({ clock, prometheus: prom, yaml: config({ modelDir: modelDir(), warmup: 1800 }) });
    const quiet = await runCycles(t, clock, 2);
    const normal = t.service.baselines.learned('c')!.latency_p95!;
    const from = quiet[1]!.end + 30;
    fault.current = { from, to: from + 7200, factor: 5 };
    let incident = '';
    for (let i = 0; i < 25; i++) {
      const [r] = await runCycles(t, clock, 1);
      incident ||= r!.incident?.id ?? '';
    }
    await t.service.baselines.settled();
    assert.notEqual(incident, '', 'the latency fault opened an incident');
    const latest = t.service.latest()!;
    assert.equal(latest.services.get('c')!.anomalous, true);
    // Runs happened during the fault (every 10 minutes). The last one's half hour is mostly the
    // fault, but c's points were excluded while it was anomalous (and every service's while the
    // incident was open): too few were left, so the statistics learned before stayed.
    const status = t.service.baselines.status();
    assert.ok(status.learnedAt! > from + 900, 'a learning run happened well into the fault');
    assert.ok(status.lastRun!.skipped > 0);
    const kept = t.service.baselines.learned('c')!.latency_p95!;
    assert.ok(kept.learnedAt < status.learnedAt!, 'not replaced by the run during the fault');
    assert.ok(Math.abs(kept.center - normal.center) < 0.02, `${JSON.stringify(kept)} vs ${JSON.stringify(normal)}`);
    assert.ok(t.service.baselines.learned('a')!.latency_p95!.learnedAt < status.learnedAt!, 'a: the incident period');
    // The exclusions are in the state directory, for a restart in the middle of the incident.
    const exclusions = JSON.parse(readFileSync(join(t.stateDir, 'baseline-exclusions.json'), 'utf8'));
    assert.ok(exclusions.services.c.length >= 1 && exclusions.all.length >= 1, JSON.stringify(exclusions));

    // An operator says c's slow period is its new normal: the next run learns it.
    await t.service.feedback.add({
      kind: 'false_positive',
      scope: 'service',
      entity: 'c',
      from: from - 600,
      to: latest.end + 600,
    });
    await runCycles(t, clock, 1);
    await t.service.baselines.settled();
    const relearned = t.service.baselines.learned('c')!.latency_p95!;
    assert.ok(relearned.center > 0.3, `learned the marked period (${JSON.stringify(relearned)})`);
  });

  it('leave out expected-behaviour feedback windows', async () => {
    const clock = new ManualClock((T0 + 1) * 1000);
    const prom = new FakePrometheus(meshEntities(), smooth());
    const stateDir = mkdtempSync(join(tmpdir(), 'seismo-loop-'));
    writeFileSync(
      join(stateDir, 'feedback.jsonl'),
      `${JSON.stringify({ id: 'fb-1', receivedAt: T0, kind: 'expected', scope: 'service', entity: 'a', from: T0 - 1800, to: T0 - 300 })}\n`
    );
    const t = await started({
      clock,
      prometheus: prom,
      stateDir,
      yaml: config({ modelDir: modelDir(), warmup: 1800 }),
    });
    const [first] = await runCycles(t, clock, 1);
    assert.equal(first!.services.get('a')!.state, 'warmup', 'a load test covered most of its history');
    assert.equal(first!.services.get('b')!.state, 'ok');
    assert.equal(t.service.baselines.learned('a'), undefined);
  });

  it('prefer the model own statistics by default, learned ones when configured', async () => {
    // The golden model knows "cart" and "checkout" (its training services).
    const entities: FakeEntity[] = ['cart', 'newcomer'].flatMap((service): FakeEntity[] => [
      { labels: { service }, metrics: ['svc_request_rate', 'svc_error_ratio', 'svc_latency_p95'] },
      { labels: { service, namespace: 'shop' }, metrics: ['ident_service'] },
    ]);
    entities.push({ labels: { client: 'cart', server: 'newcomer' }, metrics: ['edge_request_rate'] });
    const prom = new FakePrometheus(entities, smooth());
    const dir = modelDir();
    const sources = async (prefer: string): Promise<Record<string, string | null>> => {
      const clock = new ManualClock((T0 + 1) * 1000);
      const t = await started({
        clock,
        prometheus: prom,
        yaml: config({
          modelDir: dir,
          warmup: 1800,
          baselines: `windowSeconds: 1800\n    stepSeconds: 60\n    minPoints: 10\n    prefer: ${prefer}`,
        }),
      });
      const [cycle] = await runCycles(t, clock, 1);
      return Object.fromEntries([...cycle!.services].map(([name, s]) => [name, s.baselineSource]));
    };
    assert.deepEqual(await sources('model'), { cart: 'model', newcomer: 'learned' });
    assert.deepEqual(await sources('learned'), { cart: 'learned', newcomer: 'learned' });
  });
});
