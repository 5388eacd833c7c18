import { spawn, type ChildProcess } from 'node:child_process';

import { REPO_ROOT } from './repoRoot.js';

export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CollectedCommandOptions {
  /** Default: the repository root. */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Sees stderr as it arrives (progress lines). */
  readonly onStderr?: (chunk: string) => void;
}

/**
 * A child process whose output is collected. `kill()` ends it by its PID and is a no-op once it
 * has exited, so cleanup code can always call it.
 */
export class CollectedCommand {
  readonly #child: ChildProcess;
  readonly #what: string;
  readonly #done: Promise<CommandResult>;

  constructor(command: string, args: readonly string[], options: CollectedCommandOptions = {}) {
    this.#what = `${command} ${args.join(' ')}`;
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child = child;
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      options.onStderr?.(chunk);
    });
    this.#done = new Promise((resolve) => {
      child.once('error', (error) =>
        resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}` })
      );
      child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** The outcome, whatever it is. */
  finished(): Promise<CommandResult> {
    return this.#done;
  }

  /** The outcome of a command that must succeed; an error with its output otherwise. */
  async succeeded(): Promise<CommandResult> {
    const result = await this.#done;
    if (result.code !== 0) {
      throw new Error(
        `${this.#what} failed (${result.signal ?? `exit code ${result.code}`}):\n${result.stderr}${result.stdout}`
      );
    }
    return result;
  }

  kill(): void {
    const { pid } = this.#child;
    if (pid !== undefined && this.#child.exitCode === null && this.#child.signalCode === null) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
