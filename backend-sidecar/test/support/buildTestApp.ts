import type { FastifyInstance } from 'fastify';

import type { ApiContext } from '../../src/api/ApiContext.js';
import { createApiRoutes } from '../../src/api/createApiRoutes.js';
import { QueryGate } from '../../src/api/QueryGate.js';
import { buildApp } from '../../src/app.js';
import type { ManualClock } from './ManualClock.js';
import type { TestService } from './buildTestService.js';

/** The sidecar's Fastify app with API v1 over a test service, for app.inject. */
export function buildTestApp(t: TestService, clock: ManualClock): FastifyInstance {
  const ctx: ApiContext = {
    service: t.service,
    build: { version: 'test', revision: 'test' },
    gate: new QueryGate(() => 2, 4),
    now: () => clock.now() / 1000,
  };
  return buildApp({
    config: t.store,
    metrics: t.sidecarMetrics,
    readiness: t.readiness,
    build: { version: 'test', revision: 'test' },
    logger: false,
    routes: createApiRoutes(ctx),
  });
}
