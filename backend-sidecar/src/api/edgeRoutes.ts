import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import type { ApiContext } from './ApiContext.js';
import { presentEdgeStatus } from './presentEdgeStatus.js';

/** GET /edges: monitored call edges with state, score and the source cross-check. */
export function edgeRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get('/edges', { schema: { querystring: { type: 'object', additionalProperties: false } } }, async () => {
      const latest = ctx.service.latest();
      const edges = [...(latest?.edges.values() ?? [])].sort(
        (a, b) =>
          Number(b.verdict === 'anomalous') - Number(a.verdict === 'anomalous') ||
          (b.score ?? -1) - (a.score ?? -1) ||
          (a.id < b.id ? -1 : 1)
      );
      return { at: latest?.at ?? null, edges: edges.map(presentEdgeStatus) };
    });
  };
}
