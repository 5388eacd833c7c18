import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  AutoencoderDetector,
  calibratedScore,
  createNodeBackend,
  loadModel,
  ModelRegistry,
  reconstructionErrors,
  type CalibrationSpec,
} from '../src/detectors/autoencoder/index.js';
import { syntheticMesh } from '../src/detectors/bench/syntheticMesh.js';
import { buildWindow, CANONICAL_SIGNALS, learnBaselines, stepGrid } from '../src/signals/index.js';

const DEFAULT_MODEL = new URL('../models/default/', import.meta.url).pathname;

describe('reconstructionErrors', () => {
  // Two windows × 2 signals × 4 steps; input zeros, reconstruction chosen by hand.
  const input = new Float32Array(16);
  const recon = Float32Array.from([9, 9, 1, -1, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]);

  it('squared error: mean over steps per signal, mean over signals per window', () => {
    const { errors, signalErrors } = reconstructionErrors(input, recon, 2, 2, 4, {
      reduction: 'mean_squared_error_over_signals_and_steps',
      steps: 4,
      residualScale: null,
    });
    assert.deepEqual([...signalErrors], [(81 + 81 + 1 + 1) / 4, 9 / 4, 0, 0]);
    assert.deepEqual([...errors], [(41 + 2.25) / 2, 0]);
  });

  it('scaled residual: only the newest steps count, each signal divided by its typical residual', () => {
    const { errors, signalErrors } = reconstructionErrors(input, recon, 2, 2, 4, {
      reduction: 'mean_absolute_scaled_residual',
      steps: 2,
      residualScale: Float64Array.from([0.5, 2]),
    });
    assert.deepEqual([...signalErrors], [2, 0.75, 0, 0]);
    assert.deepEqual([...errors], [1.375, 0]);
  });
});

describe('calibratedScore', () => {
  const calibration: CalibrationSpec = {
    levels: Float64Array.from([0, 0.5, 1]),
    quantiles: Float64Array.from([1, 2, 4]),
    threshold: 5,
    thresholdScore: 1,
  };
  it('interpolates linearly between calibration quantiles and clamps to [0, 1]', () => {
    assert.equal(calibratedScore(0, calibration), 0);
    assert.equal(calibratedScore(1, calibration), 0);
    assert.equal(calibratedScore(1.5, calibration), 0.25);
    assert.equal(calibratedScore(3, calibration), 0.75);
    assert.equal(calibratedScore(4, calibration), 1);
    assert.equal(calibratedScore(100, calibration), 1);
  });
});

describe('the shipped default model', () => {
  it('takes the 12 canonical service signals, 60 steps of 15 s (the default config), and says it is synthetic', async () => {
    const model = await loadModel(DEFAULT_MODEL, {
      backend: createNodeBackend(),
      scope: 'service',
      expect: { signals: Object.keys(CANONICAL_SIGNALS.service), windowLength: 60, stepSeconds: 15 },
    });
    await model.session.release();
    assert.equal(model.manifest.dataSource, 'synthetic');
    assert.match(
      String((model.manifest.raw.training as { data_source: { note: string } }).data_source.note),
      /real mesh data/
    );
    assert.equal(model.manifest.error.reduction, 'mean_absolute_scaled_residual');
    assert.equal(model.manifest.error.steps, 15);
  });

  it('scores unseen services with their learned baselines: normal traffic is not flagged, a latency shift is', async () => {
    const registry = new ModelRegistry({ backend: createNodeBackend(), scope: 'service' });
    const { manifest } = await registry.loadBase(DEFAULT_MODEL);
    const end = 1_700_000_040;
    const grid = stepGrid(end - 59 * 15, end, 15);
    const history = syntheticMesh({ count: 6, steps: 144, stepSeconds: 600, end: grid.start - 600, seed: 3 });
    const { baselines } = learnBaselines(
      Object.fromEntries(
        history.map(({ entity, series }) => [
          entity,
          Object.fromEntries(Object.entries(series).map(([s, p]) => [s, p.map((x) => Number(x[1]))])),
        ])
      ),
      { scope: 'service' }
    );
    const detector = new AutoencoderDetector({
      models: registry,
      clock: () => end,
      learnedBaselines: (e) => baselines[e],
    });
    const mesh = syntheticMesh({ count: 6, steps: 60, stepSeconds: 15, end, seed: 3 });
    // The last service's p95 and p99 latency triple for the last ten steps (two and a half minutes).
    const broken = mesh[5]!;
    for (const signal of ['latency_p95', 'latency_p99']) {
      broken.series[signal]!.forEach((point, t) => {
        if (t >= 50) {
          (point as [number, number])[1] = Number(point[1]) * 3;
        }
      });
    }
    const results = await detector.detectMany(mesh.length, (i) => ({
      entity: mesh[i]!.entity,
      window: buildWindow(mesh[i]!.entity, mesh[i]!.series, grid, { scope: 'service', signals: manifest.signals }),
    }));
    for (const r of results.slice(0, 5)) {
      assert.equal(r.state, 'ok');
      assert.equal(r.baselineSource, 'learned');
      assert.equal(r.anomalous, false, `${r.entity} error ${r.error}`);
    }
    const shifted = results[5]!;
    assert.equal(shifted.anomalous, true);
    // A deviation this large also distorts the reconstruction of correlated signals (request
    // rate drives latency in this data), so the shares spread; the shifted signals stay near the top.
    const ranked = Object.entries(shifted.contributions ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([signal]) => signal);
    assert.ok(ranked.indexOf('latency_p95') < 4 && ranked.indexOf('latency_p99') < 4, ranked.join(', '));
    await registry.close();
  });

  it('falls back to the pooled default statistics for unseen services without learned baselines', async () => {
    const registry = new ModelRegistry({ backend: createNodeBackend(), scope: 'service' });
    const { manifest } = await registry.loadBase(DEFAULT_MODEL);
    const end = 1_700_000_040;
    const grid = stepGrid(end - 59 * 15, end, 15);
    const [service] = syntheticMesh({ count: 1, steps: 60, stepSeconds: 15, end, seed: 3 });
    const detector = new AutoencoderDetector({ models: registry, clock: () => end });
    const [r] = await detector.detect([
      {
        entity: service!.entity,
        window: buildWindow(service!.entity, service!.series, grid, { scope: 'service', signals: manifest.signals }),
      },
    ]);
    assert.equal(r?.baselineSource, 'pooled');
    await registry.close();
  });
});
