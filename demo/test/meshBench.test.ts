import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addedLatencyMs,
  drawConfiguredLatencyMs,
  NEGLIGIBLE_MS,
  quantileOfSorted,
  simulateConfiguredLatencies,
  withoutServiceTime,
} from '../bench/configuredLatency.js';
import { LOOP_DELAY_RESOLUTION_MS, loopDelayMs } from '../bench/protocol.js';
import {
  bracket,
  judgeStep,
  nextRate,
  p99LimitMs,
  roundRate,
  sustainedRate,
  type SearchOptions,
  type StepMeasurement,
  type TriedRate,
} from '../bench/rateSearch.js';
import { createRandom } from '../src/random.js';
import { parseTopology } from '../src/topology/loadTopology.js';

const clean: StepMeasurement = {
  offeredRps: 40,
  durationSeconds: 10,
  arrivals: 400,
  sent: 400,
  ok: 400,
  errors: 0,
  dropped: 0,
  abandoned: 0,
  p99Ms: 50,
};

describe('judgeStep', () => {
  it('passes a step where everything offered was answered ok with a flat p99', () => {
    assert.deepEqual(judgeStep(clean, 45), { keptUp: true, reasons: [] });
  });

  it('fails on drops at the in-flight limit, even when what was sent came back ok', () => {
    const v = judgeStep({ ...clean, arrivals: 500, dropped: 100 }, 45);
    assert.equal(v.keptUp, false);
    assert.ok(
      v.reasons.some((r) => r.includes('dropped')),
      v.reasons.join('; ')
    );
  });

  it('fails on errors, and counts abandoned requests as errors', () => {
    assert.equal(judgeStep({ ...clean, ok: 390, errors: 10 }, 45).keptUp, false);
    const abandoned = judgeStep({ ...clean, ok: 396, abandoned: 4 }, 45);
    assert.equal(abandoned.keptUp, false);
    assert.ok(
      abandoned.reasons.some((r) => r.includes('unanswered')),
      abandoned.reasons.join('; ')
    );
  });

  it('tolerates a single error in 400 (0.25 %) but not three (0.75 %)', () => {
    assert.equal(judgeStep({ ...clean, ok: 399, errors: 1 }, 45).keptUp, true);
    assert.equal(judgeStep({ ...clean, ok: 397, errors: 3 }, 45).keptUp, false);
  });

  it('fails when p99 exceeds the limit derived from the baseline, and passes at the limit', () => {
    const limit = p99LimitMs(45);
    assert.equal(judgeStep({ ...clean, p99Ms: limit }, 45).keptUp, true);
    const v = judgeStep({ ...clean, p99Ms: limit + 0.1 }, 45);
    assert.equal(v.keptUp, false);
    assert.ok(v.reasons[0]!.startsWith('p99'), v.reasons.join('; '));
  });

  it('does not judge the p99 of the baseline step itself, but does judge its counts', () => {
    assert.equal(judgeStep({ ...clean, p99Ms: 5000 }, undefined).keptUp, true);
    assert.equal(judgeStep({ ...clean, ok: 300, dropped: 100, sent: 300 }, undefined).keptUp, false);
  });

  it('fails a step with no arrivals or no latency at all', () => {
    assert.equal(judgeStep({ ...clean, arrivals: 0, sent: 0, ok: 0 }, 45).keptUp, false);
    assert.equal(judgeStep({ ...clean, p99Ms: NaN }, 45).keptUp, false);
  });
});

describe('p99LimitMs', () => {
  it('uses the absolute slack for fast baselines and the factor for slow ones', () => {
    assert.equal(p99LimitMs(5), 30);
    assert.equal(p99LimitMs(100), 300);
  });
});

const search: SearchOptions = { startRps: 40, growth: 2, resolution: 0.15, maxSteps: 7, minRps: 1 };

/** Runs the search against a mesh that keeps up exactly up to `capacity` rps. */
function runSearch(capacity: number, o: SearchOptions = search): TriedRate[] {
  const tried: TriedRate[] = [];
  // The bound only guards the test against a search that never stops; nextRate must stop first.
  for (let i = 0; i < 100; i++) {
    const rps = nextRate(tried, o);
    if (rps === undefined) {
      return tried;
    }
    tried.push({ rps, keptUp: rps <= capacity });
  }
  assert.fail('the search did not stop by itself');
}

describe('nextRate', () => {
  it('starts at the start rate and grows while every step keeps up', () => {
    assert.equal(nextRate([], search), 40);
    assert.equal(nextRate([{ rps: 40, keptUp: true }], search), 80);
    assert.equal(
      nextRate(
        [
          { rps: 40, keptUp: true },
          { rps: 80, keptUp: true },
        ],
        search
      ),
      160
    );
  });

  it('bisects geometrically between the highest pass and the lowest failure', () => {
    const tried = [
      { rps: 40, keptUp: true },
      { rps: 80, keptUp: true },
      { rps: 160, keptUp: true },
      { rps: 320, keptUp: false },
    ];
    // √(160 · 320) = 226 → 230 at two significant digits.
    assert.equal(nextRate(tried, search), 230);
    assert.equal(nextRate([...tried, { rps: 230, keptUp: false }], search), 190);
  });

  it('stops once the failing rate is within the resolution of the sustained one', () => {
    const tried = [
      { rps: 160, keptUp: true },
      { rps: 180, keptUp: false },
    ];
    assert.equal(nextRate(tried, search), undefined);
    assert.equal(nextRate(tried, { ...search, resolution: 0.05 }), 170);
  });

  it('goes down below a failed start and gives up under the minimum rate', () => {
    assert.equal(nextRate([{ rps: 40, keptUp: false }], search), 20);
    const o = { ...search, startRps: 2, minRps: 1 };
    assert.equal(nextRate([{ rps: 2, keptUp: false }], o), 1);
    assert.equal(
      nextRate(
        [
          { rps: 2, keptUp: false },
          { rps: 1, keptUp: false },
        ],
        o
      ),
      undefined
    );
  });

  it('never takes more than maxSteps steps, even while every step keeps up', () => {
    const tried = runSearch(Infinity, { ...search, maxSteps: 4 });
    assert.deepEqual(
      tried.map((t) => t.rps),
      [40, 80, 160, 320]
    );
  });

  it('finds the capacity within the resolution and never above it', () => {
    for (const capacity of [12, 55, 97, 160, 215, 700]) {
      const tried = runSearch(capacity, { ...search, maxSteps: 12 });
      const sustained = sustainedRate(tried);
      assert.ok(sustained <= capacity, `capacity ${capacity}: reported ${sustained}`);
      // Two-significant-digit rounding can stop the bisection a rounding step short of the resolution.
      assert.ok(sustained >= capacity / 1.25, `capacity ${capacity}: reported only ${sustained}`);
    }
  });

  it('reports a lower bound when the steps run out before anything failed', () => {
    const tried = runSearch(Infinity, { ...search, maxSteps: 3 });
    assert.equal(sustainedRate(tried), 160);
    assert.ok(tried.every((t) => t.keptUp));
  });
});

describe('bracket and sustainedRate', () => {
  it('ignores a pass above a failure, so noise never raises the answer', () => {
    const tried = [
      { rps: 40, keptUp: true },
      { rps: 80, keptUp: false },
      { rps: 160, keptUp: true },
    ];
    assert.deepEqual(bracket(tried), { lo: 40, hi: 80 });
    assert.equal(sustainedRate(tried), 40);
  });

  it('is 0 when nothing kept up', () => {
    assert.equal(sustainedRate([{ rps: 40, keptUp: false }]), 0);
    assert.equal(sustainedRate([]), 0);
  });
});

describe('roundRate', () => {
  it('keeps two significant digits and at least 1', () => {
    assert.equal(roundRate(226.3), 230);
    assert.equal(roundRate(14.14), 14);
    assert.equal(roundRate(7.6), 8);
    assert.equal(roundRate(0.3), 1);
    assert.equal(roundRate(1234), 1200);
  });
});

/**
 * Latencies with median = p99 are exact (σ = 0), so the configured latency of a path is a sum
 * and max of known numbers. entry.seq calls a (5 ms) then b (7 ms, calling c 3 ms); entry.par
 * calls them in parallel; entry.never calls a with probability 0; b burns 9 ms of CPU per request
 * in a later variant.
 */
const MODEL_YAML = `
name: model
defaults: { latency: { medianMs: 1, p99Ms: 1 }, cpuMsPerRequest: 0, memoryBytes: 0 }
services:
  entry:
    latency: { medianMs: 2, p99Ms: 2 }
    endpoints:
      seq: { calls: [ { service: a, endpoint: get }, { service: b, endpoint: get } ] }
      par: { parallel: true, calls: [ { service: a, endpoint: get }, { service: b, endpoint: get } ] }
      never: { calls: [ { service: a, endpoint: get, probability: 0 } ] }
      half: { calls: [ { service: a, endpoint: get, probability: 0.5 } ] }
  a: { latency: { medianMs: 5, p99Ms: 5 }, endpoints: { get: {} } }
  b:
    latency: { medianMs: 4, p99Ms: 4 }
    cpuMsPerRequest: 0.5
    errorRate: 0.2
    endpoints: { get: { calls: [ { service: c, endpoint: get } ] } }
  c: { latency: { medianMs: 3, p99Ms: 3 }, endpoints: { get: {} } }
entrypoints:
  - { service: entry, endpoint: seq, weight: 3 }
  - { service: entry, endpoint: par, weight: 1 }
`;

describe('configured latency model', () => {
  const topology = parseTopology(MODEL_YAML, 'model.yaml');
  const draw = (endpoint: string): number => drawConfiguredLatencyMs(topology, 'entry', endpoint, createRandom(1));

  it('sums sequential calls along the path and takes the slowest of parallel ones', () => {
    // entry 2 + a 5 + (b 4 + c 3)
    assert.equal(draw('seq'), 14);
    // entry 2 + max(a 5, b 4 + c 3)
    assert.equal(draw('par'), 9);
  });

  it('skips calls that are not made and makes the others with their probability', () => {
    assert.equal(draw('never'), 2);
    const random = createRandom(3);
    let sum = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      sum += drawConfiguredLatencyMs(topology, 'entry', 'half', random);
    }
    // 2 + 0.5 · 5 = 4.5; the mean of 4000 coin flips is within ±0.15 ms with overwhelming odds.
    assert.ok(Math.abs(sum / n - 4.5) < 0.15, `mean ${sum / n}`);
  });

  it('counts a CPU burn longer than the latency as the service time, as the mesh does', () => {
    const slowCpu = parseTopology(MODEL_YAML.replace('cpuMsPerRequest: 0.5', 'cpuMsPerRequest: 9'), 'model.yaml');
    assert.equal(drawConfiguredLatencyMs(slowCpu, 'entry', 'seq', createRandom(1)), 2 + 5 + 9 + 3);
  });

  it('draws the request mix by weight and returns sorted samples', () => {
    const samples = simulateConfiguredLatencies(topology, topology.entrypoints, 4000, 5);
    assert.ok(samples.every((v, i) => i === 0 || samples[i - 1]! <= v));
    const seqShare = samples.filter((v) => v === 14).length / samples.length;
    assert.ok(Math.abs(seqShare - 0.75) < 0.03, `seq share ${seqShare}`);
    assert.equal(quantileOfSorted(samples, 0.5), 14);
    assert.equal(quantileOfSorted(samples, 0.1), 9);
  });

  it('is the same for the same seed', () => {
    const real = parseTopology(MODEL_YAML.replaceAll('p99Ms: 5', 'p99Ms: 50'), 'model.yaml');
    assert.deepEqual(
      simulateConfiguredLatencies(real, real.entrypoints, 200, 9),
      simulateConfiguredLatencies(real, real.entrypoints, 200, 9)
    );
  });
});

describe('withoutServiceTime', () => {
  const topology = parseTopology(MODEL_YAML, 'model.yaml');
  const bare = withoutServiceTime(topology);

  it('keeps the call graph, payloads and memory but leaves no latency, CPU or errors', () => {
    assert.deepEqual([...bare.services.keys()], [...topology.services.keys()]);
    for (const [name, spec] of bare.services) {
      const original = topology.services.get(name)!;
      assert.deepEqual(spec.endpoints, original.endpoints);
      assert.equal(spec.payloadBytes, original.payloadBytes);
      assert.equal(spec.memoryBytes, original.memoryBytes);
      assert.deepEqual(spec.latency, { medianMs: NEGLIGIBLE_MS, p99Ms: NEGLIGIBLE_MS });
      assert.equal(spec.cpuMsPerRequest, 0);
      assert.equal(spec.errorRate, 0);
    }
    assert.deepEqual(bare.entrypoints, topology.entrypoints);
  });

  it('leaves the original topology unchanged', () => {
    assert.equal(topology.services.get('b')!.cpuMsPerRequest, 0.5);
    assert.equal(topology.services.get('b')!.errorRate, 0.2);
    assert.deepEqual(topology.services.get('a')!.latency, { medianMs: 5, p99Ms: 5 });
  });

  it('has a configured latency of ~0, so what is measured on it is what the mesh adds', () => {
    const samples = simulateConfiguredLatencies(bare, bare.entrypoints, 500, 1);
    assert.ok(quantileOfSorted(samples, 1) < 1e-4, `max ${quantileOfSorted(samples, 1)}`);
  });
});

describe('quantileOfSorted and addedLatencyMs', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the nearest rank, like the load generator', () => {
    assert.equal(quantileOfSorted(values, 0.99), 99);
    assert.equal(quantileOfSorted(values, 0.5), 50);
    assert.equal(quantileOfSorted(values, 1), 100);
    assert.equal(quantileOfSorted(values, 0), 1);
    assert.ok(Number.isNaN(quantileOfSorted([], 0.99)));
  });

  it('is measured minus configured, NaN when either is unknown', () => {
    assert.equal(addedLatencyMs(57.5, 42), 15.5);
    assert.equal(addedLatencyMs(40, 42), -2);
    assert.ok(Number.isNaN(addedLatencyMs(NaN, 42)));
    assert.ok(Number.isNaN(addedLatencyMs(50, NaN)));
  });
});

describe('loopDelayMs', () => {
  it('takes the sampling interval off and never goes below 0', () => {
    assert.equal(loopDelayMs((LOOP_DELAY_RESOLUTION_MS + 2.5) * 1e6), 2.5);
    assert.equal(loopDelayMs((LOOP_DELAY_RESOLUTION_MS - 0.3) * 1e6), 0);
  });
});
