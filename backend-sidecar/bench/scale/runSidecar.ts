/**
 * One sidecar of the sidecar-at-scale benchmark, in a process of its own so its peak RSS is its
 * own: the real server (`startServer` with the detection module, HTTP API and /metrics) against a
 * real Prometheus holding backfilled telemetry, on simulated time that starts inside the
 * backfilled range (`SteppedClock`). After the warm-up it runs `cycles` cycles back to back (at
 * most one per `paceMs` of wall time) and reports on stdout, one JSON line per event:
 *
 *   {"event":"listening","urls":[...]}   warm and one cycle done; the measured cycles start (the harness starts its load)
 *   {"event":"done", ...}                 cycle times, queries, entities, memory; it then waits for stdin to close
 *
 *   node --import tsx bench/scale/runSidecar.ts '<spec JSON>'
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session } from 'node:inspector';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';

import { loadConfigFile } from '../../src/config/loadConfigFile.js';
import { loadConfigText } from '../../src/config/loadConfigText.js';
import type { CycleResult } from '../../src/detection/CycleResult.js';
import type { DetectionService } from '../../src/detection/DetectionService.js';
import { detectionModule } from '../../src/detection/detectionModule.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { SteppedClock } from './SteppedClock.js';

export interface SidecarSpec {
  readonly prometheusUrl: string;
  readonly presetFile: string;
  /** Directory for the config files and state directories (one per shard). */
  readonly workDir: string;
  /** Unix seconds the simulated clock starts at (inside the backfilled range). */
  readonly clockStart: number;
  readonly warmupHistorySeconds: number;
  readonly cycles: number;
  /** Cycles run while the harness loads the API (0: none). */
  readonly loadedCycles: number;
  /** Least wall time per cycle, so small meshes still give the API load a few seconds. */
  readonly paceMs: number;
  /** 1 for one sidecar; more to run that many shards side by side. */
  readonly shards: number;
  readonly token: string;
}

/** The large-mesh univariate settings of the detection loop benchmark (benchLoop's LARGE_MESH). */
const LARGE_MESH_UNIVARIATE = `  univariate:
    seasonal: false
    window: 60
    warmup: 20
    calibrationWindow: 120
    calibrationWarmup: 40
    clearAfter: 12
    adaptAfter: 30
`;

/**
 * Baselines for the autoencoder learned from the last hour at 1-minute resolution, from 10
 * points on: by default they need 4 hours at 5-minute resolution, more history than the
 * benchmark backfills.
 */
const BASELINES = `  baselines:
    windowSeconds: 3600
    stepSeconds: 60
    minPoints: 10
`;

/**
 * The benchmark's services are scored with baselines learned from about half an hour of
 * telemetry, far less than a daily cycle, so the autoencoder flags most of them; an incident
 * would then stay open and every cycle would also rank root causes. The open threshold is out of
 * reach so the cycles measure detection in a steady state (the harness reports the anomalies).
 */
const INCIDENTS = `incidents:
  openThreshold: 1000000000
  cap: 1000000000
`;

function configText(spec: SidecarSpec, shard: number, stateDir: string): string {
  return `prometheus:
  url: ${spec.prometheusUrl}
telemetry:
  presets: []
  presetFiles: [${JSON.stringify(spec.presetFile)}]
detection:
  warmupHistorySeconds: ${spec.warmupHistorySeconds}
${LARGE_MESH_UNIVARIATE}${BASELINES}${INCIDENTS}api:
  host: 127.0.0.1
  port: 0
storage:
  stateDir: ${JSON.stringify(stateDir)}
sharding:
  index: ${shard}
  count: ${spec.shards}
log:
  level: warn
`;
}

function status(field: string): number {
  const line = readFileSync('/proc/self/status', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

function emit(event: object): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

interface Shard {
  readonly server: RunningServer;
  readonly service: DetectionService;
  readonly cycles: CycleResult[];
}

async function startShard(spec: SidecarSpec, index: number, clock: SteppedClock): Promise<Shard> {
  const dir = join(spec.workDir, `shard-${index}`);
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true });
  const file = join(dir, 'config.yaml');
  writeFileSync(file, configText(spec, index, stateDir));
  const env = { SEISMO_API_TOKEN: spec.token };
  const build = { version: 'bench', revision: 'bench' };
  const cycles: CycleResult[] = [];
  let service: DetectionService | null = null;
  const logs = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // Warnings and errors of the sidecar go to the harness's stderr (it shows them).
      process.stderr.write(chunk);
      done();
    },
  });
  const server = await startServer({
    loaded: loadConfigFile(file, { env }),
    load: (text) => loadConfigText(text, file, { env }),
    build,
    clock: clock.now,
    logStream: logs,
    modules: [
      detectionModule({
        build,
        deps: { clock: clock.now, timers: clock, onCycle: (c) => cycles.push(c) },
        onService: (s) => (service = s),
      }),
    ],
  });
  return { server, service: service as unknown as DetectionService, cycles };
}

/** Starts the CPU profiler when `file` is set; the returned function stops it and writes the profile. */
async function startProfiler(file: string | undefined): Promise<(() => Promise<void>) | null> {
  if (file === undefined || file === '') {
    return null;
  }
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<unknown> =>
    new Promise((resolve, reject) =>
      session.post(method, (error, result) => (error ? reject(error) : resolve(result)))
    );
  await post('Profiler.enable');
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** Cycle times, phases and queries of a shard's cycles since they were last cleared. */
function summarise(shard: Shard): Record<string, unknown> {
  const cycles = shard.cycles;
  const durations = cycles.map((c) => c.durationSeconds);
  const phases: Record<string, number> = {};
  for (const phase of Object.keys(cycles[0]?.phases ?? {})) {
    phases[phase] = round(
      quantile(
        cycles.map((c) => (c.phases as Record<string, number>)[phase] ?? 0),
        0.5
      )
    );
  }
  const queries: Record<string, number> = {};
  for (const c of cycles) {
    // Cycles that ranked root causes for an open incident send one more query per signal.
    const key = `${c.queries}${c.incident !== null && c.incident.closedAt === null ? ' (incident open)' : ''}`;
    queries[key] = (queries[key] ?? 0) + 1;
  }
  const last = cycles[cycles.length - 1];
  const anomalous = (
    m: ReadonlyMap<string, { verdict: string; detector: string }> | undefined
  ): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const e of m?.values() ?? []) {
      if (e.verdict === 'anomalous') {
        out[e.detector] = (out[e.detector] ?? 0) + 1;
      }
    }
    return out;
  };
  const states: Record<string, number> = {};
  for (const s of last?.services.values() ?? []) {
    const key = `${s.detector}:${s.state}`;
    states[key] = (states[key] ?? 0) + 1;
  }
  return {
    serviceStates: states,
    anomalousServices: anomalous(last?.services),
    anomalousEdges: anomalous(last?.edges),
    temperature: last?.evaluation?.temperature ?? null,
    cycles: durations.length,
    cycleSeconds: { median: round(quantile(durations, 0.5)), p95: round(quantile(durations, 0.95)) },
    eachCycleSeconds: durations.map((d) => round(d, 1)),
    medianPhaseSeconds: phases,
    queriesPerCycle: queries,
  };
}

/** Runs `cycles` cycles of every shard, each at least `paceMs` of wall time apart. */
async function runCycles(clock: SteppedClock, shards: readonly Shard[], cycles: number, paceMs: number): Promise<void> {
  for (let c = 0; c < cycles; c++) {
    const started = performance.now();
    await scheduled(clock, shards.length);
    const counts = shards.map((s) => s.cycles.length);
    // Every shard's cycle is due at the same boundary; fire them all.
    for (let i = 0; i < shards.length; i++) {
      clock.fireNext();
    }
    while (shards.some((s, i) => s.cycles.length === counts[i])) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const left = paceMs - (performance.now() - started);
    if (left > 0) {
      await new Promise((resolve) => setTimeout(resolve, left));
    }
  }
}

/** Waits until every shard has its next cycle scheduled. */
async function scheduled(clock: SteppedClock, shards: number): Promise<void> {
  while (clock.pending < shards) {
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

async function main(spec: SidecarSpec): Promise<void> {
  const clock = new SteppedClock(spec.clockStart * 1000);
  const warmStarted = performance.now();
  const shards: Shard[] = [];
  for (let i = 0; i < spec.shards; i++) {
    shards.push(await startShard(spec, i, clock));
  }
  await Promise.all(shards.map((s) => s.service.ready));
  const warmupSeconds = (performance.now() - warmStarted) / 1000;
  // The first cycle also learns what the warm-up left (baselines, first forecaster fits); it is
  // reported on its own, and the measured cycles and the API load start after it.
  await runCycles(clock, shards, 1, 0);
  const firstCycleSeconds = shards[0]?.cycles[0]?.durationSeconds ?? Number.NaN;
  // Without load: the cycle's own cost (profiled when SEISMO_BENCH_CPU_PROFILE names a file).
  shards.forEach((s) => s.cycles.splice(0));
  const profiler = await startProfiler(process.env['SEISMO_BENCH_CPU_PROFILE']);
  await runCycles(clock, shards, spec.cycles, 0);
  await profiler?.();
  const quiet = summarise(shards[0] as Shard);
  // With load (unless the harness only wants the cycle's own cost): the harness starts its
  // API clients and scrapes on this event.
  shards.forEach((s) => s.cycles.splice(0));
  emit({
    event: 'listening',
    urls: shards.map((s) => s.server.url),
    warmupSeconds: round(warmupSeconds),
    firstCycleSeconds: round(firstCycleSeconds),
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  await runCycles(clock, shards, spec.loadedCycles, spec.paceMs);
  loopDelay.disable();
  const loaded = summarise(shards[0] as Shard);

  const first = shards[0] as Shard;
  const latest = first.cycles[first.cycles.length - 1];
  const runtime = first.service.runtime();
  emit({
    event: 'done',
    quiet,
    loaded,
    overruns: first.service.counters().overruns,
    servicesDiscovered: latest?.discovered ?? 0,
    serviceExample: (({ service, state, score, threshold, contributions, baselineSource, reasons }) => ({
      service,
      state,
      score,
      threshold,
      contributions,
      baselineSource,
      reasons,
    }))([...(latest?.services.values() ?? [])][0] ?? ({} as never)),
    univariateDetectors: (runtime?.edgeBank.size ?? 0) + (runtime?.serviceBank.size ?? 0),
    forecastTargets: runtime?.forecasts?.size ?? 0,
    shards: shards.map((s) => {
      const last = s.cycles[s.cycles.length - 1];
      return {
        // Names only for a sharded run: the harness checks who monitors what.
        services: shards.length > 1 ? [...(last?.services.keys() ?? [])] : [],
        monitored: last?.services.size ?? 0,
        edges: last?.edges.size ?? 0,
        discovered: last?.discovered ?? 0,
      };
    }),
    // How long the event loop was held up (what every API request waits behind), in ms.
    eventLoopDelayMs: {
      p50: round(loopDelay.percentile(50) / 1e6, 0),
      p99: round(loopDelay.percentile(99) / 1e6, 0),
      max: round(loopDelay.max / 1e6, 0),
    },
    peakRssMB: round(status('VmHWM'), 0),
    rssMB: round(status('VmRSS'), 0),
    heapUsedMB: round(process.memoryUsage().heapUsed / 1024 / 1024, 0),
    heapTotalMB: round(process.memoryUsage().heapTotal / 1024 / 1024, 0),
    externalMB: round(process.memoryUsage().external / 1024 / 1024, 0),
  });
  // The harness closes stdin once its load has stopped; shutting down earlier would cut off
  // requests still in flight.
  await new Promise<void>((resolve) => {
    process.stdin.on('data', () => undefined);
    process.stdin.on('end', resolve);
    process.stdin.on('close', resolve);
  });
  for (const s of shards) {
    await s.server.shutdown('benchmark finished');
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as SidecarSpec;
main(spec).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  }
);
