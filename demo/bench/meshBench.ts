import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createProfile, LoadGenerator, type LoadStats, type Send } from '../src/load/index.js';
import { CALLER_HEADER } from '../src/mesh/headers.js';
import { LOAD_GENERATOR_WORKLOAD } from '../src/mesh/loadGeneratorWorkload.js';
import type { Topology } from '../src/topology/types.js';
import { buildTopology } from './benchTopology.js';
import { addedLatencyMs, quantileOfSorted, simulateConfiguredLatencies } from './configuredLatency.js';
import {
  LOOP_DELAY_RESOLUTION_MS,
  loopDelayMs,
  type ChildArgs,
  type ChildMessage,
  type ParentMessage,
  type TopologySource,
  type UsageReport,
} from './protocol.js';
import {
  DEFAULT_THRESHOLDS,
  judgeStep,
  nextRate,
  p99LimitMs,
  sustainedRate,
  type SearchOptions,
  type StepMeasurement,
  type TriedRate,
} from './rateSearch.js';

/**
 * Mesh benchmark: for each topology, the highest request rate the mesh sustains, the latency it
 * adds, its CPU and memory, and the cost of one scrape. See bench/README.md.
 *
 *   npm run bench -w demo                          # both topologies, about 3 minutes
 *   npm run bench -w demo -- --configs online-boutique --step-seconds 5
 *
 * Human-readable lines go to stdout as the run goes; the last line is one JSON object.
 */

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));
const CHILD_SCRIPT = fileURLToPath(new URL('./meshChild.ts', import.meta.url));
const MiB = 1024 * 1024;

interface ConfigPlan {
  name: string;
  source: TopologySource;
  /** startRps doubles as the moderate rate where the latency figures are taken. */
  search: SearchOptions;
}

/**
 * Both start at 40 rps, about a quarter of what either sustains on an uncontended core: low enough
 * that the first step is a clean baseline without queueing, high enough that a 10 s step has 400
 * samples, so its p99 is the 4th-highest latency rather than the highest. The same moderate rate
 * for both makes their added latency comparable. Growth ×2 reaches saturation in 3 steps;
 * bisection to 15 % takes 2-3 more.
 */
const PLANS: readonly ConfigPlan[] = [
  {
    name: 'online-boutique',
    source: { kind: 'file', path: fileURLToPath(new URL('../topologies/online-boutique.yaml', import.meta.url)) },
    search: { startRps: 40, growth: 2, resolution: 0.15, maxSteps: 7, minRps: 1 },
  },
  {
    name: 'generated-200',
    source: { kind: 'generated', services: 200, seed: 42 },
    search: { startRps: 40, growth: 2, resolution: 0.15, maxSteps: 7, minRps: 1 },
  },
];

const MESH_SEED = 1;
const WARMUP_SECONDS = 3;
/** After the last arrival of a step, how long its requests may take to come back. */
const DRAIN_MS = 3000;
/** Longest wait for the mesh to go idle after an overloaded step. */
const SETTLE_MAX_MS = 6000;
const IDLE_MS = 2000;
/** Above this much CPU used by other processes during a step, the step is marked contended. */
const OTHER_CORES_WARNING = 0.25;
/** The no-service-time run: 600 samples at 40 rps. */
const OVERHEAD_SECONDS = 15;
/** One send gives up after this long (the mesh's own request timeout is 6 s). */
const SEND_TIMEOUT_MS = 8000;
const CHILD_START_TIMEOUT_MS = 60_000;
const CONFIGURED_MODEL_SAMPLES = 20_000;
/** Nothing new starts after this many seconds of benchmark; a hard stop comes a minute later. */
const SOFT_DEADLINE_S = 270;
const HARD_DEADLINE_S = SOFT_DEADLINE_S + 60;
/** Seconds a configuration keeps in reserve for its no-service-time run and scrape. */
const RESERVE_S = 25;

const benchStart = performance.now();
const elapsedS = (): number => (performance.now() - benchStart) / 1000;
const out = (line: string): void => void process.stdout.write(`${line}\n`);

// ---------------------------------------------------------------------------------------------
// The mesh child process

/** Every child started and not yet seen to exit, so that any way out of the benchmark stops them. */
const children = new Set<ChildProcess>();

function killAll(): void {
  for (const child of children) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}

class MeshProcess {
  private readonly pending: Array<(u: UsageReport) => void> = [];
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: Extract<ChildMessage, { type: 'ready' }>
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
      } else {
        child.once('exit', () => resolve());
      }
    });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'usage') {
        this.pending.shift()?.(m);
      }
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(args: ChildArgs): Promise<MeshProcess> {
    // The child runs TypeScript through the same loader as this process, resolved from here so
    // the working directory does not matter.
    const child = fork(CHILD_SCRIPT, [JSON.stringify(args)], {
      cwd: DEMO_DIR,
      execArgv: ['--import', import.meta.resolve('tsx')],
      // The child's stdout goes to our stderr: stdout's last line belongs to the JSON summary.
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    });
    children.add(child);
    child.stdout?.pipe(process.stderr);
    child.once('exit', () => children.delete(child));
    return new Promise((resolve, reject) => {
      const fail = (reason: string): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        if (child.pid !== undefined && child.exitCode === null) {
          child.kill('SIGKILL');
        }
        reject(new Error(`mesh child: ${reason}`));
      };
      const onMessage = (m: ChildMessage): void => {
        if (m.type === 'ready') {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(new MeshProcess(child, m));
        } else if (m.type === 'error') {
          fail(m.message);
        }
      };
      const onExit = (code: number | null, signal: string | null): void =>
        fail(`exited before it was ready (code ${code}, signal ${signal})`);
      const timer = setTimeout(() => fail(`not ready within ${CHILD_START_TIMEOUT_MS} ms`), CHILD_START_TIMEOUT_MS);
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  }

  usage(): Promise<UsageReport> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mesh child did not report its usage within 10 s')), 10_000);
      this.pending.push((u) => {
        clearTimeout(timer);
        resolve(u);
      });
      this.child.send({ type: 'usage' } satisfies ParentMessage);
    });
  }

  /** Asks the child to stop; kills it by PID if it has not exited within 10 s. */
  async stop(): Promise<void> {
    if (this.child.connected) {
      this.child.send({ type: 'stop' } satisfies ParentMessage);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 10_000);
    });
    const outcome = await Promise.race([this.exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout' && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // It exited between the timeout and the kill.
      }
      await this.exited;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Load from this process to the mesh's entry services, over real sockets

function createSender(services: Record<string, string>): { send: Send; close(): void } {
  // As many sockets as the load generator allows requests in flight, so the client never queues.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });
  const widened = new WeakSet<AbortSignal>();
  const send: Send = (entry, signal) =>
    new Promise((resolve, reject) => {
      // The generator hands every request of a run the same signal, and each request in flight
      // listens to it until it ends: up to maxInFlight listeners, not a leak.
      if (!widened.has(signal)) {
        setMaxListeners(0, signal);
        widened.add(signal);
      }
      const base = services[entry.service];
      if (base === undefined) {
        reject(new Error(`no service ${entry.service}`));
        return;
      }
      const started = performance.now();
      const req = http.request(`${base}/${encodeURIComponent(entry.endpoint)}`, {
        agent,
        headers: { [CALLER_HEADER]: LOAD_GENERATOR_WORKLOAD },
        signal,
        timeout: SEND_TIMEOUT_MS,
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${SEND_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, durationMs: performance.now() - started }));
        res.on('error', reject);
      });
      req.end();
    });
  return { send, close: () => agent.destroy() };
}

interface StepResult extends StepMeasurement {
  achievedRps: number;
  p50Ms: number;
  cpuCores: number;
  /** CPU of this process (the load generator and its HTTP client), cores. */
  loadCores: number;
  /** CPU of everything else on the machine during the step, cores: other users of a shared machine. */
  otherCores: number;
  cpuMsPerRequest: number;
  meshLoopDelayP99Ms: number;
  /** Event-loop delay of this (load) process: when high, the generator itself was late. */
  loadLoopDelayP99Ms: number;
}

async function runStep(
  mesh: MeshProcess,
  topology: Topology,
  sender: { send: Send },
  rps: number,
  seconds: number,
  seed: number
): Promise<StepResult> {
  const before = await mesh.usage();
  const machineBefore = machineBusyMs();
  const loadBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const lag = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  lag.enable();
  const generator = new LoadGenerator({
    profile: createProfile({ kind: 'steady', rps }),
    entrypoints: topology.entrypoints,
    seed,
    durationSeconds: seconds,
    send: sender.send,
    drainTimeoutMs: DRAIN_MS,
  });
  const stats: LoadStats = await generator.run();
  lag.disable();
  const after = await mesh.usage();
  const wallMs = performance.now() - wallBefore;
  const loadUsage = process.cpuUsage(loadBefore);
  const loadCores = (loadUsage.user + loadUsage.system) / 1000 / wallMs;
  const machineCores = (machineBusyMs() - machineBefore) / wallMs;
  const cpuMs = (after.cpuMicros - before.cpuMicros) / 1000;
  const cpuCores = cpuMs / (after.atMs - before.atMs);
  const completed = stats.ok + stats.errors;
  return {
    offeredRps: rps,
    durationSeconds: seconds,
    arrivals: stats.arrivals,
    sent: stats.sent,
    ok: stats.ok,
    errors: stats.errors,
    dropped: stats.dropped,
    abandoned: stats.abandoned,
    p99Ms: stats.latencyMs.p99,
    p50Ms: stats.latencyMs.p50,
    achievedRps: stats.ok / seconds,
    cpuCores,
    loadCores,
    otherCores: Math.max(0, machineCores - cpuCores - loadCores),
    cpuMsPerRequest: completed > 0 ? cpuMs / completed : NaN,
    meshLoopDelayP99Ms: after.loopDelayP99Ms,
    loadLoopDelayP99Ms: loopDelayMs(lag.count > 0 ? lag.percentile(99) : 0),
  };
}

/**
 * CPU time the whole machine has spent busy, summed over its CPUs, in milliseconds (os.cpus()
 * counts in clock ticks, so a 10 s step resolves to about 0.1 %).
 */
function machineBusyMs(): number {
  let busy = 0;
  for (const cpu of os.cpus()) {
    busy += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq;
  }
  return busy;
}

/** Waits (bounded) until the mesh burns under 5 % of a core, so a step does not inherit the last one's backlog. */
async function settle(mesh: MeshProcess): Promise<void> {
  const until = performance.now() + SETTLE_MAX_MS;
  let last = await mesh.usage();
  while (performance.now() < until) {
    await sleep(250);
    const now = await mesh.usage();
    const cores = (now.cpuMicros - last.cpuMicros) / 1000 / (now.atMs - last.atMs);
    last = now;
    if (cores < 0.05) {
      return;
    }
  }
}

interface ScrapeResult {
  ms: number;
  bytes: number;
  series: number;
}

/** Three scrapes one after another; the median time (the first can pay for lazy work), the size of the last. */
async function scrape(url: string): Promise<ScrapeResult> {
  const times: number[] = [];
  let body = '';
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    body = await res.text();
    times.push(performance.now() - started);
    if (!res.ok) {
      throw new Error(`scrape ${url}: HTTP ${res.status}`);
    }
  }
  times.sort((a, b) => a - b);
  const series = body.split('\n').filter((l) => l.length > 0 && !l.startsWith('#')).length;
  return { ms: times[1]!, bytes: Buffer.byteLength(body), series };
}

// ---------------------------------------------------------------------------------------------
// One configuration

interface ConfigReport {
  topology: string;
  services: number;
  sustained_rps: number;
  /** True when every step kept up: the mesh sustains at least this, the search ran out of steps. */
  sustained_is_lower_bound: boolean;
  moderate_rps: number;
  mesh_p50_added_ms: number | null;
  mesh_p99_added_ms: number | null;
  mesh_cpu_ms_per_request: number | null;
  p99_ms_at_moderate: number | null;
  p99_above_configured_ms: number | null;
  cpu_cores: number | null;
  idle_cpu_cores: number | null;
  cpu_ms_per_request: number | null;
  rps_per_core_estimate: number | null;
  other_cores_mean: number | null;
  /** Other processes used more than OTHER_CORES_WARNING cores on average during the search. */
  contended: boolean;
  peak_rss_mb: number | null;
  peak_rss_before_scrape_mb: number | null;
  configured_memory_mb: number | null;
  startup_ms: number | null;
  scrape_ms: number | null;
  scrape_bytes: number;
  scrape_series: number;
  steps: Array<{
    rps: number;
    kept_up: boolean;
    achieved_rps: number | null;
    p99_ms: number | null;
    cpu_cores: number | null;
    other_cores: number | null;
    errors: number;
    dropped: number;
  }>;
}

/** `configsLeft` counts this one: the time left is shared evenly among the configurations still to run. */
async function benchConfig(plan: ConfigPlan, stepSeconds: number, configsLeft: number): Promise<ConfigReport> {
  const topology = buildTopology(plan.source, false);
  out(`== ${plan.name}: ${topology.services.size} services, ${topology.entrypoints.length} entrypoints`);
  const lifetime = HARD_DEADLINE_S * 1000;
  const mesh = await MeshProcess.start({
    source: plan.source,
    noServiceTime: false,
    seed: MESH_SEED,
    maxLifetimeMs: lifetime,
  });
  const sender = createSender(mesh.ready.services);
  const steps: Array<StepResult & { keptUp: boolean }> = [];
  let peakRssBytes = 0;
  let peakLoadRssBytes = 0;
  let idleCores = NaN;
  let scrapeResult: ScrapeResult;
  try {
    const atReady = await mesh.usage();
    out(
      `   mesh pid ${mesh.pid} ready in ${mesh.ready.startupMs.toFixed(0)} ms, rss ${(atReady.rssBytes / MiB).toFixed(0)} MiB ` +
        `(services hold ${(mesh.ready.configuredMemoryBytes / MiB).toFixed(0)} MiB by configuration)`
    );
    // Warm-up: JIT, connection pools and metric series, so the first measured step is a fair baseline.
    await runStep(mesh, topology, sender, plan.search.startRps, WARMUP_SECONDS, 999);
    await settle(mesh);
    // What the mesh burns with no traffic (its timers, the usage queries): part of every step's CPU.
    const idleFrom = await mesh.usage();
    await sleep(IDLE_MS);
    const idleTo = await mesh.usage();
    idleCores = (idleTo.cpuMicros - idleFrom.cpuMicros) / 1000 / (idleTo.atMs - idleFrom.atMs);
    out(`   idle mesh: ${idleCores.toFixed(3)} cores`);

    const tried: TriedRate[] = [];
    let baselineP99: number | undefined;
    const searchDeadline = elapsedS() + (SOFT_DEADLINE_S - elapsedS() - RESERVE_S * configsLeft) / configsLeft;
    for (let rps = nextRate(tried, plan.search); rps !== undefined; rps = nextRate(tried, plan.search)) {
      if (elapsedS() + stepSeconds + DRAIN_MS / 1000 > searchDeadline) {
        out(`   (time budget reached: search stops after ${tried.length} steps)`);
        break;
      }
      const step = await runStep(mesh, topology, sender, rps, stepSeconds, 1000 + tried.length);
      const verdict = judgeStep(step, baselineP99);
      if (baselineP99 === undefined && verdict.keptUp) {
        baselineP99 = step.p99Ms;
      }
      tried.push({ rps, keptUp: verdict.keptUp });
      steps.push({ ...step, keptUp: verdict.keptUp });
      out(
        `   step ${tried.length}: offered ${rps} rps, achieved ${step.achievedRps.toFixed(1)} rps, ` +
          `ok ${step.ok}/${step.arrivals}, errors ${step.errors}, dropped ${step.dropped}, abandoned ${step.abandoned}, ` +
          `p50 ${fmt(step.p50Ms)} ms, p99 ${fmt(step.p99Ms)} ms, cpu cores mesh ${step.cpuCores.toFixed(2)} ` +
          `(${fmt(step.cpuMsPerRequest, 2)} ms/req) load ${step.loadCores.toFixed(2)} other ${step.otherCores.toFixed(2)}, ` +
          `loop delay p99 mesh ${fmt(step.meshLoopDelayP99Ms)} ms load ${fmt(step.loadLoopDelayP99Ms)} ms ` +
          `-> ${verdict.keptUp ? 'kept up' : `FAILED: ${verdict.reasons.join('; ')}`}`
      );
      if (step.otherCores > OTHER_CORES_WARNING) {
        out(`   (warning: other processes used ${step.otherCores.toFixed(2)} cores; the mesh competed for CPU)`);
      }
      if (step.loadLoopDelayP99Ms > 50) {
        out('   (warning: the load generator itself lagged; this step may understate what the mesh sustains)');
      }
      await settle(mesh);
    }
    if (baselineP99 !== undefined) {
      out(`   p99 limit used: ${p99LimitMs(baselineP99).toFixed(1)} ms (baseline ${baselineP99.toFixed(1)} ms)`);
    }
    // Peak memory under load first: rendering a large exposition raises it on its own.
    peakLoadRssBytes = (await mesh.usage()).maxRssBytes;
    scrapeResult = await scrape(mesh.ready.metricsUrl);
    peakRssBytes = (await mesh.usage()).maxRssBytes;
    out(
      `   scrape: ${scrapeResult.ms.toFixed(1)} ms, ${(scrapeResult.bytes / 1024).toFixed(0)} KiB, ${scrapeResult.series} series; ` +
        `peak rss ${(peakLoadRssBytes / MiB).toFixed(0)} MiB under load, ${(peakRssBytes / MiB).toFixed(0)} MiB after the scrape`
    );
  } finally {
    sender.close();
    await mesh.stop();
  }

  const outcomes = steps.map((s) => ({ rps: s.offeredRps, keptUp: s.keptUp }));
  const sustained = sustainedRate(outcomes);
  const atSustained = steps.find((s) => s.offeredRps === sustained && s.keptUp);
  const moderate = steps.find((s) => s.offeredRps === plan.search.startRps);
  const otherCoresMean = steps.reduce((a, st) => a + st.otherCores, 0) / steps.length;
  const rpsPerCore = 1000 / (atSustained?.cpuMsPerRequest ?? NaN);
  out(
    `   sustained: ${sustained} rps${outcomes.every((s) => s.keptUp) ? ' (every step kept up: a lower bound)' : ''}, ` +
      `mesh cpu ${fmt(atSustained?.cpuCores ?? NaN, 2)} cores there; ~${fmt(rpsPerCore, 0)} rps per core by CPU per request; ` +
      `other processes used ${fmt(otherCoresMean, 2)} cores on average` +
      (otherCoresMean > OTHER_CORES_WARNING
        ? ' (contended: the sustained rate is what the mesh got, not what it can do)'
        : '')
  );

  // Cross-check: measured p99 at the moderate rate against the p99 the topology itself asks for.
  const configured = simulateConfiguredLatencies(topology, topology.entrypoints, CONFIGURED_MODEL_SAMPLES, 7);
  const configuredP99 = quantileOfSorted(configured, 0.99);
  const aboveConfigured = addedLatencyMs(moderate?.p99Ms ?? NaN, configuredP99);
  out(
    `   configured latency (model of the spec): p50 ${fmt(quantileOfSorted(configured, 0.5))} ms, ` +
      `p99 ${fmt(configuredP99)} ms; measured p99 at ${plan.search.startRps} rps is ${fmt(aboveConfigured)} ms above it`
  );

  const overhead = await measureOverhead(plan, Math.max(stepSeconds, OVERHEAD_SECONDS));
  return {
    topology: topology.name,
    services: topology.services.size,
    sustained_rps: sustained,
    sustained_is_lower_bound: outcomes.length > 0 && outcomes.every((s) => s.keptUp),
    moderate_rps: plan.search.startRps,
    mesh_p50_added_ms: round(overhead.p50AddedMs, 2),
    mesh_p99_added_ms: round(overhead.p99AddedMs, 2),
    mesh_cpu_ms_per_request: round(overhead.cpuMsPerRequest, 3),
    p99_ms_at_moderate: round(moderate?.p99Ms ?? NaN, 2),
    p99_above_configured_ms: round(aboveConfigured, 2),
    cpu_cores: round(atSustained?.cpuCores ?? NaN, 3),
    idle_cpu_cores: round(idleCores, 3),
    cpu_ms_per_request: round(atSustained?.cpuMsPerRequest ?? NaN, 3),
    // What one core given wholly to the mesh would serve, from CPU per request: an upper bound
    // that does not depend on how much CPU others left the mesh during this run.
    rps_per_core_estimate: round(rpsPerCore, 0),
    other_cores_mean: round(otherCoresMean, 2),
    contended: otherCoresMean > OTHER_CORES_WARNING,
    peak_rss_mb: round(peakRssBytes / MiB, 1),
    peak_rss_before_scrape_mb: round(peakLoadRssBytes / MiB, 1),
    configured_memory_mb: round(mesh.ready.configuredMemoryBytes / MiB, 1),
    startup_ms: round(mesh.ready.startupMs, 0),
    scrape_ms: round(scrapeResult.ms, 1),
    scrape_bytes: scrapeResult.bytes,
    scrape_series: scrapeResult.series,
    steps: steps.map((s) => ({
      rps: s.offeredRps,
      kept_up: s.keptUp,
      achieved_rps: round(s.achievedRps, 1),
      p99_ms: round(s.p99Ms, 1),
      cpu_cores: round(s.cpuCores, 3),
      other_cores: round(s.otherCores, 2),
      errors: s.errors + s.abandoned,
      dropped: s.dropped,
    })),
  };
}

/**
 * The latency the mesh adds, measured directly: the same topology with no configured service time
 * (latency ~0, no CPU, no errors), at the moderate rate. Its configured latency is ~0 by
 * construction (still subtracted, from the same model, so the formula is the one of the cross-check).
 */
async function measureOverhead(
  plan: ConfigPlan,
  overheadSeconds: number
): Promise<{ p50AddedMs: number; p99AddedMs: number; cpuMsPerRequest: number }> {
  const topology = buildTopology(plan.source, true);
  const mesh = await MeshProcess.start({
    source: plan.source,
    noServiceTime: true,
    seed: MESH_SEED,
    maxLifetimeMs: HARD_DEADLINE_S * 1000,
  });
  const sender = createSender(mesh.ready.services);
  try {
    await runStep(mesh, topology, sender, plan.search.startRps, WARMUP_SECONDS, 999);
    await settle(mesh);
    const step = await runStep(mesh, topology, sender, plan.search.startRps, overheadSeconds, 2000);
    const configured = simulateConfiguredLatencies(topology, topology.entrypoints, CONFIGURED_MODEL_SAMPLES, 7);
    const p50AddedMs = addedLatencyMs(step.p50Ms, quantileOfSorted(configured, 0.5));
    const p99AddedMs = addedLatencyMs(step.p99Ms, quantileOfSorted(configured, 0.99));
    const verdict = judgeStep(step, undefined);
    out(
      `   no-service-time run at ${plan.search.startRps} rps: ok ${step.ok}/${step.arrivals}, ` +
        `mesh adds p50 ${fmt(p50AddedMs, 2)} ms, p99 ${fmt(p99AddedMs, 2)} ms; ` +
        `mesh cpu ${fmt(step.cpuMsPerRequest, 3)} ms/req${verdict.keptUp ? '' : ` (NOT clean: ${verdict.reasons.join('; ')})`}`
    );
    return { p50AddedMs, p99AddedMs, cpuMsPerRequest: step.cpuMsPerRequest };
  } finally {
    sender.close();
    await mesh.stop();
  }
}

// ---------------------------------------------------------------------------------------------

function fmt(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

/** Rounded, with NaN as null (JSON has no NaN): a figure that could not be measured. */
function round(value: number, digits: number): number | null {
  if (!Number.isFinite(value)) {
    return null;
  }
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      configs: { type: 'string' },
      'step-seconds': { type: 'string' },
    },
  });
  const stepSeconds = Number(values['step-seconds'] ?? 10);
  if (!(stepSeconds >= 2 && stepSeconds <= 30)) {
    throw new Error(`--step-seconds: expected 2 to 30, got ${values['step-seconds']}`);
  }
  const wanted = values.configs?.split(',').map((s) => s.trim());
  const plans = PLANS.filter((p) => !wanted || wanted.includes(p.name));
  if (plans.length === 0) {
    throw new Error(`--configs: choose from ${PLANS.map((p) => p.name).join(', ')}`);
  }
  out(
    `mesh benchmark: node ${process.version}, ${os.cpus().length} cpus, load average ` +
      `${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}, ${stepSeconds} s per step`
  );
  const configs: ConfigReport[] = [];
  for (const [i, plan] of plans.entries()) {
    configs.push(await benchConfig(plan, stepSeconds, plans.length - i));
  }
  const seconds = elapsedS();
  out(`done in ${seconds.toFixed(0)} s`);
  out(
    JSON.stringify({
      bench: 'mesh',
      node: process.version,
      cpus: os.cpus().length,
      load_average_at_start: startLoad,
      duration_s: Math.round(seconds),
      thresholds: DEFAULT_THRESHOLDS,
      configs,
    })
  );
  return 0;
}

const startLoad = os.loadavg().map((l) => Math.round(l * 100) / 100);

// The benchmark must end by itself whatever happens: a hard deadline, and children killed on any exit path.
const hardStop = setTimeout(() => {
  process.stderr.write(`mesh benchmark: hard deadline of ${HARD_DEADLINE_S} s reached, stopping\n`);
  killAll();
  process.exit(1);
}, HARD_DEADLINE_S * 1000);
hardStop.unref();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}
process.on('exit', killAll);

try {
  process.exitCode = await main();
} catch (err) {
  process.stderr.write(`mesh benchmark failed: ${(err as Error).stack ?? String(err)}\n`);
  killAll();
  out(JSON.stringify({ bench: 'mesh', error: (err as Error).message }));
  process.exitCode = 1;
}
