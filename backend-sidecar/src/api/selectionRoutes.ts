import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { ApiError } from '../http/ApiError.js';
import type { ApiContext } from './ApiContext.js';
import { NAME } from './schemas.js';

const LIST = { type: 'array', maxItems: 1000, items: NAME } as const;

function selection(ctx: ApiContext) {
  const { service } = ctx;
  const config = service.config();
  return {
    overrides: service.overrides.current,
    rules: { include: config.selection.include, exclude: config.selection.exclude, sharding: config.sharding },
    services: [...service.catalog.services()]
      .sort((a, b) => (a.service < b.service ? -1 : 1))
      .map((s) => {
        const decision = service.judge(s);
        return {
          service: s.service,
          namespace: s.namespace,
          team: s.team,
          monitored: decision.monitored,
          reason: decision.reason,
        };
      }),
  };
}

/** GET and PUT /selection: the monitored set, the config's rules and the API's overrides (persisted). */
export function selectionRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get('/selection', { schema: { querystring: { type: 'object', additionalProperties: false } } }, async () =>
      selection(ctx)
    );

    app.put<{ Body: { include?: string[]; exclude?: string[] } }>(
      '/selection',
      {
        schema: { body: { type: 'object', additionalProperties: false, properties: { include: LIST, exclude: LIST } } },
      },
      async (request) => {
        const include = request.body.include ?? [];
        const exclude = request.body.exclude ?? [];
        const both = include.filter((s) => exclude.includes(s));
        if (both.length > 0) {
          throw new ApiError(
            400,
            'bad_request',
            `body: ${both.map((s) => JSON.stringify(s)).join(', ')} cannot be both included and excluded`
          );
        }
        await ctx.service.setOverrides({ include, exclude });
        return selection(ctx);
      }
    );
  };
}
