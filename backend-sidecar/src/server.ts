import { mkdirSync } from 'node:fs';

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

import { buildApp, type ApiRoutes } from './app.js';
import { ConfigStore } from './config/ConfigStore.js';
import { ConfigWatcher, type WatchDirectory } from './config/ConfigWatcher.js';
import { describeFileError } from './config/describeFileError.js';
import type { LoadedConfig } from './config/types.js';
import { Lifecycle, type StopReport } from './lifecycle/Lifecycle.js';
import { ReadinessTracker } from './lifecycle/ReadinessTracker.js';
import { createSidecarMetrics, type BuildInfo } from './metrics/createSidecarMetrics.js';
import { HealthReporter } from './metrics/HealthReporter.js';
import type { SidecarMetrics } from './metrics/SidecarMetrics.js';

/** What a module (detection loop, API, feedback store) gets to plug itself in. */
export interface SidecarContext {
  /** current() for reads, subscribe() to react to reloads. */
  readonly config: ConfigStore;
  readonly metrics: SidecarMetrics;
  /** Report completed cycles and Prometheus answers here; /readyz reads it. */
  readonly readiness: ReadinessTracker;
  /** add() components to start after the server listens and stop before exit. */
  readonly lifecycle: Lifecycle;
  /** Where the detection loop reports cycles, queries and inferences (metrics and readiness). */
  readonly health: HealthReporter;
  readonly logger: FastifyBaseLogger;
}

export interface SidecarModule {
  readonly name: string;
  /** Called once before the server listens; returned routes are mounted under /api/v1. */
  setup(
    ctx: SidecarContext
  ): void | { routes?: readonly ApiRoutes[] } | Promise<void | { routes?: readonly ApiRoutes[] }>;
}

export interface StartServerOptions {
  readonly loaded: LoadedConfig;
  /** Validates reloaded file content with the same options as at start-up. */
  readonly load: (text: string) => LoadedConfig;
  readonly build: BuildInfo;
  readonly modules?: readonly SidecarModule[];
  /** Log destination; default stdout. */
  readonly logStream?: NodeJS.WritableStream;
  /** Deadline for the whole shutdown; default 10 s (within Kubernetes' default grace of 30 s). */
  readonly shutdownTimeoutMs?: number;
  /** Replaces fs.watch (tests); default watches the config file's directory. */
  readonly watch?: WatchDirectory;
  readonly clock?: () => number;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly store: ConfigStore;
  readonly watcher: ConfigWatcher;
  readonly metrics: SidecarMetrics;
  readonly readiness: ReadinessTracker;
  readonly lifecycle: Lifecycle;
  readonly health: HealthReporter;
  /** Stops accepting, stops the components in reverse, flushes logs. Idempotent. */
  shutdown(reason: string): Promise<StopReport>;
}

/** True when `promise` settled within `ms`; the timer never holds the process open. */
function settleWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    promise.then(
      () => {
        clearTimeout(timer);
        resolve(true);
      },
      () => {
        clearTimeout(timer);
        resolve(true);
      }
    );
  });
}

function flush(logger: FastifyBaseLogger): Promise<void> {
  const withFlush = logger as FastifyBaseLogger & { flush?: (cb?: (err?: Error) => void) => void };
  return new Promise((resolve) => {
    if (typeof withFlush.flush !== 'function') {
      resolve();
      return;
    }
    withFlush.flush(() => resolve());
  });
}

/**
 * Starts the sidecar: the only place that listens. Order: state directory, metrics, app,
 * modules, listen, components, config watch. The HTTP server is up before the components so
 * /healthz answers while the detection loop warms up.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? Date.now;
  const { config } = options.loaded;
  try {
    mkdirSync(config.storage.stateDir, { recursive: true });
  } catch (error) {
    throw new Error(`storage.stateDir: cannot create ${config.storage.stateDir}: ${describeFileError(error)}`, {
      cause: error,
    });
  }

  const metrics = createSidecarMetrics({ build: options.build });
  const store = new ConfigStore(options.loaded);
  const readiness = new ReadinessTracker({
    clock,
    // Three cycles: one slow or failed query does not flap readiness, a real outage does.
    prometheusMaxAgeSeconds: () => 3 * store.current().config.detection.intervalSeconds,
  });
  const app = buildApp({
    config: store,
    metrics,
    readiness,
    build: options.build,
    logger: options.logStream === undefined ? {} : { stream: options.logStream },
  });
  const lifecycle = new Lifecycle();
  const health = new HealthReporter({
    metrics,
    readiness,
    intervalSeconds: () => store.current().config.detection.intervalSeconds,
    clock,
  });
  const ctx: SidecarContext = { config: store, metrics, readiness, lifecycle, health, logger: app.log };

  for (const module of options.modules ?? []) {
    const result = await module.setup(ctx);
    for (const routes of result?.routes ?? []) {
      await app.register(routes, { prefix: '/api/v1', config: store, metrics });
    }
  }

  store.subscribe((next) => {
    app.log.level = next.config.log.level;
  });
  const watcher = new ConfigWatcher({
    store,
    file: options.loaded.file,
    load: options.load,
    logger: app.log,
    metrics,
    clock,
    ...(options.watch === undefined ? {} : { watch: options.watch }),
  });

  const { host, port } = config.api;
  const address = await app.listen({ host, port });
  const url = address;
  app.log.info({ url, file: options.loaded.file, version: options.build.version }, 'sidecar listening');
  if (config.api.token === null) {
    app.log.warn(
      { host },
      'the API has no token: every local process can call it (set api.tokenFile or SEISMO_API_TOKEN)'
    );
  }

  try {
    await lifecycle.start();
  } catch (error) {
    await app.close();
    throw error;
  }
  watcher.start();

  let stopping: Promise<StopReport> | null = null;
  const shutdown = (reason: string): Promise<StopReport> => {
    stopping ??= (async () => {
      const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
      const started = clock();
      app.log.info({ reason }, 'shutting down');
      readiness.stopping();
      watcher.stop();
      // Stop accepting first; in-flight requests may finish (Fastify answers new ones on
      // kept-alive sockets with 503), but a hung request must not eat the whole deadline.
      const closed = await settleWithin(app.close(), timeoutMs);
      if (!closed) {
        app.log.warn({ timeoutMs }, 'HTTP requests still running at the deadline; stopping anyway');
      }
      const remaining = Math.max(0, timeoutMs - (clock() - started));
      const report = await lifecycle.stop({ timeoutMs: remaining });
      const clean = report.failed.length === 0 && report.timedOut.length === 0;
      if (clean) {
        app.log.info({ report }, 'stopped');
      } else {
        app.log.error({ report }, 'stopped with components that failed or did not finish');
      }
      await flush(app.log);
      return report;
    })();
    return stopping;
  };

  return { app, url, store, watcher, metrics, readiness, lifecycle, health, shutdown };
}
