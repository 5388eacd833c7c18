import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { createProfile, LoadGenerator } from '../../../demo/src/load/index.js';
import { startMesh, type RunningMesh } from '../../../demo/src/mesh/startMesh.js';
import { freePort, pollUntil, startPrometheus, type RunningPrometheus } from '../../../demo/src/prometheus/index.js';
import { resolveTopologyPath } from '../../../demo/src/scenarios/loadScenarioCheck.js';
import { SidecarProcess } from '../../../demo/src/scenarios/SidecarProcess.js';
import { loadTopology } from '../../../demo/src/topology/loadTopology.js';
import { renderStackSidecarConfig } from './renderStackSidecarConfig.js';

/** The call edge the stack delays: the lab's fixed-delay fault, strong enough to page within a minute. */
const FAULTED_EDGE = { client: 'frontend', server: 'productcatalogservice' } as const;
const FAULT_ID = 'contract-delay';
const FAULT_DELAY_MS = 400;
/**
 * History Prometheus must hold before the fault: the root-cause ranking calibrates each series on
 * at least 20 points (40 s at 2-s steps) before its 30-s window, and the first rate window is empty.
 */
const HISTORY_BEFORE_FAULT_MS = 80_000;

export interface DatasourceStackOptions {
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** How long the load generator runs at most; the stack is useless without traffic afterwards. */
  readonly loadSeconds: number;
  /** Requests per second into the mesh's entrypoints. Default 20. */
  readonly rps?: number;
  readonly seed?: number;
  /** Total time allowed for the detectors to score and the fault to open an incident. Default 180 s. */
  readonly readyTimeoutMs?: number;
}

export interface DatasourceStack {
  readonly prometheusUrl: string;
  readonly sidecarUrl: string;
  /** The sidecar's API token (the datasource's sidecarToken). */
  readonly sidecarToken: string;
  readonly meshControlUrl: string;
  /** Every service of the mesh's topology. */
  readonly services: readonly string[];
  readonly faultedEdge: { readonly client: string; readonly server: string };
  /**
   * The incident the fault opened: opened after the injection, with the faulted edge among its
   * affected entities (it may close while the stack runs).
   */
  readonly incidentId: string;
  /** Stops the load, the sidecar, Prometheus and the mesh, each by its handle, and removes the run directory. */
  stop(): Promise<void>;
}

interface SidecarEdge {
  id: string;
  state: string;
}

interface SidecarIncident {
  id: string;
  /** Unix seconds. */
  openedAt: number;
  affectedEntities: string[];
}

interface SidecarRanking {
  incidentId: string | null;
  candidates: Array<{ service: string; rank: number; unknown?: boolean }>;
}

/**
 * The real stack the datasource talks to in production, on 127.0.0.1: the Online Boutique demo
 * mesh under open-loop load, Prometheus scraping the mesh and the sidecar every second, and the
 * sidecar as its own process with the demo's config on short timings (renderStackSidecarConfig).
 * Every process is stopped by its own handle (by PID), also when start-up fails.
 * Resolves once the detectors score the mesh, a delay has been injected on FAULTED_EDGE through
 * the mesh's control API, an incident is open with a root-cause ranking, and Prometheus holds the
 * series every query type reads.
 */
export async function startDatasourceStack(options: DatasourceStackOptions): Promise<DatasourceStack> {
  const { log } = options;
  const seed = options.seed ?? 11;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 180_000);
  const remaining = () => Math.max(1000, deadline - Date.now());
  const dir = mkdtempSync(join(tmpdir(), 'seismo-datasource-stack-'));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'api-token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const topology = loadTopology(resolveTopologyPath('online-boutique'));

  let mesh: RunningMesh | undefined;
  let prometheus: RunningPrometheus | undefined;
  let sidecar: SidecarProcess | undefined;
  let generator: LoadGenerator | undefined;
  let loadRun: Promise<unknown> | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      generator?.stop();
      await loadRun;
      const results = await Promise.allSettled([sidecar?.stop(), prometheus?.stop(), mesh?.stop()]);
      rmSync(dir, { recursive: true, force: true });
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed !== undefined) {
        throw failed.reason;
      }
    })();
    return stopping;
  };

  try {
    mesh = await startMesh({ topology, seed, callTimeoutMs: 2000 });
    const historyStart = Date.now();
    const apiPort = await freePort();
    const sidecarUrl = `http://127.0.0.1:${apiPort}`;
    prometheus = await startPrometheus({
      scrapeTargets: [
        { job: 'seismo-demo-mesh', targets: [new URL(mesh.metricsUrl).host] },
        { job: 'seismo-sidecar', targets: [`127.0.0.1:${apiPort}`] },
      ],
      scrapeIntervalSeconds: 1,
      dataDir: join(dir, 'prometheus'),
    });
    const configFile = join(dir, 'sidecar.yaml');
    writeFileSync(
      configFile,
      renderStackSidecarConfig({
        prometheusUrl: prometheus.url,
        apiPort,
        tokenFile,
        stateDir: join(dir, 'state'),
      })
    );
    const runningMesh = mesh;
    generator = new LoadGenerator({
      profile: createProfile({ kind: 'steady', rps: options.rps ?? 20 }),
      entrypoints: topology.entrypoints,
      seed,
      durationSeconds: options.loadSeconds,
      send: (entry, signal) => runningMesh.send(entry, signal),
    });
    loadRun = generator.run();
    sidecar = new SidecarProcess({ configFile, url: sidecarUrl, logFile: join(dir, 'sidecar.log') });
    await sidecar.start();
    log(
      `mesh ${mesh.metricsUrl}, Prometheus ${prometheus.url} (pid ${prometheus.pid}), sidecar ${sidecarUrl} (pid ${sidecar.pid})`
    );

    const api = async <T>(path: string): Promise<T> => {
      const response = await fetch(`${sidecarUrl}/api/v1/${path}`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) {
        throw new Error(`GET /api/v1/${path}: HTTP ${response.status} ${(await response.text()).slice(0, 300)}`);
      }
      return (await response.json()) as T;
    };
    const edgeId = `${FAULTED_EDGE.client}->${FAULTED_EDGE.server}`;
    await pollUntil(
      `the sidecar to score ${edgeId} and most of the mesh's edges`,
      async () => {
        const { edges } = await api<{ edges: SidecarEdge[] }>('edges');
        const scored = edges.filter((e) => e.state === 'ok').length;
        const target = edges.find((e) => e.id === edgeId)?.state ?? 'not seen';
        return target === 'ok' && scored >= 10
          ? { done: true, value: undefined }
          : { done: false, state: `${edgeId} ${target}, ${scored} of ${edges.length} edges ok` };
      },
      { timeoutMs: remaining(), intervalMs: 1000 }
    );
    await sleep(Math.max(0, historyStart + HISTORY_BEFORE_FAULT_MS - Date.now()));
    // An incident still open would take the fault's entities in and keep its own ranking.
    await pollUntil(
      'no incident to be open before the fault',
      async () => {
        const { incidents } = await api<{ incidents: SidecarIncident[] }>('incidents?state=open');
        return incidents.length === 0
          ? { done: true, value: undefined }
          : { done: false, state: `${incidents.map((i) => i.id).join(', ')} open` };
      },
      { timeoutMs: remaining(), intervalMs: 1000 }
    );
    const injectedAt = Math.floor(Date.now() / 1000);
    log(`detectors score the mesh; delaying ${edgeId} by ${FAULT_DELAY_MS} ms through ${mesh.controlUrl}/faults`);
    const injected = await fetch(`${mesh.controlUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: FAULT_ID,
        type: 'delay',
        edge: FAULTED_EDGE,
        delayMs: FAULT_DELAY_MS,
        percentage: 100,
      }),
    });
    if (injected.status !== 201) {
      throw new Error(`the mesh refused the fault: HTTP ${injected.status} ${await injected.text()}`);
    }

    const incident = await pollUntil(
      'the fault to open an incident with a root-cause ranking',
      async () => {
        const { incidents } = await api<{ incidents: SidecarIncident[] }>('incidents?state=open');
        const open = incidents.find((i) => i.openedAt >= injectedAt && i.affectedEntities.includes(edgeId));
        if (open === undefined) {
          const others = incidents.map((i) => `${i.id} (affected: ${i.affectedEntities.join(', ')})`).join('; ');
          return { done: false, state: others === '' ? 'no open incident' : `open, not from the fault: ${others}` };
        }
        const ranking = await api<SidecarRanking>(`rootcause?incidentId=${encodeURIComponent(open.id)}`).catch(
          () => null
        );
        return ranking !== null && ranking.candidates.length > 0
          ? { done: true, value: { id: open.id, ranking } }
          : { done: false, state: `${open.id} open, not ranked yet` };
      },
      { timeoutMs: remaining(), intervalMs: 1000 }
    );
    const top = incident.ranking.candidates.find((c) => c.rank === 1);
    log(
      `incident ${incident.id} open, ranked first: ${top?.service ?? 'none'}${top?.unknown === true ? ' (unknown)' : ''}`
    );
    // The datasource reads history from Prometheus with range queries, whose last point lies up to
    // a step before now: wait until the series every history query type reads have samples a few
    // seconds old (the contract test queries at 1-s steps).
    const edgeSelector = `client="${FAULTED_EDGE.client}",server="${FAULTED_EDGE.server}"`;
    for (const selector of [
      `seismo_edge_anomaly_score{${edgeSelector}}`,
      `seismo_incident_open{incident_id="${incident.id}"}`,
      'seismo_service_anomaly_score',
      'seismo_forecast_actual',
    ]) {
      await prometheus.waitFor(`count(${selector} offset 3s)`, (v) => (v[0]?.value ?? 0) > 0, remaining());
    }
    return {
      prometheusUrl: prometheus.url,
      sidecarUrl,
      sidecarToken: token,
      meshControlUrl: mesh.controlUrl,
      services: [...topology.services.keys()],
      faultedEdge: FAULTED_EDGE,
      incidentId: incident.id,
      stop,
    };
  } catch (error) {
    log(`the stack did not come up; the sidecar's log ends with:\n${logTail(join(dir, 'sidecar.log'))}`);
    await stop().catch((stopError: unknown) => log(`while stopping: ${String(stopError)}`));
    throw error;
  }
}

function logTail(file: string, lines = 20): string {
  return existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '(no log)';
}
