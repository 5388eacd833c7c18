import { manifest } from '../testing/fixtures';
import { describeManifest } from './describeManifest';

describe('describeManifest', () => {
  const described = describeManifest(manifest);
  const value = (facts: Array<{ label: string; value: string }>, label: string) =>
    facts.find((fact) => fact.label === label)?.value;

  it('states the calibration: where the threshold sits and how it was derived', () => {
    expect(value(described.calibration, 'Calibration windows')).toBe('1770');
    expect(value(described.calibration, 'Threshold (raw error)')).toBe('1.7822');
    expect(value(described.calibration, 'Threshold rule')).toBe(
      'Q(quantile) + margin * (Q(quantile) - Q(0.5)) (quantile 0.995, margin 1)'
    );
  });

  it('states the training provenance', () => {
    expect(value(described.provenance, 'Data source')).toBe('synthetic: synthetic service-mesh telemetry');
    expect(value(described.provenance, 'Training period')).toBe('2023-11-14T22:13:20Z to 2023-11-17T22:12:20Z');
    expect(value(described.provenance, 'Code revision')).toBe('87490b93bea1a89e44aaada33de73b496589c0c7');
    expect(value(described.provenance, 'Base model')).toBeUndefined();
  });

  it('leaves out what the manifest does not record', () => {
    expect(describeManifest({})).toEqual({ model: [], calibration: [], provenance: [] });
    expect(value(described.model, 'Window')).toBe('60 steps of 60 s');
  });
});
