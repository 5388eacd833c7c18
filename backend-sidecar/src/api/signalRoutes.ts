import type { FastifyPluginAsync } from 'fastify';

import { renderTemplate } from '../adapters/renderTemplate.js';
import { alignSeries } from '../signals/alignSeries.js';
import type { ApiRouteOptions } from '../app.js';
import { ApiError } from '../http/ApiError.js';
import { CANONICAL_SIGNALS, stepGrid, type SignalSpec } from '../signals/index.js';
import type { ApiContext } from './ApiContext.js';
import { closeNames } from './closeNames.js';
import { dataFrame, type DataFrame } from './frames/dataFrame.js';
import { resolveApiRange } from './resolveApiRange.js';
import { NAME, querystring, SCOPE, SIGNAL, STEP, TIME } from './schemas.js';

interface SignalQuery {
  scope: 'service' | 'edge';
  service?: string;
  client?: string;
  server?: string;
  signal: string;
  from?: string;
  to?: string;
  step?: string;
}

/**
 * GET /signals: one canonical signal of one service or edge, read through every preset that
 * defines it (one query per source), as one frame per source.
 */
export function signalRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: SignalQuery }>(
      '/signals',
      {
        schema: {
          querystring: querystring(
            {
              scope: SCOPE,
              service: NAME,
              client: NAME,
              server: NAME,
              signal: SIGNAL,
              from: TIME,
              to: TIME,
              step: STEP,
            },
            ['scope', 'signal']
          ),
        },
      },
      async (request) => {
        const q = request.query;
        const { service } = ctx;
        const table = CANONICAL_SIGNALS[q.scope] as Readonly<Record<string, SignalSpec>>;
        const spec = table[q.signal];
        if (spec === undefined) {
          throw new ApiError(
            400,
            'bad_request',
            `querystring.signal: unknown ${q.scope} signal ${JSON.stringify(q.signal)} (known: ${Object.keys(table).join(', ')})`
          );
        }
        let entityLabels: Record<string, string>;
        if (q.scope === 'service') {
          if (q.service === undefined || q.client !== undefined || q.server !== undefined) {
            throw new ApiError(400, 'bad_request', 'scope service needs service (and neither client nor server)');
          }
          if (service.catalog.service(q.service) === undefined) {
            const close = closeNames(
              q.service,
              [...service.catalog.services()].map((s) => s.service)
            );
            throw new ApiError(
              404,
              'not_found',
              `${JSON.stringify(q.service)} is not a known service${close.length > 0 ? `; did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?` : ''}`
            );
          }
          entityLabels = { service: q.service };
        } else {
          if (q.client === undefined || q.server === undefined || q.service !== undefined) {
            throw new ApiError(400, 'bad_request', 'scope edge needs client and server (and no service)');
          }
          if (service.catalog.edge(`${q.client}->${q.server}`) === undefined) {
            throw new ApiError(
              404,
              'not_found',
              `no known edge ${q.client}->${q.server}; GET /api/v1/edges lists them`
            );
          }
          entityLabels = { client: q.client, server: q.server };
        }
        const config = service.config();
        const range = resolveApiRange(q, config.api, ctx.now(), config.detection.stepSeconds);
        const prom = service.prometheus();
        const frames: DataFrame[] = [];
        const grid = stepGrid(range.start, range.end, range.step);
        for (const preset of service.presets()) {
          const signal = preset.signals.find((s) => s.scope === q.scope && s.name === q.signal && s.canonical);
          if (signal === undefined) {
            continue;
          }
          const promql = renderTemplate(signal, {
            windowSeconds: Math.max(config.detection.rateWindowSeconds, range.step),
          });
          const result = await ctx.gate.run(() =>
            prom.queryRange(promql, grid.start, grid.end, grid.step).catch((error: unknown) => {
              throw new ApiError(
                502,
                'bad_gateway',
                `Prometheus did not answer for ${preset.source}: ${(error as Error).message}`
              );
            })
          );
          const match = result.result.filter((s) =>
            q.scope === 'service'
              ? s.metric[signal.serviceLabel] === q.service
              : (s.metric[signal.clientLabel] ?? '') === q.client && (s.metric[signal.serverLabel] ?? '') === q.server
          );
          if (match.length !== 1) {
            continue;
          }
          const aligned = alignSeries((match[0] as (typeof match)[number]).points, grid, {
            name: `${preset.source}.${q.signal}`,
          });
          const labels = { scope: q.scope, signal: q.signal, source: preset.source, ...entityLabels };
          frames.push(
            dataFrame(`${preset.source} ${q.signal}`, [
              { name: 'Time', type: 'time', values: grid.timestamps.map((t) => Math.round(t * 1000)) },
              {
                name: 'value',
                type: 'number',
                values: aligned.values.map((v, i) => (aligned.missing[i] ? null : v)),
                labels,
                config: { unit: spec.grafanaUnit },
              },
            ])
          );
        }
        return { frames };
      }
    );
  };
}
