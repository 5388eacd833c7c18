import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario } from './faults/loadScenario.js';
import type { Scenario } from './faults/types.js';
import {
  createProfile,
  LoadGenerator,
  parseDuration,
  resolveLoadProfile,
  type LoadProfileDocument,
} from './load/index.js';
import { startMesh, TELEMETRY_FAMILIES, type RunningMesh, type TelemetryFamily } from './mesh/startMesh.js';
import { SourceLocationError } from './topology/SourceLocationError.js';
import { loadTopology } from './topology/loadTopology.js';

/**
 * seismo-demo-mesh: runs the demo mesh until SIGINT / SIGTERM (or until --duration is over).
 *
 *   seismo-demo-mesh --topology topologies/online-boutique.yaml --telemetry istio,obi,cadvisor \
 *     --scenario scenarios/shipping-delay.yaml --seed 42 --metrics-port 9464 --control-port 9465 \
 *     --ground-truth out/ground-truth.jsonl --load steady:rps=20 --duration 15m
 */
export const USAGE = `Usage: seismo-demo-mesh [options]

  --topology FILE        topology YAML (default: the shipped online-boutique topology)
  --telemetry LIST       comma-separated families on /metrics: ${TELEMETRY_FAMILIES.join(', ')} (default: all)
  --scenario FILE        scenario YAML of timed faults, counted from the mesh start
  --seed N               seed of every random draw (default 1)
  --metrics-port P       port of /metrics on 127.0.0.1 (default: a free port)
  --control-port P       port of the fault control API on 127.0.0.1 (default: a free port)
  --ground-truth FILE    JSON-lines log of every fault's real start and end
  --load PROFILE         drive load: steady:rps=20, a profile YAML file, or a shipped profile name
  --duration D           stop everything after D (e.g. 600, 10m); also bounds --load (default:
                         the profile file's duration, else 24h of load while the mesh runs on)
  --expose-host HOST     host of /metrics and the control API (default 127.0.0.1; 0.0.0.0 in a
                         container so that Prometheus can scrape it from outside)
  --call-timeout-ms MS   how long a service waits for a downstream answer (default 3000)
  --lean-telemetry       smaller scrapes for large meshes: common Istio labels only, no Istio
                         size histograms
  --json                 print the started endpoints as one JSON line instead of text
  --help                 show this help
`;

export interface CliOptions {
  topologyPath: string;
  telemetry: TelemetryFamily[];
  scenarioPath?: string;
  seed: number;
  metricsPort: number;
  controlPort: number;
  groundTruthPath?: string;
  load?: string;
  durationSeconds?: number;
  callTimeoutMs: number;
  exposeHost: string;
  leanTelemetry: boolean;
  json: boolean;
  help: boolean;
}

/** A command-line mistake: printed with the usage, exit code 2. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

const DEFAULT_TOPOLOGY = fileURLToPath(new URL('../topologies/online-boutique.yaml', import.meta.url));
const MAX_LOAD_SECONDS = 24 * 3600;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        topology: { type: 'string' },
        telemetry: { type: 'string' },
        scenario: { type: 'string' },
        seed: { type: 'string' },
        'metrics-port': { type: 'string' },
        'control-port': { type: 'string' },
        'ground-truth': { type: 'string' },
        load: { type: 'string' },
        duration: { type: 'string' },
        'call-timeout-ms': { type: 'string' },
        'expose-host': { type: 'string' },
        'lean-telemetry': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const telemetry = (values.telemetry ?? TELEMETRY_FAMILIES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const family of telemetry) {
    if (!(TELEMETRY_FAMILIES as readonly string[]).includes(family)) {
      throw new CliUsageError(`--telemetry: unknown family "${family}" (choose from ${TELEMETRY_FAMILIES.join(', ')})`);
    }
  }
  if (telemetry.length === 0) {
    throw new CliUsageError(`--telemetry: give at least one of ${TELEMETRY_FAMILIES.join(', ')}`);
  }
  let durationSeconds: number | undefined;
  if (values.duration !== undefined) {
    durationSeconds = parseDuration(values.duration);
    if (durationSeconds === undefined || !(durationSeconds > 0)) {
      throw new CliUsageError(
        `--duration: expected a positive duration such as 600, 90s or 10m, got "${values.duration}"`
      );
    }
  }
  return {
    topologyPath: values.topology ?? DEFAULT_TOPOLOGY,
    telemetry: telemetry as TelemetryFamily[],
    ...(values.scenario !== undefined ? { scenarioPath: values.scenario } : {}),
    seed: integer('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    metricsPort: integer('--metrics-port', values['metrics-port'], 0, 0, 65535),
    controlPort: integer('--control-port', values['control-port'], 0, 0, 65535),
    ...(values['ground-truth'] !== undefined ? { groundTruthPath: values['ground-truth'] } : {}),
    ...(values.load !== undefined ? { load: values.load } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
    callTimeoutMs: integer('--call-timeout-ms', values['call-timeout-ms'], 3000, 1, 600_000),
    exposeHost: values['expose-host'] ?? '127.0.0.1',
    leanTelemetry: values['lean-telemetry'] ?? false,
    json: values.json ?? false,
    help: values.help ?? false,
  };
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) {
    return fallback;
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliUsageError(`${flag}: expected a whole number in [${min}, ${max}], got "${raw}"`);
  }
  return n;
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Registers the shutdown request (signals in a real run); returns a function that unregisters it. */
  onShutdownRequest(handler: (reason: string) => void): () => void;
}

const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  onShutdownRequest(handler) {
    const onInt = (): void => handler('SIGINT');
    const onTerm = (): void => handler('SIGTERM');
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
    return () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  },
};

/** Runs the CLI; resolves with the exit code once everything it started has stopped. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    io.err(`seismo-demo-mesh: ${(err as Error).message}\n`);
    io.err(USAGE);
    return 2;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }

  let scenario: Scenario | undefined;
  let loadDoc: LoadProfileDocument | undefined;
  let mesh: RunningMesh;
  const topology = await prepare(() => loadTopology(options.topologyPath), io);
  if (!topology) {
    return 1;
  }
  if (options.scenarioPath !== undefined) {
    const path = options.scenarioPath;
    scenario = await prepare(() => loadScenario(path, topology), io);
    if (!scenario) {
      return 1;
    }
  }
  if (options.load !== undefined) {
    const load = options.load;
    loadDoc = await prepare(() => resolveLoadProfile(load), io);
    if (!loadDoc) {
      return 1;
    }
  }
  try {
    mesh = await startMesh({
      topology,
      telemetry: options.telemetry,
      seed: options.seed,
      metricsPort: options.metricsPort,
      controlPort: options.controlPort,
      callTimeoutMs: options.callTimeoutMs,
      exposeHost: options.exposeHost,
      telemetryDetail: options.leanTelemetry ? 'lean' : 'full',
      ...(scenario ? { scenario } : {}),
      ...(options.groundTruthPath !== undefined ? { groundTruthPath: options.groundTruthPath } : {}),
    });
  } catch (err) {
    io.err(`seismo-demo-mesh: could not start the mesh: ${(err as Error).message}`);
    return 1;
  }

  const loadSeconds = Math.min(
    options.durationSeconds ?? loadDoc?.durationSeconds ?? MAX_LOAD_SECONDS,
    MAX_LOAD_SECONDS
  );
  const generator = loadDoc
    ? new LoadGenerator({
        profile: createProfile(loadDoc.profile),
        entrypoints: topology.entrypoints,
        seed: options.seed,
        durationSeconds: loadSeconds,
        send: (entry, signal) => mesh.send(entry, signal),
      })
    : undefined;
  return new Promise<number>((resolve) => {
    let finished = false;
    const timers: NodeJS.Timeout[] = [];
    const shutdown = (reason: string): void => {
      if (finished) {
        return;
      }
      finished = true;
      unregister();
      timers.forEach(clearTimeout);
      clearInterval(progress);
      io.err(`seismo-demo-mesh: stopping (${reason})`);
      generator?.stop();
      const stats = generator?.stats();
      void mesh.stop().then(() => {
        if (stats) {
          io.err(
            `seismo-demo-mesh: load sent ${stats.sent} requests, ${stats.ok} ok, ${stats.errors} errors, ${stats.dropped} dropped`
          );
        }
        io.err('seismo-demo-mesh: stopped');
        resolve(0);
      });
    };
    // Listen for signals before announcing readiness: whoever waits for the banner may signal at once.
    const unregister = io.onShutdownRequest(shutdown);
    report(io, options, mesh, scenario, loadDoc, loadSeconds);
    const progress = setInterval(() => {
      const s = generator?.stats();
      if (s) {
        io.err(
          `seismo-demo-mesh: ${s.elapsedSeconds.toFixed(0)} s, sent ${s.sent}, ok ${s.ok}, errors ${s.errors}, p95 ${s.latencyMs.p95?.toFixed(1) ?? '-'} ms`
        );
      }
    }, 30_000);
    if (options.durationSeconds !== undefined) {
      timers.push(
        setTimeout(() => shutdown(`--duration ${options.durationSeconds} s is over`), options.durationSeconds * 1000)
      );
    }
    void generator?.run();
  });
}

/** Runs a loading step, printing a source error as the compiler-style message it is. */
async function prepare<T>(step: () => T | Promise<T>, io: CliIo): Promise<T | undefined> {
  try {
    return await step();
  } catch (err) {
    const message =
      err instanceof SourceLocationError ? err.message : `${(err as Error).name}: ${(err as Error).message}`;
    io.err(`seismo-demo-mesh: ${message}`);
    return undefined;
  }
}

function report(
  io: CliIo,
  options: CliOptions,
  mesh: RunningMesh,
  scenario: Scenario | undefined,
  loadDoc: LoadProfileDocument | undefined,
  loadSeconds: number
): void {
  const services = Object.fromEntries([...mesh.services].map(([name, s]) => [name, s.url]));
  if (options.json) {
    io.out(
      JSON.stringify({
        topology: mesh.topology.name,
        seed: options.seed,
        telemetry: options.telemetry,
        metricsUrl: mesh.metricsUrl,
        controlUrl: mesh.controlUrl,
        groundTruth: options.groundTruthPath ?? null,
        services,
      })
    );
    return;
  }
  const width = Math.max(...[...mesh.services.keys()].map((n) => n.length));
  const lines = [
    `seismo-demo-mesh: topology "${mesh.topology.name}" with ${mesh.services.size} services, seed ${options.seed}`,
    `  metrics       ${mesh.metricsUrl}  (${options.telemetry.join(', ')})`,
    `  control       ${mesh.controlUrl}  (GET /faults, POST /faults, DELETE /faults/:id, GET /healthz)`,
    `  ground truth  ${options.groundTruthPath ?? '(not written; pass --ground-truth FILE)'}`,
    `  scenario      ${scenario ? `${scenario.name ?? options.scenarioPath} (${scenario.faults.length} faults)` : '(none)'}`,
    `  load          ${loadDoc ? `${options.load} for ${loadSeconds} s` : '(none; send requests to the entry service yourself)'}`,
    '  services',
    ...[...mesh.services].map(([name, s]) => `    ${name.padEnd(width)}  ${s.url}`),
    'Stop with Ctrl-C (SIGINT) or SIGTERM.',
  ];
  lines.forEach((l) => io.out(l));
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) {
    return false;
  }
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runCli(process.argv.slice(2));
}
