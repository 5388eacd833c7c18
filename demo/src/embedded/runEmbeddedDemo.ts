import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadScenario } from '../faults/loadScenario.js';
import { createProfile, LoadGenerator, resolveLoadProfile } from '../load/index.js';
import { startMesh, type RunningMesh } from '../mesh/startMesh.js';
import { resolvePrometheusBinary, startPrometheus, type RunningPrometheus } from '../prometheus/index.js';
import { loadTopology } from '../topology/loadTopology.js';
import { formatHealthTable, type ServiceHealth } from './formatHealthTable.js';
import { serviceHealthQueries } from './serviceHealthQueries.js';

export interface EmbeddedDemoOptions {
  topologyPath: string;
  scenarioPath: string;
  /** A load profile: a shipped name, a YAML file or a compact string. */
  load: string;
  seed: number;
  /** Stop by itself after this long; undefined runs until a shutdown request. */
  durationSeconds?: number;
  /** How often the console table is printed. */
  intervalSeconds: number;
  scrapeIntervalSeconds: number;
  /** 0 picks free ports. */
  prometheusPort: number;
  meshMetricsPort: number;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers a handler for Ctrl-C / SIGTERM; returns its unregistration. */
  onShutdownRequest: (handler: (reason: string) => void) => () => void;
}

/**
 * The no-Docker demo: the demo mesh under load with a fault scenario, Prometheus scraping it
 * when the binary is installed, and a console table per interval of what each service's callers
 * see, beside the faults active at that moment. Resolves once everything it started has stopped.
 */
export async function runEmbeddedDemo(options: EmbeddedDemoOptions): Promise<void> {
  const { out, err } = options;
  const topology = await loadTopology(options.topologyPath);
  const scenario = await loadScenario(options.scenarioPath, topology);
  const loadDoc = await resolveLoadProfile(options.load);
  const workDir = mkdtempSync(join(tmpdir(), 'seismo-demo-'));
  const groundTruthPath = join(workDir, 'ground-truth.jsonl');

  const mesh: RunningMesh = await startMesh({
    topology,
    seed: options.seed,
    scenario,
    groundTruthPath,
    metricsPort: options.meshMetricsPort,
  });
  let prometheus: RunningPrometheus | undefined;
  try {
    prometheus = await startPrometheusIfInstalled(mesh, options);
  } catch (error) {
    await mesh.stop();
    throw error;
  }
  const generator = new LoadGenerator({
    profile: createProfile(loadDoc.profile),
    entrypoints: topology.entrypoints,
    seed: options.seed,
    durationSeconds: options.durationSeconds ?? loadDoc.durationSeconds ?? 24 * 3600,
    send: (entry, signal) => mesh.send(entry, signal),
  });

  out(`Seismo embedded demo: ${topology.name} (${topology.services.size} services), seed ${options.seed}`);
  out(`  load          ${options.load}`);
  out(`  scenario      ${scenario.name ?? options.scenarioPath}: ${scenario.faults.length} faults`);
  for (const fault of mesh.faults.list()) {
    const target = typeof fault.target === 'string' ? fault.target : `${fault.target.client}->${fault.target.server}`;
    out(`                ${fault.id}: ${fault.type} on ${target} from ${fault.start} to ${fault.end ?? 'removal'}`);
  }
  out(`  mesh metrics  ${mesh.metricsUrl}  (Istio, OBI/Beyla and cAdvisor families)`);
  out(`  fault API     ${mesh.controlUrl}/faults`);
  out(`  ground truth  ${groundTruthPath}`);
  if (prometheus) {
    const example = encodeURIComponent(serviceHealthQueries(30).p95);
    out(`  Prometheus    ${prometheus.url}  (scraping the mesh every ${options.scrapeIntervalSeconds} s)`);
    out(`                p95 per service: ${prometheus.url}/graph?g0.expr=${example}&g0.tab=0`);
  }
  out('Stop with Ctrl-C.');

  await new Promise<void>((resolve) => {
    let stopping = false;
    const timers: NodeJS.Timeout[] = [];
    const stop = (reason: string) => {
      if (stopping) {
        return;
      }
      stopping = true;
      unregister();
      timers.forEach((timer) => clearTimeout(timer));
      clearInterval(ticker);
      err(`stopping (${reason})`);
      generator.stop();
      const stats = generator.stats();
      void Promise.allSettled([mesh.stop(), prometheus?.stop()]).then((results) => {
        for (const result of results) {
          if (result.status === 'rejected') {
            err(`while stopping: ${result.reason}`);
          }
        }
        err(`load: ${stats.sent} requests sent, ${stats.ok} ok, ${stats.errors} errors, ${stats.dropped} dropped`);
        err(`stopped; the ground truth stays at ${groundTruthPath}`);
        resolve();
      });
    };
    const unregister = options.onShutdownRequest(stop);
    const ticker = setInterval(() => {
      void printTable(mesh, prometheus, generator, options).catch((error: unknown) => err(`table: ${error}`));
    }, options.intervalSeconds * 1000);
    if (options.durationSeconds !== undefined) {
      timers.push(setTimeout(() => stop(`${options.durationSeconds} s are over`), options.durationSeconds * 1000));
    }
    void generator.run();
  });
}

async function startPrometheusIfInstalled(
  mesh: RunningMesh,
  options: EmbeddedDemoOptions
): Promise<RunningPrometheus | undefined> {
  try {
    await resolvePrometheusBinary();
  } catch (error) {
    options.out(`Prometheus is not available, so nothing stores the telemetry: ${(error as Error).message}`);
    options.out(
      `The mesh still serves it at ${mesh.metricsUrl}; the table below then shows the load generator's view.`
    );
    return undefined;
  }
  const target = new URL(mesh.metricsUrl);
  return startPrometheus({
    scrapeTargets: [{ job: 'seismo-demo-mesh', targets: [target.host], metricsPath: target.pathname }],
    scrapeIntervalSeconds: options.scrapeIntervalSeconds,
    // The harness picks a free port when none is given.
    ...(options.prometheusPort > 0 ? { port: options.prometheusPort } : {}),
  });
}

async function printTable(
  mesh: RunningMesh,
  prometheus: RunningPrometheus | undefined,
  generator: LoadGenerator,
  options: EmbeddedDemoOptions
): Promise<void> {
  const now = new Date();
  if (!prometheus) {
    const stats = generator.stats();
    options.out(
      `--- ${now.toISOString()}  load: ${stats.sent} sent, ${stats.ok} ok, ${stats.errors} errors, ` +
        `p95 ${Number.isFinite(stats.latencyMs.p95) ? stats.latencyMs.p95.toFixed(1) : '-'} ms`
    );
    return;
  }
  // A rate needs at least two scrapes in its window.
  const queries = serviceHealthQueries(Math.max(30, options.scrapeIntervalSeconds * 4));
  const [rate, errors, p95] = await Promise.all([
    prometheus.queryVector(queries.rate),
    prometheus.queryVector(queries.errors),
    prometheus.queryVector(queries.p95),
  ]);
  const byService = (samples: Array<{ metric: Record<string, string>; value: number }>) =>
    new Map(samples.map((sample) => [sample.metric.destination_workload, sample.value]));
  const rates = byService(rate);
  const errorRates = byService(errors);
  const p95s = byService(p95);
  const rows: ServiceHealth[] = [...mesh.services.keys()].map((service) => {
    const requestsPerSecond = rates.get(service);
    const errorRate = errorRates.get(service) ?? (requestsPerSecond === undefined ? undefined : 0);
    return {
      service,
      requestsPerSecond,
      errorRatio: requestsPerSecond ? (errorRate ?? 0) / requestsPerSecond : undefined,
      p95Ms: p95s.get(service),
    };
  });
  formatHealthTable(now, rows, mesh.faults.list()).forEach((line) => options.out(line));
}
