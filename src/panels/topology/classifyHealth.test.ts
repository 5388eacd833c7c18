import { classifyHealth } from './classifyHealth';

const data = { thresholdSource: 'data' as const, anomalyThreshold: 0.99, warningThreshold: 0.95 };
const panel = { ...data, thresholdSource: 'panel' as const };

describe('classifyHealth', () => {
  it('never calls a service without a verdict healthy', () => {
    for (const state of ['warmup', 'stale', 'unknown'] as const) {
      expect(classifyHealth({ state, score: 0.1, anomalous: false }, data)).toBe(state);
    }
    expect(classifyHealth({ state: 'fallback', score: null, anomalous: null }, data)).toBe('fallback');
    expect(classifyHealth({ state: 'ok', score: null, anomalous: null }, data)).toBe('unknown');
  });

  it("follows the detector's verdict and threshold by default", () => {
    expect(classifyHealth({ state: 'ok', score: 0.5, anomalous: true }, data)).toBe('anomalous');
    expect(classifyHealth({ state: 'ok', score: 0.97, anomalous: null, threshold: 0.96 }, data)).toBe('anomalous');
    expect(classifyHealth({ state: 'ok', score: 0.995, anomalous: false }, data)).toBe('elevated');
    expect(classifyHealth({ state: 'ok', score: 0.2, anomalous: false }, data)).toBe('healthy');
  });

  it('applies the panel thresholds to the score when asked', () => {
    expect(classifyHealth({ state: 'ok', score: 0.5, anomalous: true }, panel)).toBe('healthy');
    expect(classifyHealth({ state: 'ok', score: 0.96, anomalous: false }, panel)).toBe('elevated');
    expect(classifyHealth({ state: 'ok', score: 0.99, anomalous: false }, panel)).toBe('anomalous');
  });

  it('lets a fallback score flag an anomaly but never call the service healthy', () => {
    expect(classifyHealth({ state: 'fallback', score: 0.999, anomalous: true }, data)).toBe('anomalous');
    expect(classifyHealth({ state: 'fallback', score: 0.3, anomalous: false }, data)).toBe('fallback');
    expect(classifyHealth({ state: 'fallback', score: 0.3, anomalous: false }, panel)).toBe('fallback');
  });
});
