import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { createProfile, LoadGenerator, resolveLoadProfile } from '../load/index.js';
import { startMesh, type RunningMesh } from '../mesh/startMesh.js';
import { freePort, startPrometheus, type RunningPrometheus } from '../prometheus/index.js';
import { loadScenarioCheck } from './loadScenarioCheck.js';
import { observeSidecar } from './observeSidecar.js';
import { renderSidecarConfig } from './renderSidecarConfig.js';
import { SidecarApi } from './SidecarApi.js';
import { SidecarProcess } from './SidecarProcess.js';
import { summariseScenario } from './summariseScenario.js';
import type { Observation, ObservedIncident, ScenarioCheck, ScenarioEvent, ScenarioResult } from './types.js';

export interface RunScenarioOptions {
  /** Scenario file (see demo/scenarios/end-to-end). */
  readonly file: string;
  /** Prometheus scrape interval, seconds. Default 2. */
  readonly scrapeIntervalSeconds?: number;
  /** How often the sidecar is polled, seconds. Default 5. */
  readonly pollSeconds?: number;
  /** Progress lines (not the result). */
  readonly log: (line: string) => void;
  /** Keep the run directory (configs, logs, Prometheus data) instead of removing it. */
  readonly keep?: boolean;
}

const INVALID_CONFIG = `# written by the scenario: not a valid sidecar config
prometheus:
  url: 42
detection:
  intervalSeconds: -5
`;

/**
 * Runs one end-to-end scenario: the demo mesh under load, a real Prometheus scraping the mesh and
 * the sidecar, and the sidecar as its own process (so it can be SIGKILLed like a crashed pod).
 * After the warm-up, faults and events follow the scenario's timeline while the sidecar's API is
 * polled; the run is then judged on what the sidecar reported (summariseScenario). Everything it
 * started is stopped, also on error.
 */
export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const { check, topology } = loadScenarioCheck(options.file);
  const { log } = options;
  const scrape = options.scrapeIntervalSeconds ?? 2;
  const poll = options.pollSeconds ?? 5;
  const dir = mkdtempSync(join(tmpdir(), `seismo-scenario-${check.name}-`));
  const token = randomBytes(24).toString('hex');
  const tokenFile = join(dir, 'api-token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const loadDoc = await resolveLoadProfile(check.load);

  let mesh: RunningMesh | undefined;
  let prometheus: RunningPrometheus | undefined;
  let sidecar: SidecarProcess | undefined;
  let generator: LoadGenerator | undefined;
  try {
    mesh = await startMesh({ topology, seed: check.seed, groundTruthPath: join(dir, 'ground-truth.jsonl') });
    const apiPort = await freePort();
    const sidecarUrl = `http://127.0.0.1:${apiPort}`;
    prometheus = await startPrometheus({
      scrapeTargets: [
        { job: 'seismo-demo-mesh', targets: [new URL(mesh.metricsUrl).host] },
        { job: 'seismo-sidecar', targets: [`127.0.0.1:${apiPort}`] },
      ],
      scrapeIntervalSeconds: scrape,
      dataDir: join(dir, 'prometheus'),
    });
    const configFile = join(dir, 'sidecar.yaml');
    writeFileSync(
      configFile,
      renderSidecarConfig({ prometheusUrl: prometheus.url, apiPort, tokenFile, stateDir: join(dir, 'state') })
    );
    sidecar = new SidecarProcess({ configFile, url: sidecarUrl, logFile: join(dir, 'sidecar.log') });
    const api = new SidecarApi(sidecarUrl, token);

    const runSeconds = check.warmupSeconds + check.durationSeconds;
    generator = new LoadGenerator({
      profile: createProfile(loadDoc.profile),
      entrypoints: topology.entrypoints,
      seed: check.seed,
      durationSeconds: runSeconds + 30,
      send: (entry, signal) => (mesh as RunningMesh).send(entry, signal),
    });
    void generator.run();
    await sidecar.start();
    const t0 = Date.now() + check.warmupSeconds * 1000;
    mesh.faults.schedule(check.faults, t0);
    log(
      `${check.name}: mesh ${mesh.metricsUrl}, Prometheus ${prometheus.url}, sidecar ${sidecarUrl}; ` +
        `${check.warmupSeconds} s warm-up, then ${check.durationSeconds} s (run directory ${dir})`
    );

    const observations: Observation[] = [];
    const pending: ScenarioEvent[] = [...check.events];
    const end = t0 + check.durationSeconds * 1000;
    while (Date.now() < end) {
      const t = (Date.now() - t0) / 1000;
      while (pending.length > 0 && (pending[0] as ScenarioEvent).atSeconds <= t) {
        const event = pending.shift() as ScenarioEvent;
        log(`${check.name}: t=${Math.round(t)} s ${event.action}`);
        await perform(event, { prometheus, sidecar, configFile });
      }
      const observation = await observeSidecar(api, t);
      observations.push(observation);
      log(describe(check, observation));
      const nextEvent = pending[0] === undefined ? Infinity : t0 + pending[0].atSeconds * 1000;
      await sleep(Math.max(0, Math.min(Date.now() + poll * 1000, nextEvent, end) - Date.now()));
    }

    if (!sidecar.running) {
      await sidecar.start();
    }
    const seen = await api.incidents('all', Math.floor(t0 / 1000) - check.warmupSeconds);
    // Why each incident was opened and at what severity: what a failed expectation is read against.
    for (const { id } of seen) {
      const detail = await api.incident(id);
      log(`${check.name}: ${id} ${detail.severity}, affected [${detail.affectedEntities.join(', ')}]; ${detail.rule}`);
    }
    const incidents: ObservedIncident[] = seen.map((i) => ({
      id: i.id,
      openedAt: i.openedAt - t0 / 1000,
      closedAt: i.closedAt === null ? null : i.closedAt - t0 / 1000,
      severity: i.severity,
      rootCause: i.rootCause,
    }));
    return summariseScenario(check, { observations, incidents, unexpectedExits: sidecar.unexpectedExits });
  } finally {
    generator?.stop();
    const stops = await Promise.allSettled([sidecar?.stop(), prometheus?.stop(), mesh?.stop()]);
    for (const stop of stops) {
      if (stop.status === 'rejected') {
        log(`${check.name}: while stopping: ${String(stop.reason)}`);
      }
    }
    if (options.keep === true) {
      log(`${check.name}: run directory kept at ${dir}`);
    } else {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

async function perform(
  event: ScenarioEvent,
  ctx: { prometheus: RunningPrometheus; sidecar: SidecarProcess; configFile: string }
): Promise<void> {
  switch (event.action) {
    case 'kill-prometheus':
      await ctx.prometheus.kill('SIGKILL');
      return;
    case 'start-prometheus':
      await ctx.prometheus.restart();
      return;
    case 'kill-sidecar':
      await ctx.sidecar.kill();
      return;
    case 'start-sidecar':
      await ctx.sidecar.start();
      return;
    case 'write-invalid-config':
      writeFileSync(ctx.configFile, INVALID_CONFIG);
      return;
  }
}

function describe(check: ScenarioCheck, o: Observation): string {
  if (!o.sidecarUp) {
    return `${check.name}: t=${Math.round(o.t)} s sidecar not answering`;
  }
  const states = Object.entries(o.serviceStates)
    .filter(([, n]) => n > 0)
    .map(([state, n]) => `${state} ${n}`)
    .join(', ');
  const incident = o.openIncident === null ? 'no incident' : `${o.openIncident.severity} ${o.openIncident.id}`;
  const top = o.rootCause[0] === undefined ? '' : `, top cause ${o.rootCause[0]}`;
  const temperature = o.temperature === null ? '-' : o.temperature.toFixed(1);
  return `${check.name}: t=${Math.round(o.t)} s services [${states}], Prometheus ${o.prometheusUp === false ? 'down' : 'up'}, temperature ${temperature}, ${incident}${top}`;
}
