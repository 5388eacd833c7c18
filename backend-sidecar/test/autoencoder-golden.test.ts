import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import {
  AutoencoderDetector,
  createNodeBackend,
  createWebBackend,
  loadModel,
  ModelRegistry,
  parseManifest,
  type DetectionResult,
  type InferenceBackend,
} from '../src/detectors/autoencoder/index.js';
import { buildWindow, normaliseWindow, stepGrid, type RawPoint } from '../src/signals/index.js';

const GOLDEN = new URL('../models/golden/', import.meta.url);
const DIR = GOLDEN.pathname;
const input = JSON.parse(readFileSync(new URL('golden-input.json', GOLDEN), 'utf8')) as {
  shape: number[];
  entities: string[];
  raw: number[][][];
  windows: number[][][];
};
const output = JSON.parse(readFileSync(new URL('golden-output.json', GOLDEN), 'utf8')) as {
  tolerance: number;
  reconstruction: number[][][];
  errors: number[];
  signal_errors: number[][];
  scores: number[];
  anomalous: boolean[];
};
const manifest = JSON.parse(readFileSync(new URL('manifest.json', GOLDEN), 'utf8')) as {
  signals: Array<{ name: string }>;
  window: { length: number; step_seconds: number };
};

const SIGNALS = manifest.signals.map((s) => s.name);
const STEP = manifest.window.step_seconds;
const T0 = 1_700_000_000;
const grid = stepGrid(T0, T0 + (manifest.window.length - 1) * STEP, STEP);
const TOL = output.tolerance;

/** The golden raw windows as the sidecar would see them: Prometheus-style points per signal. */
function goldenInputs() {
  return input.raw.map((rows, n) => {
    const series: Record<string, RawPoint[]> = {};
    SIGNALS.forEach((name, s) => {
      series[name] = (rows[s] as number[]).map((v, t): RawPoint => [grid.timestamps[t] as number, v]);
    });
    const entity = input.entities[n] as string;
    return { entity, window: buildWindow(entity, series, grid, { scope: 'service', signals: SIGNALS }) };
  });
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: ${actual} vs ${expected} (tolerance ${TOL})`);
}

async function checkBackend(backend: InferenceBackend): Promise<DetectionResult[]> {
  const model = await loadModel(DIR, { backend, scope: 'service' });
  try {
    // The model itself: the golden normalised tensor in, torch's reconstruction out.
    const flat = Float32Array.from(input.windows.flat(2));
    const out = await model.session.run('windows', flat, input.shape, 'reconstruction');
    assert.deepEqual([...out.dims], input.shape);
    output.reconstruction.flat(2).forEach((v, i) => close(out.data[i] as number, v, `reconstruction[${i}]`));
  } finally {
    await model.session.release();
  }

  // The whole path: raw values → window → baseline normalisation → inference → errors → score.
  const registry = new ModelRegistry({ backend, scope: 'service' });
  await registry.loadBase(DIR);
  const detector = new AutoencoderDetector({ models: registry, clock: () => grid.end });
  const results = await detector.detect(goldenInputs());
  results.forEach((r, n) => {
    assert.equal(r.state, 'ok', `window ${n}: ${r.reasons.join('; ')}`);
    close(r.error as number, output.errors[n] as number, `error[${n}]`);
    SIGNALS.forEach((name, s) =>
      close(r.signalErrors?.[name] as number, output.signal_errors[n]?.[s] as number, `signal_error[${n}][${name}]`)
    );
    close(r.score as number, output.scores[n] as number, `score[${n}]`);
    assert.equal(r.anomalous, output.anomalous[n], `anomalous[${n}]`);
    // The last window's entity was not in training: pooled statistics, and the result says so.
    assert.equal(r.baselineSource, n === 4 ? 'pooled' : 'model');
    const shares = Object.values(r.contributions ?? {});
    assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-12, 'contributions sum to 1');
  });
  return results;
}

describe('golden model', () => {
  it('the sidecar normalises the golden raw windows into the golden tensor', () => {
    const parsed = parseManifest(manifest, { scope: 'service' });
    const inputs = goldenInputs();
    assert.equal(inputs.length, input.windows.length);
    inputs.forEach(({ window }, n) => {
      // The last window's entity was not in training: its statistics come from `default`.
      const { z, baselines } = normaliseWindow(window, parsed.baselines, { clip: parsed.clip });
      assert.equal(baselines.latency_p95?.from, n === 4 ? 'default' : 'entity');
      z.forEach((row, s) =>
        row.forEach((v, t) => close(v, input.windows[n]?.[s]?.[t] as number, `z[${n}][${s}][${t}]`))
      );
    });
  });

  it('onnxruntime-node reproduces reconstruction, errors and scores to 1e-5', async () => {
    const results = await checkBackend(createNodeBackend());
    // The fourth window carries a latency shift: it is the anomalous one and latency explains it.
    const shifted = results[3] as DetectionResult;
    assert.equal(shifted.anomalous, true);
    const top = Object.entries(shifted.contributions ?? {}).sort((a, b) => b[1] - a[1])[0]?.[0];
    assert.equal(top, 'latency_p95');
  });

  it('onnxruntime-web (WASM in Node) gives the same numbers', async () => {
    const node = await checkBackend(createNodeBackend());
    const web = await checkBackend(createWebBackend());
    web.forEach((r, n) => close(r.error as number, node[n]?.error as number, `web vs node error[${n}]`));
  });
});
