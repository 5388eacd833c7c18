import type { ApiContext } from '../api/ApiContext.js';
import { createApiRoutes } from '../api/createApiRoutes.js';
import { QueryGate } from '../api/QueryGate.js';
import type { BuildInfo } from '../metrics/createSidecarMetrics.js';
import type { SidecarModule } from '../server.js';
import { DetectionService, type DetectionServiceDeps } from './DetectionService.js';

export interface DetectionModuleOptions {
  readonly build: BuildInfo;
  /** Replaces parts of what the service is built with (tests, harnesses). */
  readonly deps?: Partial<Omit<DetectionServiceDeps, 'config' | 'registry' | 'health' | 'logger'>>;
  /** Receives the service once it is built (harnesses that drive or inspect it). */
  readonly onService?: (service: DetectionService) => void;
}

/**
 * The detection loop and HTTP API v1 as a module of the sidecar server: the service starts after
 * the server listens (so /healthz answers during warm-up), stops before it exits, and its routes
 * are mounted under /api/v1 behind the token.
 */
export function detectionModule(options: DetectionModuleOptions): SidecarModule {
  return {
    name: 'detection',
    setup(ctx) {
      const clock = options.deps?.clock ?? Date.now;
      const service = new DetectionService({
        ...options.deps,
        config: ctx.config,
        registry: ctx.metrics.registry,
        health: ctx.health,
        logger: ctx.logger,
      });
      options.onService?.(service);
      ctx.lifecycle.add({
        name: 'detection',
        start: () => service.start(),
        stop: () => service.stop(),
      });
      const api: ApiContext = {
        service,
        build: options.build,
        gate: new QueryGate(() => ctx.config.current().config.detection.maxConcurrentQueries),
        now: () => clock() / 1000,
      };
      return { routes: createApiRoutes(api) };
    },
  };
}
