import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';

import { redactConfig } from './config/redactConfig.js';
import type { ConfigView, LogLevel } from './config/types.js';
import { createBearerAuthHook } from './http/createBearerAuthHook.js';
import { createErrorHandler } from './http/createErrorHandler.js';
import { handleNotFound } from './http/handleNotFound.js';
import { PUBLIC_ROUTE } from './http/publicRoute.js';
import type { ReadinessProvider } from './lifecycle/ReadinessProvider.js';
import type { BuildInfo } from './metrics/createSidecarMetrics.js';
import type { SidecarMetrics } from './metrics/SidecarMetrics.js';

/** What a route plugin registered under /api/v1 receives as its options. */
export interface ApiRouteOptions {
  readonly config: ConfigView;
  readonly metrics: SidecarMetrics;
}

/** A later module's routes, e.g. the live analyses; mounted under /api/v1 behind the token. */
export type ApiRoutes = FastifyPluginAsync<ApiRouteOptions>;

export interface AppLoggerOptions {
  /** Default: log.level of the config. */
  readonly level?: LogLevel;
  /** Default: stdout. */
  readonly stream?: NodeJS.WritableStream;
}

export interface AppDeps {
  readonly config: ConfigView;
  /** Health metrics and the registry /metrics serves. */
  readonly metrics: SidecarMetrics;
  readonly readiness: ReadinessProvider;
  readonly build: BuildInfo;
  /** false: no logging (quiet tests). */
  readonly logger?: AppLoggerOptions | false;
  readonly routes?: readonly ApiRoutes[];
}

/** Keys whose values must never reach a log line, wherever a request object is logged. */
const REDACT = [
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.*.headers.authorization',
];

// Probes and scrapes arrive every few seconds; logging each one would drown real events.
const QUIET = { logLevel: 'warn' as const, config: PUBLIC_ROUTE };

/**
 * The whole HTTP surface as one plugin. It is marked to skip Fastify's encapsulation so its
 * error handler, not-found handler and auth hook apply to every route, including those that
 * later modules register.
 */
const sidecarApp: FastifyPluginAsync<AppDeps> = async (app, deps) => {
  const { config, metrics, readiness, build } = deps;
  app.setErrorHandler(createErrorHandler(config.current().config.api.bodyLimitBytes));
  app.setNotFoundHandler(handleNotFound);
  app.addHook(
    'onRequest',
    createBearerAuthHook(() => config.current().config.api.token)
  );

  app.get('/healthz', QUIET, async () => ({ status: 'ok', version: build.version }));

  app.get('/readyz', QUIET, async (_request, reply) => {
    const state = readiness.check();
    if (state.ready) {
      return { status: 'ready' };
    }
    void reply.code(503);
    return { status: 'not_ready', reasons: state.reasons };
  });

  app.get('/metrics', QUIET, async (_request, reply) => {
    void reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  await app.register(
    async (api) => {
      api.get('/config', async () => {
        const loaded = config.current();
        return {
          file: loaded.file,
          hash: loaded.hash,
          loadedAt: new Date(loaded.loadedAt).toISOString(),
          pendingRestart: config.pendingRestart(),
          config: redactConfig(loaded.config),
        };
      });
      for (const routes of deps.routes ?? []) {
        await api.register(routes, { config, metrics });
      }
    },
    { prefix: '/api/v1' }
  );
};
(sidecarApp as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

/**
 * Builds the sidecar's Fastify app without listening (server.ts listens; tests inject). More
 * routes can be added before ready() with app.register(plugin, { prefix: '/api/v1', ... }) or,
 * preferably, passed as deps.routes.
 */
export function buildApp(deps: AppDeps): FastifyInstance {
  const api = deps.config.current().config.api;
  const logger =
    deps.logger === false
      ? false
      : {
          level: deps.logger?.level ?? deps.config.current().config.log.level,
          redact: { paths: REDACT, censor: '[redacted]' },
          ...(deps.logger?.stream === undefined ? {} : { stream: deps.logger.stream }),
        };
  const app = Fastify({
    logger,
    bodyLimit: api.bodyLimitBytes,
    // Bounds a slow client's hold on a socket when no proxy sits in front.
    requestTimeout: 60_000,
    // Unknown parameters are rejected (400 naming them) rather than silently dropped.
    ajv: { customOptions: { removeAdditional: false } },
  });
  void app.register(sidecarApp, deps);
  return app;
}
