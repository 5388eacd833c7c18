import { readFileSync } from 'fs';
import { join } from 'path';

import { parseModelSpec } from './parseModelSpec';

const manifest = () =>
  JSON.parse(readFileSync(join(__dirname, '../../../../backend-sidecar/models/default/manifest.json'), 'utf8'));

describe('parseModelSpec', () => {
  it('reads the shipped default model', () => {
    const spec = parseModelSpec(manifest());
    expect(spec).toMatchObject({
      modelId: 'seismo-default-synthetic-v2',
      inputName: 'windows',
      outputName: 'reconstruction',
      windowLength: 60,
      stepSeconds: 15,
      clip: 10,
    });
    expect(spec.signals).toHaveLength(12);
    expect(spec.error.reduction).toBe('mean_absolute_scaled_residual');
    expect(spec.error.steps).toBe(15);
    expect(spec.error.residualScale).toHaveLength(12);
    expect(spec.baselines.perEntity['synthetic-01']!.latency_p95!.scale).toBeGreaterThan(0);
  });

  it.each([
    ['input.shape', (m: any) => (m.input.shape = [-1, 11, 60])],
    ['calibration.quantiles', (m: any) => (m.calibration.quantiles = [2, 1, 3])],
    ['error.reduction', (m: any) => (m.error.reduction = 'median')],
    ['error.steps', (m: any) => (m.error.steps = 61)],
    ['normalisation.default.cpu_usage', (m: any) => (m.normalisation.default.cpu_usage.scale = 0)],
    ['error.residual_scale.latency_p95', (m: any) => delete m.error.residual_scale.latency_p95],
  ])('names the field of a problem: %s', (field, spoil) => {
    const m = manifest();
    spoil(m);
    expect(() => parseModelSpec(m)).toThrow(`model manifest ${field}:`);
  });
});
