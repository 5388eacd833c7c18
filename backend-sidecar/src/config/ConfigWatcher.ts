import { createHash } from 'node:crypto';
import { watch as fsWatch, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

import type { SidecarMetrics } from '../metrics/SidecarMetrics.js';
import { ConfigError } from './ConfigError.js';
import type { ConfigStore } from './ConfigStore.js';
import { describeFileError } from './describeFileError.js';
import type { LoadedConfig } from './types.js';

/** The logging the watcher does; pino and Fastify's logger fit. */
export interface WatcherLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface WatcherTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Starts watching a directory; `onEvent` for any change in it. */
export type WatchDirectory = (dir: string, onEvent: () => void, onError: (error: Error) => void) => { close(): void };

export type ReloadResult =
  | { readonly result: 'success'; readonly changed: readonly string[]; readonly pendingRestart: readonly string[] }
  | { readonly result: 'failure'; readonly errors: readonly string[] }
  | { readonly result: 'unchanged' };

export interface ConfigWatcherOptions {
  readonly store: ConfigStore;
  readonly file: string;
  /** Validates new file content (same options as at start-up); throws ConfigError. */
  readonly load: (text: string) => LoadedConfig;
  readonly logger: WatcherLogger;
  readonly metrics: Pick<
    SidecarMetrics,
    'configReloads' | 'configLastReloadSuccess' | 'configLastReloadSuccessTimestamp'
  >;
  /** Milliseconds since the epoch; default Date.now. */
  readonly clock?: () => number;
  readonly timers?: WatcherTimers;
  readonly watch?: WatchDirectory;
  readonly readFile?: (file: string) => Promise<string>;
  /** Quiet time after the last file event before reading; default 250 ms. */
  readonly debounceMs?: number;
}

const realTimers: WatcherTimers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    // A pending reload must not keep a stopping process alive.
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

const watchDirectory: WatchDirectory = (dir, onEvent, onError) => {
  const watcher = fsWatch(dir, { persistent: false }, () => onEvent());
  watcher.on('error', onError);
  return { close: () => watcher.close() };
};

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Reloads the config file when it changes, keeping the running config when the new one is
 * invalid.
 *
 * It watches the file's directory rather than the file: editors that save by writing a new
 * file and renaming it over the old one, and Kubernetes ConfigMap volumes that swap a symlink,
 * both replace the inode a file watch would follow. Events are debounced, and the content hash
 * decides whether anything changed, so the directory's other events and repeated saves of the
 * same content cost one read and nothing else.
 */
export class ConfigWatcher {
  readonly #o: ConfigWatcherOptions;
  readonly #timers: WatcherTimers;
  readonly #clock: () => number;
  readonly #read: (file: string) => Promise<string>;
  #handles: Array<{ close(): void }> = [];
  #timer: unknown = null;
  /** Hash of the last content examined, valid or not: the same bad content is reported once. */
  #lastSeenHash: string;
  #chain: Promise<unknown> = Promise.resolve();
  #stopped = false;

  constructor(options: ConfigWatcherOptions) {
    this.#o = options;
    this.#timers = options.timers ?? realTimers;
    this.#clock = options.clock ?? Date.now;
    this.#read = options.readFile ?? ((file) => readFile(file, 'utf8'));
    this.#lastSeenHash = options.store.current().hash;
    options.metrics.configLastReloadSuccessTimestamp.set(options.store.current().loadedAt / 1000);
  }

  /** Starts watching. A directory that cannot be watched is logged; SIGHUP reloads still work. */
  start(): void {
    const watch = this.#o.watch ?? watchDirectory;
    const own = dirname(resolve(this.#o.file));
    const dirs = new Set([own]);
    try {
      // A config symlinked from another directory changes where its target lives, so that
      // directory is watched too. Targets below the file's own directory (a ConfigMap's
      // timestamped data directories, replaced on every update) are covered by the first watch.
      const target = dirname(realpathSync(this.#o.file));
      const rel = relative(own, target);
      // Not rel.startsWith('..'): ConfigMap directory names themselves begin with two dots.
      const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
      if (outside) {
        dirs.add(target);
      }
    } catch {
      // The file may be missing right now; its own directory is still watched.
    }
    for (const dir of dirs) {
      try {
        this.#handles.push(
          watch(
            dir,
            () => this.#schedule(),
            (error) => this.#o.logger.warn({ dir, err: error.message }, 'config watch failed; reload with SIGHUP')
          )
        );
      } catch (error) {
        this.#o.logger.warn(
          { dir, err: (error as Error).message },
          'cannot watch the config directory; reload with SIGHUP'
        );
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
    }
    this.#timer = null;
    for (const handle of this.#handles) {
      handle.close();
    }
    this.#handles = [];
  }

  /**
   * Reads and applies the file now, after any reload in progress. `force` re-validates even
   * unchanged content (SIGHUP: a secret file it names may have changed).
   */
  reload(options: { force?: boolean } = {}): Promise<ReloadResult> {
    const run = this.#chain.then(() => this.#check(options.force ?? false));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves once no reload is running (a debounce timer may still be pending). */
  async settled(): Promise<void> {
    await this.#chain;
  }

  #schedule(): void {
    if (this.#stopped) {
      return;
    }
    if (this.#timer !== null) {
      this.#timers.clearTimeout(this.#timer);
    }
    this.#timer = this.#timers.setTimeout(() => {
      this.#timer = null;
      this.reload().catch((error: unknown) =>
        this.#o.logger.error({ err: (error as Error)?.message ?? String(error) }, 'config reload crashed')
      );
    }, this.#o.debounceMs ?? 250);
  }

  async #check(force: boolean): Promise<ReloadResult> {
    const { file, store, logger, metrics } = this.#o;
    let text: string;
    try {
      text = await this.#read(file);
    } catch (error) {
      return this.#fail([`${file}: cannot read the config file: ${describeFileError(error)}`]);
    }
    const hash = sha256(text);
    if (!force && hash === this.#lastSeenHash) {
      return { result: 'unchanged' };
    }
    this.#lastSeenHash = hash;

    let next: LoadedConfig;
    try {
      next = this.#o.load(text);
    } catch (error) {
      return this.#fail(error instanceof ConfigError ? error.lines() : [String((error as Error)?.message ?? error)]);
    }
    const { changed, listenerErrors } = await store.replace(next);
    metrics.configReloads.inc({ result: 'success' });
    metrics.configLastReloadSuccess.set(1);
    metrics.configLastReloadSuccessTimestamp.set(this.#clock() / 1000);
    const pendingRestart = store.pendingRestart();
    // Key paths only: values (and so secrets) never reach the log.
    logger.info({ file, changed }, changed.length > 0 ? 'config reloaded' : 'config reloaded; no setting changed');
    if (pendingRestart.length > 0) {
      logger.warn({ file, pendingRestart }, 'some changed settings take effect only after a restart');
    }
    for (const error of listenerErrors) {
      logger.error({ err: (error as Error)?.message ?? String(error) }, 'a module failed to apply the reloaded config');
    }
    return { result: 'success', changed, pendingRestart };
  }

  #fail(errors: string[]): ReloadResult {
    this.#o.metrics.configReloads.inc({ result: 'failure' });
    this.#o.metrics.configLastReloadSuccess.set(0);
    this.#o.logger.error({ file: this.#o.file, errors }, 'config reload refused; the running config stays in force');
    return { result: 'failure', errors };
  }
}
