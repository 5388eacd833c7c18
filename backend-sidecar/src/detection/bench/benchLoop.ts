/**
 * Cost of the detection loop on a synthetic mesh: cycle time per phase and the process's memory
 * after the detectors are warm, for N services each calling two others (2N edges), with the
 * default detection settings (univariate detectors on every edge and, since the shipped model
 * has 60-s steps, on every service). Prometheus is an in-memory stand-in, so the numbers are the
 * sidecar's own work, not Prometheus'. Prints one JSON line.
 *
 *   node --expose-gc --import tsx src/detection/bench/benchLoop.ts [services] [cycles] [warmupSeconds] [on|off] [default|large-mesh]
 *
 * `on|off`: forecasts; `large-mesh`: univariate settings for thousands of services (LARGE_MESH).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Registry } from 'prom-client';

import { parsePreset } from '../../adapters/parsePreset.js';
import { ConfigStore } from '../../config/ConfigStore.js';
import { loadConfigText } from '../../config/loadConfigText.js';
import { loadAugurs } from '../../forecast/loadAugurs.js';
import type { MatrixSeries, PrometheusApi } from '../../prometheus/types.js';
import { DetectionService } from '../DetectionService.js';

const [servicesArg = '1000', cyclesArg = '5', warmupArg = '1800', forecastArg = 'on', profile = 'default'] =
  process.argv.slice(2);
/** Univariate settings for meshes of thousands of services: short windows, no seasonal history. */
const LARGE_MESH = `  univariate:\n    seasonal: false\n    window: 60\n    warmup: 20\n    calibrationWindow: 120\n    calibrationWarmup: 40\n    clearAfter: 12\n    adaptAfter: 30\n`;
const N = Number(servicesArg);
const CYCLES = Number(cyclesArg);
const WARMUP = Number(warmupArg);
const STEP = 15;

const PRESET = `source: bench
identity:
  query: max by (service, namespace) (bench_identity)
  service: service
  namespace: namespace
signals:
  service:
    request_rate: { query: 'sum by (service) (bench_svc_request_rate)' }
    error_ratio: { query: 'sum by (service) (bench_svc_error_ratio)' }
    latency_p95: { query: 'sum by (service) (bench_svc_latency_p95)' }
  edge:
    request_rate: { query: 'sum by (client, server) (bench_edge_request_rate)' }
    error_ratio: { query: 'sum by (client, server) (bench_edge_error_ratio)' }
    latency_p95: { query: 'sum by (client, server) (bench_edge_latency_p95)' }
`;

function value(metric: string, i: number, t: number): number {
  const n = Math.sin(i * 7.13 + t * 0.0137) * 0.5 + Math.sin(i * 1.7 + t * 0.0013) * 0.5;
  if (metric.endsWith('request_rate')) {
    return 50 + 10 * n;
  }
  if (metric.endsWith('error_ratio')) {
    return 0.01 + 0.002 * n;
  }
  return 0.1 + 0.01 * n;
}

const services = Array.from({ length: N }, (_, i) => `svc-${i}`);
const edges = services.flatMap((s, i) => [
  [s, services[(i + 1) % N] as string, i] as const,
  [s, services[(i + 7) % N] as string, i + N] as const,
]);

const prometheus: PrometheusApi = {
  async queryRange(promql, start, end, step) {
    const metric = /bench_[a-z0-9_]+/.exec(promql)?.[0] ?? '';
    const result: MatrixSeries[] = [];
    const grid: number[] = [];
    for (let t = start; t <= end; t += step) {
      grid.push(t);
    }
    if (metric.startsWith('bench_svc_')) {
      services.forEach((service, i) =>
        result.push({ metric: { service }, points: grid.map((t) => [t, value(metric, i, t)] as const) })
      );
    } else if (metric.startsWith('bench_edge_')) {
      for (const [client, server, i] of edges) {
        result.push({ metric: { client, server }, points: grid.map((t) => [t, value(metric, i, t)] as const) });
      }
    }
    return { resultType: 'matrix', result, warnings: [], chunks: 1 };
  },
  async query(promql, time) {
    if (promql.includes('bench_identity')) {
      return {
        resultType: 'vector',
        result: services.map((service) => ({ metric: { service, namespace: 'bench' }, time: time ?? 0, value: 1 })),
        warnings: [],
      };
    }
    return { resultType: 'vector', result: [], warnings: [] };
  },
};

const stateDir = mkdtempSync(join(tmpdir(), 'seismo-bench-loop-'));
// Simulated time: jumps to each timer, and runs at wall-clock speed in between, so phase
// timings and the refit budget see the real cost of the work.
let base = Math.floor(Date.now() / 1000 / STEP) * STEP * 1000 + 1000;
let realAtBase = performance.now();
const clock = (): number => base + (performance.now() - realAtBase);
const timers: Array<{ at: number; cb: () => void }> = [];
const text = `prometheus:\n  url: http://127.0.0.1:9\ntelemetry:\n  presets: [istio]\ndetection:\n  warmupHistorySeconds: ${WARMUP}\n${profile === 'large-mesh' ? LARGE_MESH : ''}forecast:\n  enabled: ${forecastArg === 'on'}\nstorage:\n  stateDir: ${stateDir}\nlog:\n  level: warn\n`;
const store = new ConfigStore(loadConfigText(text, join(stateDir, 'config.yaml'), { env: {} }));
const registry = new Registry();
let resolveCycle: (d: number) => void = () => undefined;
const service = new DetectionService({
  config: store,
  registry,
  health: { cycleCompleted: () => undefined, prometheusQuery: () => undefined, inference: () => undefined },
  logger: { info: () => undefined, warn: () => undefined, error: (o, m) => console.error(m, o) },
  clock,
  timers: {
    setTimeout: (cb, ms) => timers.push({ at: clock() + ms, cb }),
    clearTimeout: () => undefined,
  },
  createPrometheus: () => prometheus,
  resolvePresets: () => [parsePreset(PRESET, 'bench.yaml')],
  loadAugurs,
  onCycle: (r) => resolveCycle(r.durationSeconds),
});

function post(s: Session, method: string): Promise<unknown> {
  return new Promise((resolve, reject) => s.post(method, (error, result) => (error ? reject(error) : resolve(result))));
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const t0 = performance.now();
await service.start();
await service.ready;
const warmupSeconds = (performance.now() - t0) / 1000;
const profilePath = process.env['SEISMO_BENCH_CPU_PROFILE'];
const session = profilePath === undefined ? null : new Session();
if (session !== null) {
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
}
const durations: number[] = [];
let phases: Record<string, number> = {};
for (let c = 0; c < CYCLES; c++) {
  const timer = timers.shift();
  if (timer === undefined) {
    break;
  }
  base = timer.at;
  realAtBase = performance.now();
  const done = new Promise<number>((resolve) => (resolveCycle = resolve));
  const started = performance.now();
  timer.cb();
  await done;
  durations.push((performance.now() - started) / 1000);
  phases = { ...(service.latest()?.phases ?? {}) };
  await new Promise((resolve) => setImmediate(resolve));
}
if (session !== null && profilePath !== undefined) {
  const { profile } = (await post(session, 'Profiler.stop')) as { profile: unknown };
  writeFileSync(profilePath, JSON.stringify(profile));
  session.disconnect();
}
(globalThis as { gc?: () => void }).gc?.();
const memory = process.memoryUsage();
const latest = service.latest();
console.log(
  JSON.stringify({
    services: N,
    profile,
    forecasts: forecastArg,
    edges: edges.length,
    warmupHistorySeconds: WARMUP,
    warmupSeconds: Number(warmupSeconds.toFixed(2)),
    cycles: durations.length,
    cycleSeconds: {
      median: Number([...durations].sort((a, b) => a - b)[Math.floor(durations.length / 2)]?.toFixed(2)),
      max: Number(Math.max(...durations).toFixed(2)),
    },
    lastPhases: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, Number(v.toFixed(2))])),
    queriesPerCycle: latest?.queries,
    univariateDetectors: (service.runtime()?.edgeBank.size ?? 0) + (service.runtime()?.serviceBank.size ?? 0),
    forecastTargets: service.runtime()?.forecasts?.size ?? 0,
    rssMB: mb(memory.rss),
    heapUsedMB: mb(memory.heapUsed),
    heapTotalMB: mb(memory.heapTotal),
    externalMB: mb(memory.external),
    arrayBuffersMB: mb(memory.arrayBuffers),
  })
);
await service.stop();
rmSync(stateDir, { recursive: true, force: true });
