import {
  AutoencoderDetector,
  createNodeBackend,
  ModelRegistry,
  type DetectorState,
  type InferenceBackend,
} from '../autoencoder/index.js';
import { buildWindow, stepGrid, type BaselineStats } from '../../signals/index.js';
import { MESH_END } from './learnMeshBaselines.js';
import { syntheticMesh } from './syntheticMesh.js';

export interface CycleMeasurement {
  readonly services: number;
  readonly signals: number;
  readonly steps: number;
  readonly cycles: number;
  /** Median over the timed cycles, milliseconds. */
  readonly cycleMs: number;
  /** Parts of the median cycle: raw points → aligned windows; baseline normalisation, states and scoring; ONNX inference. */
  readonly windowsMs: number;
  readonly normaliseAndScoreMs: number;
  readonly inferenceMs: number;
  readonly inferenceCalls: number;
  readonly states: Readonly<Record<DetectorState, number>>;
  readonly anomalous: number;
  /** Peak resident set of the whole process, MiB (includes the raw input held in memory). */
  readonly peakRssMb: number;
}

export interface MeasureCycleOptions {
  modelDir: string;
  /** Per-service baselines learned beforehand (see learnMeshBaselines); the sidecar keeps these between cycles. */
  learned: ReadonlyMap<string, Record<string, BaselineStats>>;
  now: () => number;
  /** Timed cycles after one untimed warm-up cycle. */
  cycles?: number;
  seed?: number;
}

/** Adds up the time spent inside inference calls, to split a cycle into its parts. */
function timedBackend(
  inner: InferenceBackend,
  now: () => number,
  spent: { ms: number; calls: number }
): InferenceBackend {
  return {
    name: inner.name,
    async createSession(model) {
      const session = await inner.createSession(model);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        async run(name, input, dims, out) {
          const t0 = now();
          try {
            return await session.run(name, input, dims, out);
          } finally {
            spent.ms += now() - t0;
            spent.calls += 1;
          }
        },
        release: () => session.release(),
      };
    },
  };
}

/**
 * One detection cycle as the sidecar runs it, for `services` synthetic services: align every
 * signal's raw points onto the step grid, classify and normalise each window, run the batched
 * inference and score. The data is generated before timing starts; the cycle is repeated and
 * the median reported.
 */
export async function measureCycle(services: number, options: MeasureCycleOptions): Promise<CycleMeasurement> {
  const spent = { ms: 0, calls: 0 };
  const backend = timedBackend(createNodeBackend({ intraOpNumThreads: 1 }), options.now, spent);
  const registry = new ModelRegistry({ backend, scope: 'service' });
  const { manifest } = await registry.loadBase(options.modelDir);
  const steps = manifest.windowLength;
  const step = manifest.stepSeconds;
  const end = MESH_END;
  const seed = options.seed ?? 1;
  const grid = stepGrid(end - (steps - 1) * step, end, step);
  const { learned } = options;
  const mesh = syntheticMesh({ count: services, steps, stepSeconds: step, end, seed });
  const detector = new AutoencoderDetector({
    models: registry,
    clock: () => end,
    learnedBaselines: (entity) => learned.get(entity),
  });
  const windowOptions = {
    scope: 'service' as const,
    signals: manifest.signals,
    maxInterpolationSteps: manifest.maxGapSteps,
  };

  const cycles = options.cycles ?? 3;
  const runs: Array<{ total: number; windows: number; inference: number; calls: number }> = [];
  let last: Awaited<ReturnType<AutoencoderDetector['detect']>> = [];
  for (let c = 0; c <= cycles; c++) {
    spent.ms = 0;
    spent.calls = 0;
    // Windows are built batch by batch inside the cycle (detectMany), as the sidecar does; the
    // time spent building them is summed on the side to split the cycle into its parts.
    const t0 = options.now();
    let windowMs = 0;
    last = await detector.detectMany(mesh.length, (i) => {
      const w0 = options.now();
      const { entity, series } = mesh[i] as (typeof mesh)[number];
      const input = { entity, window: buildWindow(entity, series, grid, windowOptions) };
      windowMs += options.now() - w0;
      return input;
    });
    const t2 = options.now();
    const t1 = t0 + windowMs;
    if (c > 0) {
      runs.push({ total: t2 - t0, windows: t1 - t0, inference: spent.ms, calls: spent.calls });
    }
  }
  await registry.close();
  runs.sort((a, b) => a.total - b.total);
  const median = runs[Math.floor(runs.length / 2)] as (typeof runs)[number];
  const states: Record<DetectorState, number> = { ok: 0, warmup: 0, stale: 0, unknown: 0, fallback: 0 };
  for (const r of last) {
    states[r.state]++;
  }
  return {
    services,
    signals: manifest.signals.length,
    steps,
    cycles,
    cycleMs: median.total,
    windowsMs: median.windows,
    normaliseAndScoreMs: median.total - median.windows - median.inference,
    inferenceMs: median.inference,
    inferenceCalls: median.calls,
    states,
    anomalous: last.filter((r) => r.anomalous === true).length,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
