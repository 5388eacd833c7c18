import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AutoencoderDetector,
  createNodeBackend,
  DetectorInputError,
  ModelRegistry,
  type InferenceBackend,
  type ModelSession,
} from '../src/detectors/autoencoder/index.js';
import { buildWindow, SignalInputError, stepGrid, type RawPoint } from '../src/signals/index.js';

const DIR = new URL('../models/golden/', import.meta.url).pathname;
const SIGNALS = ['latency_p95', 'request_rate', 'error_ratio'];
const STEP = 60;
const T0 = 1_700_000_000;
const grid = stepGrid(T0, T0 + 7 * STEP, STEP);

/** Wraps the node backend to record every tensor that reaches the model. */
function spyBackend(): { backend: InferenceBackend; calls: Float32Array[] } {
  const inner = createNodeBackend();
  const calls: Float32Array[] = [];
  return {
    calls,
    backend: {
      name: inner.name,
      async createSession(model): Promise<ModelSession> {
        const session = await inner.createSession(model);
        return {
          inputNames: session.inputNames,
          outputNames: session.outputNames,
          run(name, input, dims, out) {
            calls.push(input.slice());
            return session.run(name, input, dims, out);
          },
          release: () => session.release(),
        };
      },
    },
  };
}

function healthy(i: number): Record<string, number> {
  return { latency_p95: 0.09 + 0.001 * (i % 3), request_rate: 110 + (i % 5), error_ratio: 0.002 };
}

function window(entity: string, value: (signal: string, t: number) => number | null, g = grid) {
  const series: Record<string, RawPoint[]> = {};
  for (const name of SIGNALS) {
    const points: RawPoint[] = [];
    g.timestamps.forEach((ts, t) => {
      const v = value(name, t);
      if (v !== null) {
        points.push([ts, v]);
      }
    });
    // A signal with no samples at all is absent (undefined), as a PromQL result without it would be.
    if (points.length > 0) {
      series[name] = points;
    }
  }
  return { entity, window: buildWindow(entity, series, g, { scope: 'service', signals: SIGNALS }) };
}

async function setup(options: { maxBatch?: number; now?: number } = {}) {
  const spy = spyBackend();
  const registry = new ModelRegistry({ backend: spy.backend, scope: 'service' });
  await registry.loadBase(DIR);
  const probeCalls = spy.calls.length;
  spy.calls.length = 0;
  const detector = new AutoencoderDetector({
    models: registry,
    clock: () => options.now ?? grid.end,
    maxBatch: options.maxBatch ?? 1024,
  });
  return { detector, registry, calls: spy.calls, probeCalls };
}

describe('AutoencoderDetector', () => {
  it('scores many services with one inference call per batch', async () => {
    const { detector, calls, probeCalls } = await setup({ maxBatch: 4 });
    assert.equal(probeCalls, 1, 'loading ran one probe batch');
    const inputs = Array.from({ length: 10 }, (_, n) => window(`svc-${n}`, (s, t) => healthy(t + n)[s] as number));
    const results = await detector.detect(inputs);
    assert.equal(calls.length, 3, '10 windows in batches of at most 4');
    assert.deepEqual(
      results.map((r) => r.entity),
      inputs.map((i) => i.entity)
    );
    for (const r of results) {
      assert.equal(r.state, 'ok');
      assert.ok((r.score as number) >= 0 && (r.score as number) <= 1);
      assert.equal(r.threshold, 0.5488515292772187);
      assert.equal(r.timestamp, grid.end);
      const sum = Object.values(r.contributions ?? {}).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  });

  it('flags a latency shift as anomalous and attributes it to latency', async () => {
    const { detector } = await setup();
    const [calm, shifted] = await detector.detect([
      window('checkout', (s, t) => healthy(t)[s] as number),
      window('checkout', (s, t) => (healthy(t)[s] as number) + (s === 'latency_p95' && t >= 4 ? 0.08 : 0)),
    ]);
    assert.equal(calm?.anomalous, false);
    assert.equal(shifted?.anomalous, true);
    assert.equal(shifted?.score, 1);
    const top = Object.entries(shifted?.contributions ?? {}).sort((a, b) => b[1] - a[1])[0];
    assert.equal(top?.[0], 'latency_p95');
    assert.ok((top?.[1] as number) > 0.5);
  });

  it('never passes NaN to the model: a window with a hole is unknown', async () => {
    const { detector, calls } = await setup();
    const results = await detector.detect([
      window('a', (s, t) => (s === 'request_rate' && t >= 2 && t <= 5 ? Number.NaN : (healthy(t)[s] as number))),
      window('b', (s, t) => healthy(t)[s] as number),
    ]);
    assert.equal(results[0]?.state, 'unknown');
    assert.match(results[0]?.reasons.join(' ') ?? '', /gap of 4 steps/);
    assert.equal(results[0]?.score, null);
    assert.equal(results[1]?.state, 'ok');
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.length, 3 * 8, 'only the complete window was sent');
    assert.ok(calls.every((c) => c.every(Number.isFinite)));
  });

  it('treats a missing signal as unknown, not healthy', async () => {
    const { detector, calls } = await setup();
    const [r] = await detector.detect([
      window('a', (s, t) => (s === 'error_ratio' ? null : (healthy(t)[s] as number))),
    ]);
    assert.equal(r?.state, 'unknown');
    assert.match(r?.reasons.join(' ') ?? '', /error_ratio: no data/);
    assert.equal(calls.length, 0);
  });

  it('is in warm-up while a new service has less history than a window', async () => {
    const { detector } = await setup();
    const [r] = await detector.detect([window('new', (s, t) => (t < 5 ? null : (healthy(t)[s] as number)))]);
    assert.equal(r?.state, 'warmup');
    assert.deepEqual(r?.reasons, ['history covers 3 of the 8 steps a window needs']);
  });

  it('is stale when the newest sample is older than the limit', async () => {
    const { detector } = await setup({ now: grid.end + 10 * STEP });
    const [r] = await detector.detect([window('old', (s, t) => healthy(t)[s] as number)]);
    assert.equal(r?.state, 'stale');
    assert.match(r?.reasons[0] ?? '', /newest sample is 600 s old \(10\.0 steps; limit 3 steps\)/);
  });

  it('falls back to the univariate bands when no model is in service, saying why', async () => {
    const registry = new ModelRegistry({ backend: createNodeBackend(), scope: 'service' });
    await assert.rejects(registry.loadBase('/nonexistent-model-dir'));
    const detector = new AutoencoderDetector({ models: registry, clock: () => grid.end });
    const [r] = await detector.detect([window('a', (s, t) => healthy(t)[s] as number)]);
    assert.equal(r?.state, 'fallback');
    assert.equal(r?.modelId, null);
    assert.match(
      r?.reasons.join(' ') ?? '',
      /no model in service.*last load refused: model \/nonexistent-model-dir: manifest manifest\.json does not exist/
    );
  });

  it('falls back, naming the difference, for windows the model was not built for', async () => {
    const { detector } = await setup();
    const longer = stepGrid(T0, T0 + 15 * STEP, STEP);
    const reordered = window('b', (s, t) => healthy(t)[s] as number);
    const swapped = { ...reordered.window, signals: ['request_rate', 'latency_p95', 'error_ratio'] };
    const results = await detector.detect([
      window('a', (s, t) => healthy(t)[s] as number, longer),
      { entity: 'b', window: swapped },
    ]);
    assert.equal(results[0]?.state, 'fallback');
    assert.deepEqual(results[0]?.reasons, ['window.length: model 8 steps, data 16 steps']);
    assert.equal(results[1]?.state, 'fallback');
    assert.match(results[1]?.reasons[0] ?? '', /different order/);
  });

  it('rejects malformed input with a clear error', async () => {
    const { detector } = await setup();
    const good = window('a', (s, t) => healthy(t)[s] as number);
    const empty = { ...good.window, timestamps: [], values: [[], [], []] };
    await assert.rejects(
      detector.detect([{ entity: 'a', window: empty }]),
      (e: unknown) => e instanceof DetectorInputError && /empty series/.test(e.message)
    );
    await assert.rejects(
      detector.detect([{ entity: '', window: good.window }]),
      /inputs\[0\]\.entity: must be a non-empty string/
    );
    const ragged = { ...good.window, values: [[1], [2], [3]] };
    await assert.rejects(
      detector.detect([{ entity: 'a', window: ragged }]),
      /inputs\[0\]\.window\.values\[0\]: has 1 values for 8 timestamps/
    );
    // An empty raw series is refused where windows are built, before it can look like an outage.
    assert.throws(
      () => buildWindow('a', { latency_p95: [] }, grid, { scope: 'service', signals: SIGNALS }),
      SignalInputError
    );
    assert.deepEqual(await detector.detect([]), []);
  });

  it('builds windows batch by batch in detectMany, never holding more than one batch', async () => {
    const { detector, calls } = await setup({ maxBatch: 3 });
    const events: string[] = [];
    const results = await detector.detectMany(7, (i) => {
      events.push(`build ${i} after ${calls.length} runs`);
      return window(`svc-${i}`, (s, t) => healthy(t + i)[s] as number);
    });
    assert.equal(results.length, 7);
    assert.deepEqual(
      results.map((r) => r.entity),
      ['svc-0', 'svc-1', 'svc-2', 'svc-3', 'svc-4', 'svc-5', 'svc-6']
    );
    assert.equal(calls.length, 3);
    // Window 3 is built only after the first batch (0-2) has been scored.
    assert.equal(events[3], 'build 3 after 1 runs');
    assert.equal(events[6], 'build 6 after 2 runs');
  });

  it('scores an entity with its fine-tuned model when one is loaded', async () => {
    const { detector, registry } = await setup();
    const { mkdtempSync, readFileSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'seismo-ae-entity-'));
    try {
      const manifest = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8'));
      manifest.model_id = 'golden-checkout';
      manifest.entity = 'checkout';
      manifest.training.base_model = {
        model_id: manifest.model_id,
        onnx_sha256: manifest.onnx.sha256,
        frozen_encoder: false,
        normalisation: 'entity',
      };
      writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
      copyFileSync(join(DIR, 'model.onnx'), join(dir, 'model.onnx'));
      await registry.loadEntityModel('checkout', dir);
      const [own, shared] = await detector.detect([
        window('checkout', (s, t) => healthy(t)[s] as number),
        window('cart', (s, t) => healthy(t)[s] as number),
      ]);
      assert.equal(own?.modelId, 'golden-checkout');
      assert.equal(own?.perEntityModel, true);
      assert.equal(shared?.modelId, 'golden-conv-ae');
      assert.equal(shared?.perEntityModel, false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
