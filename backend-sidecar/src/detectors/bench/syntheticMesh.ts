import { CANONICAL_SIGNALS, type RawPoint } from '../../signals/index.js';

export interface SyntheticService {
  readonly entity: string;
  /** Raw samples per canonical signal, as a PromQL range query would return them. */
  readonly series: Readonly<Record<string, RawPoint[]>>;
}

/** Small seeded generator (mulberry32): the same seed gives the same mesh on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SyntheticMeshOptions {
  /** Index of the first service (services are numbered from 0); lets callers generate in chunks. */
  from?: number;
  count: number;
  steps: number;
  stepSeconds: number;
  /** Unix seconds of the newest step. */
  end: number;
  seed: number;
}

/** The twelve service signals of the default model, in canonical order. */
export const SYNTHETIC_SERVICE_SIGNALS: readonly string[] = Object.keys(CANONICAL_SIGNALS.service);

/**
 * Telemetry of synthetic services over the `steps` steps ending at `end`: the sidecar's 12
 * canonical signals driven by one daily load curve per service, shaped like the data the
 * default model was trained on. A service's traits (traffic level, fan-out, footprint) depend
 * only on the seed and its index, so its history and its current window come from the same
 * service; the noise depends on `end` too.
 */
export function syntheticMesh(options: SyntheticMeshOptions): SyntheticService[] {
  const { steps, stepSeconds, end, seed } = options;
  const from = options.from ?? 0;
  // Curves run on minutes, not steps, so a coarse history (e.g. 10-minute samples for learning
  // baselines) and the 1-minute window describe the same service.
  const day = 1440;
  const out: SyntheticService[] = [];
  for (let i = from; i < from + options.count; i++) {
    const rand = random(Math.imul(seed + 1, 0x9e3779b1) ^ i);
    const jitter = random(Math.imul(i + 1, 0x85ebca6b) ^ Math.imul(seed + 1, 0xc2b2ae35) ^ end);
    const noise = (sd: number): number => sd * (jitter() + jitter() + jitter() - 1.5) * 2;
    const level = 0.3 + 2.7 * rand();
    const fanout = 2.5 * rand();
    const phase = 2 * Math.PI * rand();
    const baseLatency = 0.01 + 0.05 * rand();
    const memory = 1.5e8 + 1.05e9 * rand();
    const bytesIn = 800 + 2200 * rand();
    const bytesOut = 2000 + 18000 * rand();
    const names = SYNTHETIC_SERVICE_SIGNALS;
    const series: Record<string, RawPoint[]> = Object.fromEntries(names.map((n) => [n, [] as RawPoint[]]));
    for (let t = 0; t < steps; t++) {
      const ts = end - (steps - 1 - t) * stepSeconds;
      const k = ts / 60;
      const load =
        level * (100 + 40 * Math.sin((2 * Math.PI * k) / day + phase) + 8 * Math.sin((2 * Math.PI * k) / 41));
      const rate = Math.max(0, load * (1 + noise(0.03)));
      const p50 = baseLatency * (1 + (0.002 * load) / level) * (1 + noise(0.03));
      const p95 = p50 * 2.4 * (1 + noise(0.04));
      const values = [
        rate,
        Math.max(0, 0.002 + noise(0.0006)),
        p50,
        p95,
        p95 * 1.5 * (1 + noise(0.05)),
        Math.max(0, fanout * rate * (1 + noise(0.03))),
        Math.max(0, 0.003 + noise(0.0008)),
        (0.5 * baseLatency + (0.0001 * load) / level) * (1 + noise(0.05)),
        (0.05 + 0.003 * rate) * (1 + noise(0.04)),
        memory * (1 + 0.05 * Math.sin((2 * Math.PI * k) / day + phase)) * (1 + noise(0.005)),
        rate * bytesIn * (1 + noise(0.04)),
        rate * bytesOut * (1 + noise(0.04)),
      ];
      names.forEach((n, s) => (series[n] as RawPoint[]).push([ts, values[s] as number]));
    }
    out.push({ entity: `svc-${String(i + 1).padStart(5, '0')}`, series });
  }
  return out;
}
