import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { ApiError } from '../http/ApiError.js';
import type { ApiContext } from './ApiContext.js';
import { closeNames } from './closeNames.js';
import { buildTopologyFrames } from './frames/buildTopologyFrames.js';
import { parseTimeParam } from './parseTimeParam.js';
import { NAME, querystring, TIME } from './schemas.js';

interface TopologyQuery {
  at?: string;
  service?: string;
  hops?: number;
  anomalousOnly?: boolean;
}

/** GET /topology: the call graph of the latest (or an earlier, still kept) cycle as Node Graph frames. */
export function topologyRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: TopologyQuery }>(
      '/topology',
      {
        schema: {
          querystring: querystring({
            at: TIME,
            service: NAME,
            hops: { type: 'integer', minimum: 0, maximum: 10 },
            anomalousOnly: { type: 'boolean' },
          }),
        },
      },
      async (request) => {
        const { at, service, hops, anomalousOnly } = request.query;
        const history = ctx.service.cycles;
        let cycle = history.latest();
        if (cycle === null) {
          throw new ApiError(
            503,
            'unavailable',
            'no detection cycle has completed yet; retry after the first interval'
          );
        }
        if (at !== undefined) {
          const t = parseTimeParam('at', at, ctx.now());
          cycle = history.at(t);
          if (cycle === null) {
            const span = history.span();
            throw new ApiError(
              404,
              'not_found',
              `no cycle at ${new Date(t * 1000).toISOString()} in memory; the history covers ${span === null ? 'nothing yet' : `${new Date(span.oldest * 1000).toISOString()} to ${new Date(span.newest * 1000).toISOString()}`} (older cycles are in Prometheus)`
            );
          }
        }
        if (service !== undefined && !cycle.graph.nodes.some((n) => n.id === service)) {
          const close = closeNames(
            service,
            cycle.graph.nodes.map((n) => n.id)
          );
          throw new ApiError(
            404,
            'not_found',
            `${JSON.stringify(service)} is not in the call graph${close.length > 0 ? `; did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?` : ''}`
          );
        }
        if (hops !== undefined && service === undefined && anomalousOnly !== true) {
          throw new ApiError(
            400,
            'bad_request',
            'querystring.hops: needs service (or anomalousOnly) to count hops from'
          );
        }
        return {
          frames: buildTopologyFrames(cycle, {
            ...(service === undefined ? {} : { service }),
            ...(hops === undefined ? {} : { hops }),
            ...(anomalousOnly === undefined ? {} : { anomalousOnly }),
          }),
        };
      }
    );
  };
}
