import { readFileSync } from 'fs';
import { join } from 'path';

import { parseModelSpec } from './parseModelSpec';
import { scoreWindow } from './scoreWindow';
import type { WindowExplanation } from './types';

const spec = parseModelSpec(
  JSON.parse(readFileSync(join(__dirname, '../../../../backend-sidecar/models/default/manifest.json'), 'utf8'))
);

function windowAtBaseline(service: string, offsetInScales = 0): WindowExplanation {
  const base = spec.baselines.perEntity[service] ?? spec.baselines.default;
  return {
    service,
    modelId: spec.modelId,
    signals: [...spec.signals],
    timestamps: Array.from({ length: 60 }, (_, i) => 1_700_000_000 + i * 60),
    raw: spec.signals.map((s) => Array.from({ length: 60 }, () => base[s]!.center + offsetInScales * base[s]!.scale)),
  };
}

describe('scoreWindow', () => {
  it('normalises with the entity baselines, runs the model and reduces the error as the manifest says', async () => {
    const seen: Float32Array[] = [];
    const zeros = async (input: Float32Array) => {
      seen.push(input);
      return new Float32Array(input.length);
    };
    const result = await scoreWindow(spec, windowAtBaseline('synthetic-01', 2), zeros);
    // every input cell is (center + 2 scale - center) / scale = 2
    expect(seen[0]!.every((v) => v === 2)).toBe(true);
    expect(result.baselineSource).toBe('model');
    // |2 - 0| / residual scale, averaged over signals
    const expected =
      spec.signals.reduce((sum, _, s) => sum + 2 / spec.error.residualScale![s]!, 0) / spec.signals.length;
    expect(result.error).toBeCloseTo(expected, 10);
    expect(result.score).toBe(1);
    expect(result.anomalous).toBe(expected > spec.calibration.threshold);
    expect(result.scoredFrom).toBe(45);
    expect(Object.values(result.contributions).reduce((a, b) => a + b, 0)).toBeCloseTo(1);
    expect(result.cellError[0]![0]).toBeCloseTo(2 / spec.error.residualScale![0]!);
  });

  it('scores a perfect reconstruction 0 with evenly spread contributions', async () => {
    const result = await scoreWindow(spec, windowAtBaseline('unseen-service'), async (input) => input.slice());
    expect(result).toMatchObject({ error: 0, score: 0, anomalous: false, baselineSource: 'pooled' });
    expect(result.contributions.latency_p95).toBeCloseTo(1 / 12);
  });

  it("uses the sidecar's learned baselines when it reports them", async () => {
    const window = windowAtBaseline('unseen-service');
    window.baselineSource = 'learned';
    window.baselines = { latency_p95: { center: 0, scale: 1 } };
    const seen: Float32Array[] = [];
    const result = await scoreWindow(spec, window, async (input) => {
      seen.push(input);
      return input.slice();
    });
    expect(result.baselineSource).toBe('learned');
    const row = spec.signals.indexOf('latency_p95');
    expect(seen[0]![row * 60]).toBeCloseTo(spec.baselines.default.latency_p95!.center, 6);
    expect(seen[0]![0]).toBe(0); // other signals: the pooled default, at its centre
  });

  it('clips normalised input to the manifest limit', async () => {
    const seen: Float32Array[] = [];
    await scoreWindow(spec, windowAtBaseline('synthetic-01', 50), async (input) => {
      seen.push(input);
      return input.slice();
    });
    expect(Math.max(...seen[0]!)).toBe(10);
  });

  it('refuses windows with missing values or other signals, saying what to do', async () => {
    const gappy = windowAtBaseline('synthetic-01');
    gappy.raw[3]![10] = null;
    await expect(scoreWindow(spec, gappy, async (i) => i)).rejects.toThrow(
      'latency_p95 has no value at step 11 of 60: the model scores complete windows only; pick another time'
    );
    const reordered = windowAtBaseline('synthetic-01');
    reordered.signals = [...reordered.signals].reverse();
    await expect(scoreWindow(spec, reordered, async (i) => i)).rejects.toThrow(/are not the model's/);
  });
});
