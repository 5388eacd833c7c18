import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { stringify } from 'yaml';
import { PrometheusApiError } from './PrometheusApiError.js';
import { PrometheusClient } from './PrometheusClient.js';
import { freePort } from './freePort.js';
import { pollUntil } from './pollUntil.js';
import { renderPrometheusConfig } from './renderPrometheusConfig.js';
import { resolvePrometheusBinary } from './resolvePrometheusBinary.js';
import type {
  InstantQueryResult,
  LogStream,
  MatrixSeries,
  ProcessExit,
  PromTime,
  RunningPrometheus,
  ScrapeTarget,
  ScrapeTargetStatus,
  StartPrometheusOptions,
  VectorSample,
} from './types.js';

/** Lines of Prometheus output kept for error messages. */
const OUTPUT_TAIL_LINES = 40;
/** Auto-chosen ports can be taken between freePort() and Prometheus binding them. */
const PORT_ATTEMPTS = 3;
const POLL_INTERVAL_MS = 200;
const DEFAULT_WAIT_MS = 30_000;

/**
 * Starts Prometheus on 127.0.0.1 with a generated configuration and resolves once /-/ready
 * answers. The caller owns the result and must call stop() (also when a test fails); if the
 * Node process exits first, the child is killed by PID from a process 'exit' handler.
 */
export async function startPrometheus(options: StartPrometheusOptions): Promise<RunningPrometheus> {
  const binary = await resolvePrometheusBinary(options.binary);
  const scrapeIntervalSeconds = options.scrapeIntervalSeconds ?? 1;
  // The working directory holds the generated files and, unless one is given, the TSDB; it
  // is what stop() removes, so a caller's own data directory is never deleted.
  const workDir = await mkdtemp(join(tmpdir(), 'seismo-prometheus-'));
  try {
    const dataDir = resolvePath(options.dataDir ?? join(workDir, 'data'));
    await mkdir(dataDir, { recursive: true });
    const ruleFiles = (options.ruleFiles ?? []).map((file) => resolvePath(file));
    if (options.ruleGroups !== undefined && options.ruleGroups.length > 0) {
      const generated = join(workDir, 'rules.yml');
      await writeFile(generated, stringify({ groups: options.ruleGroups }));
      ruleFiles.push(generated);
    }
    const settings: Settings = {
      binary,
      workDir,
      dataDir,
      configFile: join(workDir, 'prometheus.yml'),
      ownsDataDir: options.dataDir === undefined,
      scrapeIntervalSeconds,
      evaluationIntervalSeconds: options.evaluationIntervalSeconds ?? scrapeIntervalSeconds,
      ruleFiles,
      retention: options.retention ?? '1d',
      extraFlags: options.extraFlags ?? [],
      log: options.log,
      readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_WAIT_MS,
      stopGraceMs: options.stopGraceMs ?? 10_000,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    };
    const instance = new PrometheusProcess(settings, options.scrapeTargets);
    await instance.writeConfig(options.scrapeTargets);
    await instance.launchFirst(options.port);
    return instance;
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

interface Settings {
  binary: string;
  workDir: string;
  dataDir: string;
  configFile: string;
  ownsDataDir: boolean;
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  ruleFiles: string[];
  retention: string;
  extraFlags: string[];
  log: ((line: string, stream: LogStream) => void) | undefined;
  readyTimeoutMs: number;
  stopGraceMs: number;
  requestTimeoutMs: number;
}

/** One started child process and its end. */
interface Child {
  process: ChildProcess;
  pid: number;
  exit: Promise<ProcessExit>;
  exited: boolean;
}

class PrometheusProcess implements RunningPrometheus {
  private portNumber = 0;
  private client: PrometheusClient | undefined;
  private child: Child | undefined;
  private lastPid = 0;
  private lastExit: ProcessExit | undefined;
  private readonly outputTail: string[] = [];
  /** Lifecycle operations run one after another, so stop() during restart() cannot leave a
   * process behind. */
  private queue: Promise<unknown> = Promise.resolve();
  private stopping: Promise<void> | undefined;

  /** Registered on process 'exit' while a child runs. 'exit' handlers must be synchronous,
   * so this cannot wait for the child; it sends SIGKILL and then removes the working
   * directory on a best-effort basis (retries cover files the dying child still creates). */
  private readonly killOnParentExit = (): void => {
    if (this.child !== undefined && !this.child.exited) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    try {
      rmSync(this.settings.workDir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // Leaving a temporary directory behind must not mask the reason the process exits.
    }
  };

  constructor(
    private readonly settings: Settings,
    private scrapeTargets: ScrapeTarget[]
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.portNumber}`;
  }

  get port(): number {
    return this.portNumber;
  }

  get pid(): number {
    return this.child?.pid ?? this.lastPid;
  }

  get dataDir(): string {
    return this.settings.dataDir;
  }

  get configFile(): string {
    return this.settings.configFile;
  }

  get running(): boolean {
    return this.child !== undefined && !this.child.exited && this.stopping === undefined;
  }

  query(promql: string, time?: PromTime): Promise<InstantQueryResult> {
    return this.api().query(promql, time);
  }

  queryVector(promql: string, time?: PromTime): Promise<VectorSample[]> {
    return this.api().queryVector(promql, time);
  }

  queryRange(promql: string, start: PromTime, end: PromTime, stepSeconds: number): Promise<MatrixSeries[]> {
    return this.api().queryRange(promql, start, end, stepSeconds);
  }

  targets(): Promise<ScrapeTargetStatus[]> {
    return this.api().targets();
  }

  waitForTargetsUp(timeoutMs = DEFAULT_WAIT_MS): Promise<ScrapeTargetStatus[]> {
    const expected = new Set(this.scrapeTargets.flatMap((job) => job.targets.map((target) => `${job.job} ${target}`)));
    return pollUntil(
      `${expected.size} scrape target(s) to be up`,
      async () => {
        const targets = await this.targets();
        const up = new Set(
          targets.filter((t) => t.health === 'up').map((t) => `${t.scrapePool} ${new URL(t.scrapeUrl).host}`)
        );
        if ([...expected].every((key) => up.has(key))) {
          return { done: true, value: targets };
        }
        const state = targets.map((t) => `${t.scrapeUrl} ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`);
        return { done: false, state: state.length > 0 ? state.join('; ') : 'no active targets yet' };
      },
      { timeoutMs, intervalMs: POLL_INTERVAL_MS }
    );
  }

  waitFor(
    promql: string,
    predicate: (samples: VectorSample[]) => boolean,
    timeoutMs = DEFAULT_WAIT_MS
  ): Promise<VectorSample[]> {
    return pollUntil(
      `'${promql}' to satisfy the predicate`,
      async () => {
        const samples = await this.queryVector(promql);
        return predicate(samples) ? { done: true, value: samples } : { done: false, state: describe(samples) };
      },
      {
        timeoutMs,
        intervalMs: POLL_INTERVAL_MS,
        // A malformed query will not get better by waiting; unavailability (restart) may.
        isFatal: (error) => error instanceof PrometheusApiError && error.errorType === 'bad_data',
      }
    );
  }

  reload(): Promise<void> {
    return this.serialized(() => this.reloadNow());
  }

  updateTargets(scrapeTargets: ScrapeTarget[]): Promise<void> {
    return this.serialized(async () => {
      const previousText = await readFile(this.settings.configFile, 'utf8');
      const previousTargets = this.scrapeTargets;
      await this.writeConfig(scrapeTargets);
      this.scrapeTargets = scrapeTargets;
      try {
        await this.reloadNow();
      } catch (error) {
        // Keep file and memory in agreement, so a later restart runs what is running now.
        await writeFile(this.settings.configFile, previousText);
        this.scrapeTargets = previousTargets;
        throw error;
      }
    });
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    return this.serialized(async () => {
      const child = this.child;
      if (child === undefined || child.exited) {
        throw new Error('kill: Prometheus is not running');
      }
      process.kill(child.pid, signal);
      const exit = await exitWithin(child, this.settings.stopGraceMs);
      if (exit === undefined) {
        throw new Error(
          `kill: Prometheus (pid ${child.pid}) did not exit within ${this.settings.stopGraceMs} ms of ${signal}`
        );
      }
      return exit;
    });
  }

  restart(): Promise<void> {
    return this.serialized(async () => {
      if (this.child !== undefined && !this.child.exited) {
        await this.terminate(this.child);
      }
      await this.launch(this.portNumber);
    });
  }

  stop(): Promise<void> {
    this.stopping ??= this.serialized(async () => {
      try {
        if (this.child !== undefined && !this.child.exited) {
          await this.terminate(this.child);
        }
      } finally {
        process.removeListener('exit', this.killOnParentExit);
        await rm(this.settings.workDir, { recursive: true, force: true });
      }
    }, true);
    return this.stopping;
  }

  /** Writes prometheus.yml for the given targets; rename keeps a reload from reading half a file. */
  async writeConfig(scrapeTargets: ScrapeTarget[]): Promise<void> {
    const text = renderPrometheusConfig({
      scrapeTargets,
      scrapeIntervalSeconds: this.settings.scrapeIntervalSeconds,
      evaluationIntervalSeconds: this.settings.evaluationIntervalSeconds,
      ruleFiles: this.settings.ruleFiles,
    });
    const temporary = `${this.settings.configFile}.tmp`;
    await writeFile(temporary, text);
    await rename(temporary, this.settings.configFile);
  }

  /** First start: on an auto-chosen port, retries with a new port if someone took it. */
  async launchFirst(port: number | undefined): Promise<void> {
    if (port !== undefined) {
      await this.launch(port);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.launch(await freePort());
        return;
      } catch (error) {
        const taken = error instanceof Error && /address already in use/.test(error.message);
        if (!taken || attempt >= PORT_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private api(): PrometheusClient {
    if (this.client === undefined) {
      throw new Error('Prometheus has not been started');
    }
    return this.client;
  }

  private serialized<T>(operation: () => Promise<T>, allowedWhenStopped = false): Promise<T> {
    const run = this.queue.then(() => {
      if (this.stopping !== undefined && !allowedWhenStopped) {
        throw new Error('Prometheus has been stopped');
      }
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Spawns Prometheus on the port and waits until it is ready; kills it if it is not. */
  private async launch(port: number): Promise<void> {
    const { settings } = this;
    this.portNumber = port;
    this.client = new PrometheusClient(this.url, settings.requestTimeoutMs);
    this.outputTail.length = 0;
    const args = [
      `--config.file=${settings.configFile}`,
      `--storage.tsdb.path=${settings.dataDir}`,
      `--storage.tsdb.retention.time=${settings.retention}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...settings.extraFlags,
    ];
    const spawned = spawn(settings.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let spawnError: Error | undefined;
    spawned.once('error', (error) => {
      spawnError = error;
    });
    const child: Child = {
      process: spawned,
      pid: spawned.pid ?? 0,
      exited: false,
      // 'close' comes after the output streams are drained, so the tail is complete when an
      // early exit is reported.
      exit: new Promise((resolve) => {
        spawned.once('close', (code, signal) => {
          child.exited = true;
          this.lastExit = { code, signal };
          process.removeListener('exit', this.killOnParentExit);
          resolve(this.lastExit);
        });
      }),
    };
    this.child = child;
    this.lastPid = child.pid;
    this.follow(spawned.stdout, 'stdout');
    this.follow(spawned.stderr, 'stderr');
    if (child.pid !== 0 && process.listeners('exit').indexOf(this.killOnParentExit) === -1) {
      process.on('exit', this.killOnParentExit);
    }

    const deadline = Date.now() + settings.readyTimeoutMs;
    for (;;) {
      if (child.exited) {
        const exit = await child.exit;
        const reason =
          spawnError !== undefined ? `could not be started (${spawnError.message})` : `exited (${describeExit(exit)})`;
        throw new Error(`Prometheus on 127.0.0.1:${port} ${reason} before it was ready.${this.tailText()}`);
      }
      if (await this.isReady()) {
        return;
      }
      if (Date.now() >= deadline) {
        await this.terminate(child, 0);
        throw new Error(
          `Prometheus on 127.0.0.1:${port} was not ready within ${settings.readyTimeoutMs} ms.${this.tailText()}`
        );
      }
      await Promise.race([child.exit, sleep(100)]);
    }
  }

  private async isReady(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  /** SIGTERM (unless graceMs is 0), SIGKILL when the grace period passes, then waits. */
  private async terminate(child: Child, graceMs = this.settings.stopGraceMs): Promise<ProcessExit> {
    if (graceMs > 0) {
      signal(child.pid, 'SIGTERM');
      const exit = await exitWithin(child, graceMs);
      if (exit !== undefined) {
        return exit;
      }
    }
    signal(child.pid, 'SIGKILL');
    return child.exit;
  }

  private async reloadNow(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exited) {
      throw new Error('reload: Prometheus is not running');
    }
    const before = await this.api().ownMetrics();
    const successTime = before.get('prometheus_config_last_reload_success_timestamp_seconds') ?? 0;
    const wasSuccessful = before.get('prometheus_config_last_reload_successful') === 1;
    const tailMark = this.outputTail.length;
    process.kill(child.pid, 'SIGHUP');
    await pollUntil(
      'Prometheus to apply the reloaded configuration',
      async () => {
        const failure = this.outputTail.slice(tailMark).find((line) => line.includes('Error reloading config'));
        if (failure !== undefined) {
          throw new ReloadError(failure);
        }
        const now = await this.api().ownMetrics();
        if ((now.get('prometheus_config_last_reload_success_timestamp_seconds') ?? 0) > successTime) {
          return { done: true, value: undefined };
        }
        if (wasSuccessful && now.get('prometheus_config_last_reload_successful') === 0) {
          throw new ReloadError(`reload failed.${this.tailText()}`);
        }
        return { done: false, state: 'reload not yet applied' };
      },
      { timeoutMs: 10_000, intervalMs: 50, isFatal: (error) => error instanceof ReloadError }
    );
  }

  private follow(stream: NodeJS.ReadableStream | null, name: LogStream): void {
    if (stream === null) {
      return;
    }
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      this.outputTail.push(line);
      if (this.outputTail.length > OUTPUT_TAIL_LINES) {
        this.outputTail.shift();
      }
      this.settings.log?.(line, name);
    });
  }

  private tailText(): string {
    const lines = this.outputTail.slice(-15);
    return lines.length === 0 ? ' It wrote no output.' : `\nLast output:\n${lines.join('\n')}`;
  }
}

class ReloadError extends Error {
  override readonly name = 'ReloadError';
}

/** The child's exit, or undefined after ms. The timer is cleared on exit: a pending grace
 * timer would otherwise keep the caller's event loop (and a test run) alive for its length. */
async function exitWithin(child: Child, ms: number): Promise<ProcessExit | undefined> {
  const timeout = new AbortController();
  try {
    return await Promise.race([child.exit, sleep(ms, undefined, { signal: timeout.signal }).catch(() => undefined)]);
  } finally {
    timeout.abort();
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // The process is already gone; its exit promise settles on its own.
  }
}

function describeExit(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${exit.code}`;
}

function describe(samples: VectorSample[]): string {
  if (samples.length === 0) {
    return 'empty result';
  }
  const shown = samples.slice(0, 5).map((s) => `${JSON.stringify(s.metric)} ${s.value}`);
  return shown.join('; ') + (samples.length > 5 ? ` (+${samples.length - 5} more)` : '');
}
