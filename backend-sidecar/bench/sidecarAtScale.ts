/**
 * The sidecar at scale, against a real Prometheus: for 100, 1,000 and 10,000 services it
 *
 * 1. writes the benchmark mesh's telemetry (`bench/scale/benchMesh.ts`: the default model's 12
 *    service signals and 3 signals per call edge, 2 edges per service, as recording-rule style
 *    series) as OpenMetrics and backfills it into a fresh TSDB with
 *    `promtool tsdb create-blocks-from openmetrics`, ending at the current minute;
 * 2. starts Prometheus on 127.0.0.1 on that data directory (blocks overlapping the present are
 *    loaded and queried like scraped data);
 * 3. runs the real sidecar server in a child process (`bench/scale/runSidecar.ts`) on simulated
 *    time that starts inside the backfilled range, with the large-mesh univariate settings and
 *    forecasts on, and after its warm-up runs a fixed number of cycles back to back while
 *    50 dashboard-style clients call the API and /metrics is scraped every 15 s;
 * 4. at 1,000 services, also runs two sidecars with `sharding: {index: i, count: 2}` against the
 *    same Prometheus and counts the services each monitors.
 *
 * Prints a table per size on stderr and one JSON line last. Every process and temporary
 * directory it creates is removed at the end, also on failure.
 *
 *   npm run bench:sidecar                 (from the repository root)
 *   node --import tsx bench/sidecarAtScale.ts [sizes] [cycles]     e.g. 100,1000 8
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

import { request } from 'undici';

import { startPrometheus, type RunningPrometheus } from '@seismo/demo/src/prometheus/index.js';
import { apiLoad, type ApiLoadReport } from './scale/apiLoad.js';
import { BENCH_PRESET_YAML, serviceName } from './scale/benchMesh.js';
import type { SidecarSpec } from './scale/runSidecar.js';
import { writeBenchTelemetry } from './scale/writeBenchTelemetry.js';

const STEP = 15;
/** History the detectors warm up from: 60 points, what the large-mesh univariate settings need. */
const WARMUP_HISTORY_SECONDS = 900;
/** Real seconds the warm-up may take before the cycles start (the simulated clock runs meanwhile). */
const WARMUP_SLACK_SECONDS = 300;
const API_CLIENTS = 50;
/** Grafana's shortest default refresh: each dashboard reloads its panels every 5 s. */
const REFRESH_MS = 5000;
const MAX_REQUESTS_PER_CLIENT = 400;
const SCRAPE_EVERY_MS = 15_000;
const SHARDING_SIZE = 1000;
const RUNNER = fileURLToPath(new URL('./scale/runSidecar.ts', import.meta.url));

const [sizesArg = '100,1000,10000', cyclesArg = '12', phasesArg = 'both'] = process.argv.slice(2);
const SIZES = sizesArg.split(',').map(Number);
const CYCLES = Number(cyclesArg);
/** `quiet` skips the cycles under API load (a quicker look at the cycle's own cost). */
const LOADED_CYCLES = phasesArg === 'quiet' ? 0 : CYCLES;
/** Extra Node.js flags for the sidecar process, e.g. --max-semi-space-size=64 (default none). */
const SIDECAR_NODE_FLAGS = (process.env['SEISMO_BENCH_NODE_FLAGS'] ?? '').split(' ').filter((f) => f !== '');
/** Simulated time the cycles may cover: the first cycle and both phases, each cycle overrunning once. */
const CYCLE_SECONDS = 2 * (CYCLES + LOADED_CYCLES + 1) * STEP;

const round = (x: number, digits = 2): number => Number(x.toFixed(digits));
const log = (text: string): void => void process.stderr.write(`${text}\n`);

interface Backfill {
  readonly samples: number;
  readonly openMetricsMB: number;
  readonly writeSeconds: number;
  readonly promtoolSeconds: number;
  /** Unix seconds of the newest sample. */
  readonly end: number;
}

/** Writes the telemetry of `services` services and turns it into TSDB blocks in `dataDir`. */
async function backfill(services: number, workDir: string, dataDir: string): Promise<Backfill> {
  const end = Math.floor(Date.now() / 1000 / STEP) * STEP;
  // Warm-up history (which also holds the first cycle's 60-step window), the slack for the
  // warm-up's own duration, and room for every cycle to overrun once (a skipped boundary moves
  // simulated time by two intervals).
  const seconds = WARMUP_HISTORY_SECONDS + WARMUP_SLACK_SECONDS + CYCLE_SECONDS;
  const file = join(workDir, 'telemetry.om');
  let t0 = performance.now();
  const samples = await writeBenchTelemetry(file, {
    services,
    end,
    steps: seconds / STEP + 1,
    stepSeconds: STEP,
    seed: 1,
  });
  const writeSeconds = (performance.now() - t0) / 1000;
  const openMetricsMB = statSync(file).size / 1024 / 1024;
  t0 = performance.now();
  const promtool = spawnSync(
    '/usr/bin/promtool',
    ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    }
  );
  if (promtool.status !== 0) {
    throw new Error(`promtool failed (${promtool.status}): ${promtool.stderr.slice(-2000)}`);
  }
  rmSync(file, { force: true });
  return {
    samples,
    openMetricsMB: round(openMetricsMB, 0),
    writeSeconds: round(writeSeconds, 1),
    promtoolSeconds: round((performance.now() - t0) / 1000, 1),
    end,
  };
}

interface ScrapeReport {
  readonly scrapes: number;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly series: number;
  readonly megabytes: number;
}

/** Scrapes /metrics every SCRAPE_EVERY_MS until `until` resolves, like a Prometheus would. */
async function scrapeLoop(url: string, until: Promise<void>): Promise<ScrapeReport> {
  let stopped = false;
  void until.then(() => (stopped = true));
  const times: number[] = [];
  let series = 0;
  let bytes = 0;
  while (!stopped) {
    const t0 = performance.now();
    const response = await request(`${url}/metrics`);
    const text = await response.body.text();
    times.push(performance.now() - t0);
    bytes = text.length;
    series = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    await Promise.race([until, new Promise((resolve) => setTimeout(resolve, SCRAPE_EVERY_MS))]);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    scrapes: times.length,
    medianMs: round(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, 0),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 0),
    series,
    megabytes: round(bytes / 1024 / 1024, 1),
  };
}

interface Listening {
  readonly urls: string[];
  readonly warmupSeconds: number;
  readonly firstCycleSeconds: number;
}

interface RunnerEvents {
  readonly listening: Promise<Listening>;
  readonly done: Promise<Record<string, unknown>>;
  readonly child: ChildProcess;
}

/** Starts one sidecar process and follows its JSON events. */
function runSidecar(spec: SidecarSpec): RunnerEvents {
  const child = spawn(process.execPath, [...process.execArgv, ...SIDECAR_NODE_FLAGS, RUNNER, JSON.stringify(spec)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let onListening: (v: Listening) => void = () => undefined;
  let onDone: (v: Record<string, unknown>) => void = () => undefined;
  let onFail: (e: Error) => void = () => undefined;
  const listening = new Promise<Listening>((resolve, reject) => {
    onListening = resolve;
    onFail = reject;
  });
  const done = new Promise<Record<string, unknown>>((resolve, reject) => {
    onDone = resolve;
    const fail = onFail;
    onFail = (e) => {
      fail(e);
      reject(e);
    };
  });
  // A failure before 'listening' rejects both; nobody waits on done yet, so keep it handled.
  done.catch(() => undefined);
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
    let event: { event?: string } & Record<string, unknown>;
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      log(line);
      return;
    }
    if (event.event === 'listening') {
      onListening(event as unknown as Listening);
    } else if (event.event === 'done') {
      onDone(event);
    }
  });
  child.on('exit', (code) => {
    if (code !== 0) {
      onFail(new Error(`the sidecar process exited with code ${code}`));
    }
  });
  return { listening, done, child };
}

async function runSize(services: number, root: string): Promise<Record<string, unknown>> {
  const workDir = mkdtempSync(join(root, `size-${services}-`));
  const dataDir = join(workDir, 'tsdb');
  log(`\n${services} services: writing and backfilling telemetry ...`);
  const filled = await backfill(services, workDir, dataDir);
  log(
    `  ${filled.samples} samples (${filled.openMetricsMB} MB of OpenMetrics) in ${filled.writeSeconds} s, promtool ${filled.promtoolSeconds} s`
  );
  let prometheus: RunningPrometheus | null = null;
  const children: ChildProcess[] = [];
  try {
    prometheus = await startPrometheus({
      scrapeTargets: [],
      dataDir,
      scrapeIntervalSeconds: 15,
      readyTimeoutMs: 120_000,
    });
    const presetFile = join(workDir, 'bench-preset.yaml');
    writeFileSync(presetFile, BENCH_PRESET_YAML);
    const token = randomBytes(24).toString('hex');
    const clockStart = filled.end - CYCLE_SECONDS - WARMUP_SLACK_SECONDS;
    const spec: SidecarSpec = {
      prometheusUrl: prometheus.url,
      presetFile,
      workDir: join(workDir, 'sidecar'),
      clockStart,
      warmupHistorySeconds: WARMUP_HISTORY_SECONDS,
      cycles: CYCLES,
      loadedCycles: LOADED_CYCLES,
      paceMs: 2000,
      shards: 1,
      token,
    };
    const run = runSidecar(spec);
    children.push(run.child);
    const { urls, warmupSeconds, firstCycleSeconds } = await run.listening;
    const url = urls[0] as string;
    log(
      `  warm-up ${warmupSeconds} s, first cycle ${firstCycleSeconds} s, ${CYCLES} cycles without load; ${LOADED_CYCLES} cycles under load ...`
    );
    const finished = run.done.then(() => undefined);
    // A dashboard of a large mesh: the topology focused on one service and its neighbours, the
    // service list, incidents and root causes as data frames, and that service's score history.
    const focus = serviceName(7919 % services);
    const dashboard = [
      `/api/v1/topology?service=${focus}&hops=2`,
      '/api/v1/services',
      '/api/v1/incidents?format=frames',
      '/api/v1/rootcause?format=frames',
      `/api/v1/services/${focus}/scores`,
    ];
    const idle = Promise.resolve(null);
    const [load, scrapes, report] = await Promise.all([
      LOADED_CYCLES === 0
        ? idle
        : apiLoad({
            baseUrl: url,
            token,
            clients: API_CLIENTS,
            paths: dashboard,
            refreshMs: REFRESH_MS,
            maxRequestsPerClient: MAX_REQUESTS_PER_CLIENT,
            until: finished,
          }),
      LOADED_CYCLES === 0 ? idle : scrapeLoop(url, finished),
      run.done,
    ]);
    run.child.stdin?.end();
    let sharding: Record<string, unknown> | null = null;
    if (services === SHARDING_SIZE) {
      sharding = await shardingRun(
        { ...spec, workDir: join(workDir, 'shards'), shards: 2, cycles: 2, paceMs: 0 },
        services,
        children
      );
    }
    const { shards: _shards, event: _event, ...rest } = report;
    return {
      services,
      edges: 2 * services,
      backfill: filled,
      ...rest,
      warmupSeconds,
      firstCycleSeconds,
      api: load,
      scrape: scrapes,
      sharding,
    };
  } finally {
    for (const child of children) {
      if (child.exitCode === null && child.pid !== undefined) {
        child.kill('SIGKILL');
      }
    }
    await prometheus?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** Two sidecars, shard 0 and 1 of 2, in one process against the same Prometheus: who monitors what. */
async function shardingRun(
  spec: SidecarSpec,
  services: number,
  children: ChildProcess[]
): Promise<Record<string, unknown>> {
  log('  sharding: two sidecars, shard 0 and 1 of 2 ...');
  const run = runSidecar(spec);
  children.push(run.child);
  await run.listening;
  const report = await run.done;
  run.child.stdin?.end();
  const shards = report['shards'] as Array<{ services: string[]; edges: number; discovered: number }>;
  const seen = new Map<string, number>();
  for (const s of shards) {
    for (const name of s.services) {
      seen.set(name, (seen.get(name) ?? 0) + 1);
    }
  }
  const expected = Array.from({ length: services }, (_, i) => serviceName(i));
  const result = {
    discovered: shards.map((s) => s.discovered),
    monitored: shards.map((s) => s.services.length),
    edges: shards.map((s) => s.edges),
    union: seen.size,
    inBoth: [...seen.values()].filter((n) => n > 1).length,
    missing: expected.filter((name) => !seen.has(name)).length,
  };
  log(
    `  shards monitor ${result.monitored.join(' + ')} services: union ${result.union} of ${services}, in both ${result.inBoth}, missing ${result.missing}`
  );
  return result;
}

interface CyclesSummary {
  readonly cycles: number;
  readonly serviceStates: Record<string, number>;
  readonly anomalousServices: Record<string, number>;
  readonly anomalousEdges: Record<string, number>;
  readonly cycleSeconds: { median: number; p95: number };
  readonly medianPhaseSeconds: Record<string, number>;
  readonly queriesPerCycle: Record<string, number>;
}

function table(r: Record<string, unknown>): void {
  const api = r['api'] as ApiLoadReport | null;
  const scrape = r['scrape'] as ScrapeReport | null;
  for (const [label, key] of [
    ['without load', 'quiet'],
    ['under load', 'loaded'],
  ] as const) {
    const c = r[key] as CyclesSummary;
    if (c.cycles === 0) {
      continue;
    }
    log(
      `  ${label}: cycle median ${c.cycleSeconds.median} s, p95 ${c.cycleSeconds.p95} s; phases ${JSON.stringify(c.medianPhaseSeconds)}; queries per cycle ${JSON.stringify(c.queriesPerCycle)}`
    );
    log(
      `    services ${JSON.stringify(c.serviceStates)}; anomalous ${JSON.stringify(c.anomalousServices)}, edges ${JSON.stringify(c.anomalousEdges)}`
    );
  }
  log(
    `  peak RSS ${String(r['peakRssMB'])} MB (RSS at the end ${String(r['rssMB'])} MB); detectors ${String(r['univariateDetectors'])}`
  );
  if (api === null || scrape === null) {
    return;
  }
  log(`  event loop delay under load ${JSON.stringify(r['eventLoopDelayMs'])} ms`);
  log(
    `  API: ${api.requests} requests from ${api.clients} dashboards in ${api.seconds} s, p50 ${api.p50Ms} ms, p99 ${api.p99Ms} ms`
  );
  for (const [route, l] of Object.entries(api.byRoute)) {
    log(
      `    ${route.padEnd(36)} ${String(l.requests).padStart(6)}  p50 ${String(l.p50Ms).padStart(7)} ms  p99 ${String(l.p99Ms).padStart(7)} ms  ${JSON.stringify(l.statuses)}`
    );
  }
  log(
    `  /metrics: ${scrape.scrapes} scrapes, median ${scrape.medianMs} ms, max ${scrape.maxMs} ms, ${scrape.series} series, ${scrape.megabytes} MB`
  );
}

function commit(): string {
  const rev = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  const dirty = spawnSync('git', ['status', '--porcelain'], { encoding: 'utf8' });
  return `${rev.stdout.trim() || 'unknown'}${dirty.stdout.trim() === '' ? '' : ' (with uncommitted changes)'}`;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'seismo-bench-scale-'));
  const results: Array<Record<string, unknown>> = [];
  try {
    for (const size of SIZES) {
      const r = await runSize(size, root);
      table(r);
      results.push(r);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  // Queries of cycles without an open incident (those add one per signal for the root cause).
  const baseQueries = (r: Record<string, unknown>): string[] =>
    Object.keys((r['quiet'] as CyclesSummary).queriesPerCycle).filter((k) => !k.includes('incident'));
  const queries = results.map((r) => JSON.stringify(baseQueries(r)));
  const summary = {
    bench: 'sidecar-at-scale',
    commit: commit(),
    cycles: CYCLES,
    sizes: Object.fromEntries(
      results.map((r) => [
        String(r['services']),
        {
          cycleSeconds: (r['quiet'] as CyclesSummary).cycleSeconds,
          cycleSecondsUnderLoad: (r['loaded'] as CyclesSummary).cycleSeconds,
          queriesPerCycle: baseQueries(r).map(Number),
          peakRssMB: r['peakRssMB'],
          apiP50Ms: (r['api'] as ApiLoadReport | null)?.p50Ms ?? null,
          apiP99Ms: (r['api'] as ApiLoadReport | null)?.p99Ms ?? null,
        },
      ])
    ),
    queriesEqualAcrossSizes: new Set(queries).size === 1,
    sharding: results.find((r) => r['sharding'] !== null)?.['sharding'] ?? null,
    results,
  };
  console.log(JSON.stringify(summary));
}

await main();
