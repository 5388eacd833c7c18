import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { pollUntil } from '../prometheus/pollUntil.js';

class SidecarStartError extends Error {}

/** The sidecar's command in this repository: its bin script runs the TypeScript through tsx. */
export const SIDECAR_BIN = fileURLToPath(new URL('../../../backend-sidecar/bin/seismo-sidecar.mjs', import.meta.url));

export interface SidecarProcessOptions {
  readonly configFile: string;
  /** e.g. http://127.0.0.1:18080 */
  readonly url: string;
  /** Appends the sidecar's stdout and stderr (structured logs) here. */
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long start() waits for /healthz. Default 60 s (module loading and model probing). */
  readonly startTimeoutMs?: number;
}

/**
 * The real sidecar as a child process, so that a scenario can SIGKILL it like a crashing pod and
 * start it again on the same config and state directory. Exits the scenario did not ask for are
 * recorded, never hidden.
 */
export class SidecarProcess {
  readonly #o: SidecarProcessOptions;
  #child: ChildProcess | null = null;
  #log: WriteStream | null = null;
  #expectingExit = false;
  readonly unexpectedExits: string[] = [];

  constructor(options: SidecarProcessOptions) {
    this.#o = options;
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) {
      throw new Error('the sidecar is already running');
    }
    this.#log ??= createWriteStream(this.#o.logFile, { flags: 'a' });
    this.#expectingExit = false;
    const child = spawn(process.execPath, [SIDECAR_BIN, '--config', this.#o.configFile], {
      env: { ...process.env, ...this.#o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stdout?.pipe(this.#log, { end: false });
    child.stderr?.pipe(this.#log, { end: false });
    child.once('exit', (code, signal) => {
      if (!this.#expectingExit) {
        this.unexpectedExits.push(
          `pid ${child.pid} ended with ${signal ?? `exit code ${code}`} (log: ${this.#o.logFile})`
        );
      }
    });
    const timeoutMs = this.#o.startTimeoutMs ?? 60_000;
    await pollUntil(
      `the sidecar at ${this.#o.url} to answer /healthz`,
      async () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new SidecarStartError(`the sidecar exited during start-up; see ${this.#o.logFile}`);
        }
        const response = await fetch(`${this.#o.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        return response.ok ? { done: true, value: undefined } : { done: false, state: `HTTP ${response.status}` };
      },
      { timeoutMs, intervalMs: 250, isFatal: (error) => error instanceof SidecarStartError }
    );
  }

  /** SIGKILL: no shutdown hooks run, nothing is flushed, as when a node dies. */
  async kill(): Promise<void> {
    await this.#signal('SIGKILL');
  }

  /** SIGTERM (graceful), SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    const child = this.#child;
    if (child === null || !this.running) {
      this.#closeLog();
      return;
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    try {
      await this.#signal('SIGTERM');
    } finally {
      clearTimeout(timer);
      this.#closeLog();
    }
  }

  async #signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === null || !this.running) {
      return;
    }
    this.#expectingExit = true;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  }

  #closeLog(): void {
    this.#log?.end();
    this.#log = null;
  }
}
