import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadScenario } from '../faults/loadScenario.js';
import { createProfile, LoadGenerator, resolveLoadProfile } from '../load/index.js';
import { startMesh, type RunningMesh } from '../mesh/startMesh.js';
import { freePort, resolvePrometheusBinary, startPrometheus, type RunningPrometheus } from '../prometheus/index.js';
import { renderSidecarConfig } from '../scenarios/renderSidecarConfig.js';
import { SidecarApi } from '../scenarios/SidecarApi.js';
import { SidecarProcess } from '../scenarios/SidecarProcess.js';
import { loadTopology } from '../topology/loadTopology.js';
import { formatHealthTable, type ServiceHealth } from './formatHealthTable.js';
import { formatSidecarStatus } from './formatSidecarStatus.js';
import { serviceHealthQueries } from './serviceHealthQueries.js';

/** The preview host's entry point (preview/server), injected so the demo runs without it too. */
export type StartPreview = (options: {
  port: number;
  sidecar: { url: string; token: string };
  prometheus: { url: string };
}) => Promise<{ url: string; close(): Promise<void> }>;

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
  /** The sidecar's API port; 0 picks a free one. */
  sidecarPort: number;
  /** The sidecar's config; default demo/config/sidecar.yaml (addresses and state are filled in). */
  sidecarConfigPath?: string;
  /** Starts the panel and app preview against the live sidecar; omitted: no preview. */
  startPreview?: StartPreview;
  previewPort?: number;
  out: (line: string) => void;
  err: (line: string) => void;
  /** Registers a handler for Ctrl-C / SIGTERM; returns its unregistration. */
  onShutdownRequest: (handler: (reason: string) => void) => () => void;
}

/**
 * The no-Docker demo: the demo mesh under load with a fault scenario, Prometheus scraping the
 * mesh and the sidecar, the real sidecar process detecting, and (when available) the preview
 * of the panels and app pages on its live data. Every interval it prints what the sidecar
 * concluded beside the faults really active. Without Prometheus the sidecar has nothing to read,
 * so the demo says how to install it and prints the load generator's view instead. Resolves once
 * everything it started has stopped.
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
  let sidecar: SidecarProcess | undefined;
  let api: SidecarApi | undefined;
  let preview: { url: string; close(): Promise<void> } | undefined;
  let sidecarUrl: string | undefined;
  const stopStarted = async (): Promise<void> => {
    await Promise.allSettled([preview?.close(), sidecar?.stop()]);
    await Promise.allSettled([mesh.stop(), prometheus?.stop()]);
  };
  try {
    const sidecarPort = options.sidecarPort > 0 ? options.sidecarPort : await freePort();
    prometheus = await startPrometheusIfInstalled(mesh, sidecarPort, options);
    if (prometheus) {
      const token = randomBytes(24).toString('hex');
      const tokenFile = join(workDir, 'api-token');
      writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
      const configFile = join(workDir, 'sidecar.yaml');
      writeFileSync(
        configFile,
        renderSidecarConfig(
          { prometheusUrl: prometheus.url, apiPort: sidecarPort, tokenFile, stateDir: join(workDir, 'state') },
          options.sidecarConfigPath
        )
      );
      sidecarUrl = `http://127.0.0.1:${sidecarPort}`;
      sidecar = new SidecarProcess({ configFile, url: sidecarUrl, logFile: join(workDir, 'sidecar.log') });
      await sidecar.start();
      api = new SidecarApi(sidecarUrl, token);
      if (options.startPreview) {
        preview = await options.startPreview({
          port: options.previewPort ?? 0,
          sidecar: { url: sidecarUrl, token },
          prometheus: { url: prometheus.url },
        });
      }
    }
  } catch (error) {
    await stopStarted();
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
  out(`  mesh metrics  ${mesh.metricsUrl}  (Istio, OBI/Beyla, cAdvisor and kube-state-metrics families)`);
  out(`  fault API     ${mesh.controlUrl}/faults`);
  out(`  ground truth  ${groundTruthPath}`);
  if (prometheus) {
    const example = encodeURIComponent(serviceHealthQueries(30).p95);
    out(
      `  Prometheus    ${prometheus.url}  (scraping the mesh and the sidecar every ${options.scrapeIntervalSeconds} s)`
    );
    out(`                p95 per service: ${prometheus.url}/graph?g0.expr=${example}&g0.tab=0`);
  }
  if (sidecarUrl !== undefined) {
    out(`  sidecar       ${sidecarUrl}  (its config, token and log are in ${workDir})`);
  }
  if (preview) {
    out(`  app pages     ${preview.url}a/seismo-aiops-app/overview`);
    out(`  panels        ${preview.url}?view=panels&source=live`);
  } else if (sidecar) {
    out('  preview       not started (build it with `npm run build && npm run build:preview`)');
  }
  out('Detectors warm up first (a few minutes); the faults start after that. Stop with Ctrl-C.');

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
      void Promise.allSettled([stopStarted()]).then((results) => {
        for (const result of results) {
          if (result.status === 'rejected') {
            err(`while stopping: ${result.reason}`);
          }
        }
        if (sidecar !== undefined && sidecar.unexpectedExits.length > 0) {
          err(`the sidecar exited on its own: ${sidecar.unexpectedExits.join('; ')}`);
        }
        err(`load: ${stats.sent} requests sent, ${stats.ok} ok, ${stats.errors} errors, ${stats.dropped} dropped`);
        err(`stopped; the ground truth and the sidecar's log stay in ${workDir}`);
        resolve();
      });
    };
    const unregister = options.onShutdownRequest(stop);
    const ticker = setInterval(() => {
      const print =
        api !== undefined ? printSidecarStatus(api, mesh, options) : printTable(mesh, prometheus, generator, options);
      void print.catch((error: unknown) => err(`status: ${error instanceof Error ? error.message : String(error)}`));
    }, options.intervalSeconds * 1000);
    if (options.durationSeconds !== undefined) {
      timers.push(setTimeout(() => stop(`${options.durationSeconds} s are over`), options.durationSeconds * 1000));
    }
    void generator.run();
  });
}

async function startPrometheusIfInstalled(
  mesh: RunningMesh,
  sidecarPort: number,
  options: EmbeddedDemoOptions
): Promise<RunningPrometheus | undefined> {
  try {
    await resolvePrometheusBinary();
  } catch (error) {
    options.out(`Prometheus is not available, so the sidecar has nothing to read: ${(error as Error).message}`);
    options.out(
      `The mesh still serves its telemetry at ${mesh.metricsUrl}; the table below then shows the load generator's view.`
    );
    return undefined;
  }
  const target = new URL(mesh.metricsUrl);
  return startPrometheus({
    scrapeTargets: [
      { job: 'seismo-demo-mesh', targets: [target.host], metricsPath: target.pathname },
      { job: 'seismo-sidecar', targets: [`127.0.0.1:${sidecarPort}`] },
    ],
    scrapeIntervalSeconds: options.scrapeIntervalSeconds,
    // The harness picks a free port when none is given.
    ...(options.prometheusPort > 0 ? { port: options.prometheusPort } : {}),
  });
}

async function printSidecarStatus(api: SidecarApi, mesh: RunningMesh, options: EmbeddedDemoOptions): Promise<void> {
  const [status, services, edges, forecasts, open, temperature, openThreshold] = await Promise.all([
    api.status(),
    api.services(),
    api.edges(),
    api.forecasts(),
    api.incidents('open'),
    api.gauge('seismo_incident_temperature'),
    api.gauge('seismo_incident_open_threshold'),
  ]);
  const incident = open[0] ?? null;
  const rootCause = incident === null ? [] : await api.rootCause(incident.id);
  formatSidecarStatus({
    at: new Date(),
    status,
    services,
    edges,
    forecasts,
    temperature,
    openThreshold,
    incident: incident === null ? null : { id: incident.id, severity: incident.severity },
    rootCause,
    faults: mesh.faults.list(),
  }).forEach((line) => options.out(line));
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
