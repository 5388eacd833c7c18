/**
 * The window inspector's scoring arithmetic (src/panels/forecast/inspector) against the sidecar's
 * own modules, on many random inputs: normalisation, error reduction and calibration must agree
 * exactly, so the browser's score differs from the sidecar's only by the inference engines.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { calibratedScore as sidecarCalibratedScore } from '../../backend-sidecar/src/detectors/autoencoder/calibratedScore.js';
import { parseManifest } from '../../backend-sidecar/src/detectors/autoencoder/parseManifest.js';
import { reconstructionErrors as sidecarErrors } from '../../backend-sidecar/src/detectors/autoencoder/reconstructionErrors.js';
import { normaliseWindow as sidecarNormalise, type SignalWindow } from '../../backend-sidecar/src/signals/index.js';
import { calibratedScore } from '../../src/panels/forecast/inspector/calibratedScore.js';
import { normaliseWindow } from '../../src/panels/forecast/inspector/normaliseWindow.js';
import { parseModelSpec } from '../../src/panels/forecast/inspector/parseModelSpec.js';
import { reconstructionErrors } from '../../src/panels/forecast/inspector/reconstructionErrors.js';
import { selectBaselines } from '../../src/panels/forecast/inspector/selectBaselines.js';
import { DEFAULT_MODEL_DIR } from './support/scoreWithSidecar.js';

const json = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'manifest.json'), 'utf8'));
const sidecar = parseManifest(json, { scope: 'service' });
const browser = parseModelSpec(json);

let state = 42;
const random = () => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state / 2147483648;
};

test('the manifest is read into the same numbers', () => {
  assert.deepEqual(browser.signals, sidecar.signals);
  assert.equal(browser.clip, sidecar.clip);
  assert.deepEqual(Array.from(browser.calibration.quantiles), Array.from(sidecar.calibration.quantiles));
  assert.deepEqual(Array.from(browser.calibration.levels), Array.from(sidecar.calibration.levels));
  assert.equal(browser.calibration.threshold, sidecar.calibration.threshold);
  assert.deepEqual(Array.from(browser.error.residualScale!), Array.from(sidecar.error.residualScale!));
  assert.equal(browser.error.steps, sidecar.error.steps);
});

test('normalisation gives bit-identical float32 model input', () => {
  for (const entity of ['synthetic-03', 'an-unseen-service']) {
    const steps = browser.windowLength;
    const raw = browser.signals.map((s) => {
      const base = sidecar.baselines.default[s]!;
      return Array.from({ length: steps }, () => base.center + (random() - 0.5) * 30 * base.scale);
    });
    const window = { entity, signals: browser.signals, values: raw } as unknown as SignalWindow;
    const expected = sidecarNormalise(window, sidecar.baselines, { clip: sidecar.clip }).z;
    const actual = normaliseWindow(raw, selectBaselines(browser, { service: entity }).stats, browser.clip);
    assert.deepEqual(Float32Array.from(actual.flat()), Float32Array.from(expected.flat()), entity);
  }
});

test('error reduction agrees for both reductions', () => {
  const signals = browser.signals.length;
  const steps = browser.windowLength;
  for (let round = 0; round < 20; round++) {
    const input = Float32Array.from({ length: signals * steps }, () => (random() - 0.5) * 6);
    const output = Float32Array.from(input, (v) => v + (random() - 0.5) * random() * 4);
    for (const spec of [
      browser.error,
      { reduction: 'mean_squared_error_over_signals_and_steps' as const, steps, residualScale: null },
    ]) {
      const mine = reconstructionErrors(input, output, 1, signals, steps, spec);
      const theirs = sidecarErrors(input, output, 1, signals, steps, spec);
      assert.deepEqual(Array.from(mine.errors), Array.from(theirs.errors));
      assert.deepEqual(Array.from(mine.signalErrors), Array.from(theirs.signalErrors));
    }
  }
});

test('calibration agrees across the whole range', () => {
  const q = browser.calibration.quantiles;
  const span = q[q.length - 1]! - q[0]!;
  for (let i = 0; i <= 2000; i++) {
    const error = q[0]! - 0.1 * span + (i / 2000) * 1.2 * span;
    assert.equal(
      calibratedScore(error, browser.calibration),
      sidecarCalibratedScore(error, sidecar.calibration),
      String(error)
    );
  }
});
