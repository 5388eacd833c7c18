import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import type { ApiContext } from './ApiContext.js';

function countStates(values: Iterable<{ state: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) {
    out[v.state] = (out[v.state] ?? 0) + 1;
  }
  return out;
}

/** GET /status: the detection loop's last cycle, counters, detector states and restore source. */
export function statusRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get('/status', { schema: { querystring: { type: 'object', additionalProperties: false } } }, async () => {
      const { service } = ctx;
      const config = service.config();
      const latest = service.latest();
      const counters = service.counters();
      const base = service.models.baseModel();
      const open = service.history.open();
      return {
        version: ctx.build.version,
        shard: { index: config.sharding.index, count: config.sharding.count },
        lastCycle:
          latest === null
            ? null
            : {
                at: latest.at,
                end: latest.end,
                startedAt: latest.startedAt / 1000,
                durationSeconds: latest.durationSeconds,
                phases: latest.phases,
                queries: latest.queries,
                overrun: latest.durationSeconds > config.detection.intervalSeconds,
                prometheusUp: latest.prometheusUp,
                error: latest.error,
              },
        cycles: counters.cycles,
        overruns: counters.overruns,
        skipped: counters.skipped,
        services: countStates(latest?.services.values() ?? []),
        edges: countStates(latest?.edges.values() ?? []),
        discovered: service.catalog.serviceCount,
        stateRestoredFrom: counters.restoredFrom,
        warmup: counters.warmup,
        model: { inService: base?.manifest.modelId ?? null, lastError: service.modelError() },
        incident: open === undefined ? null : { id: open.id, severity: open.severity, openedAt: open.openedAt },
        history: service.cycles.span(),
        notes: counters.notes,
      };
    });
  };
}
