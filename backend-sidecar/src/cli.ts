import { pathToFileURL } from 'node:url';

import { ConfigError } from './config/ConfigError.js';
import { detectionModule } from './detection/detectionModule.js';
import { loadConfigFile } from './config/loadConfigFile.js';
import { loadConfigText } from './config/loadConfigText.js';
import type { LoadedConfig } from './config/types.js';
import type { BuildInfo } from './metrics/createSidecarMetrics.js';
import { readBuildInfo } from './metrics/readBuildInfo.js';
import { startServer, type RunningServer, type SidecarModule } from './server.js';

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where SIGTERM, SIGINT and SIGHUP arrive; the process in production. */
  readonly signals: Pick<NodeJS.Process, 'on' | 'off'>;
  /** Immediate exit for a second signal. */
  readonly exit: (code: number) => never;
  /** Modules to plug in; default: the detection loop with HTTP API v1. */
  readonly modules?: readonly SidecarModule[];
}

const USAGE = `Usage: seismo-sidecar --config FILE [--check]

  -c, --config FILE   the sidecar's YAML config (see docs/configuration.md)
      --check         validate the config (and the files it names) and exit: 0 valid, 1 invalid
  -h, --help          show this help
      --version       print the version
`;

interface Args {
  config: string | null;
  check: boolean;
  help: boolean;
  version: boolean;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { config: null, check: false, help: false, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--check') {
      args.check = true;
    } else if (arg === '-h' || arg === '--help') {
      args.help = true;
    } else if (arg === '--version') {
      args.version = true;
    } else if (arg === '-c' || arg === '--config') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) {
        return `${arg} needs a file name`;
      }
      args.config = value;
    } else if (arg.startsWith('--config=')) {
      args.config = arg.slice('--config='.length);
    } else {
      return `unknown argument ${JSON.stringify(arg)}`;
    }
  }
  return args;
}

/** Loads the config; prints the problems and returns null when it is invalid. */
function load(file: string, io: CliIo): LoadedConfig | null {
  try {
    return loadConfigFile(file, { env: io.env });
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw error;
    }
    const n = error.issues.length;
    io.stderr.write(`${file}: invalid config (${n} problem${n === 1 ? '' : 's'}):\n`);
    for (const line of error.lines()) {
      io.stderr.write(`  ${line}\n`);
    }
    return null;
  }
}

/** The command line; resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr.write(`seismo-sidecar: ${args}\n\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const build = readBuildInfo(io.env);
  if (args.version) {
    io.stdout.write(`${build.version}\n`);
    return 0;
  }
  if (args.config === null) {
    io.stderr.write(`seismo-sidecar: --config FILE is required\n\n${USAGE}`);
    return 2;
  }
  const file = args.config;
  const loaded = load(file, io);
  if (loaded === null) {
    return 1;
  }
  if (args.check) {
    const { prometheus, api, telemetry } = loaded.config;
    io.stdout.write(
      `${file}: OK (Prometheus ${prometheus.url}, API on ${api.host}:${api.port}${api.token === null ? ' without a token' : ''}, presets ${telemetry.presets.join(', ') || 'none'})\n`
    );
    return 0;
  }

  return run(file, loaded, build, io);
}

/**
 * Runs the server until SIGTERM or SIGINT, then shuts down gracefully; a second signal exits at
 * once. SIGHUP reloads the config (re-reading secret files too). The handlers are installed
 * before the server starts, so a signal during start-up is honoured once it is up.
 */
async function run(file: string, loaded: LoadedConfig, build: BuildInfo, io: CliIo): Promise<number> {
  let server: RunningServer | null = null;
  let requested: NodeJS.Signals | null = null;
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => {
    finish = resolve;
  });
  const stop = (running: RunningServer, signal: NodeJS.Signals) => {
    void running
      .shutdown(signal)
      .then((report) => finish(report.failed.length === 0 && report.timedOut.length === 0 ? 0 : 1));
  };
  const onStop = (signal: NodeJS.Signals) => {
    if (requested !== null) {
      if (server === null) {
        io.stderr.write(`seismo-sidecar: second signal (${signal}): exiting without waiting\n`);
      } else {
        server.app.log.warn({ signal }, 'second signal: exiting without waiting');
      }
      io.exit(1);
    }
    requested = signal;
    if (server !== null) {
      stop(server, signal);
    }
  };
  const onHup = () => {
    void server?.watcher.reload({ force: true });
  };
  io.signals.on('SIGTERM', onStop);
  io.signals.on('SIGINT', onStop);
  io.signals.on('SIGHUP', onHup);
  try {
    try {
      server = await startServer({
        loaded,
        load: (text) => loadConfigText(text, file, { env: io.env }),
        build,
        modules: io.modules ?? [detectionModule({ build })],
        // Structured logs go to stdout, where container runtimes collect them; for the real
        // stdout pino's own synchronous writer is used so nothing is lost at exit.
        ...(io.stdout === process.stdout ? {} : { logStream: io.stdout }),
      });
    } catch (error) {
      io.stderr.write(`seismo-sidecar: cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
      return 1;
    }
    if (requested !== null) {
      stop(server, requested);
    }
    return await finished;
  } finally {
    io.signals.off('SIGTERM', onStop);
    io.signals.off('SIGINT', onStop);
    io.signals.off('SIGHUP', onHup);
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  const code = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    signals: process,
    exit: (c) => process.exit(c),
  });
  process.exit(code);
}
