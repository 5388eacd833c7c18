import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import type { ForecastStatus } from '../detection/ForecastBank.js';
import { ApiError } from '../http/ApiError.js';
import { CANONICAL_SIGNALS, type SignalSpec } from '../signals/index.js';
import type { ApiContext } from './ApiContext.js';
import { buildForecastFrames } from './frames/buildForecastFrames.js';
import { resolveApiRange } from './resolveApiRange.js';
import { NAME, querystring, SCOPE, SIGNAL, TIME } from './schemas.js';

function present(f: ForecastStatus) {
  const spec = (CANONICAL_SIGNALS[f.scope] as Readonly<Record<string, SignalSpec>>)[f.signal];
  return {
    scope: f.scope,
    ...(f.scope === 'service' ? { service: f.service } : { client: f.client, server: f.server }),
    signal: f.signal,
    unit: spec?.unit ?? '',
    state: f.state,
    reason: f.reason,
    model: f.model,
    decidedBy: f.decidedBy,
    at: f.at,
    actual: f.actual,
    yhat: f.yhat,
    lower: f.lower,
    upper: f.upper,
    anomalous: f.anomalous,
    anomalies: f.anomalies,
    mae: f.mae,
    mape: f.mape,
    mase: f.mase,
    coverage: f.coverage,
    trust: f.trust,
    lastFit: f.lastFit,
    lastError: f.lastError,
    traffic: f.traffic,
  };
}

interface TargetQuery {
  scope: 'service' | 'edge';
  service?: string;
  client?: string;
  server?: string;
  signal: string;
  from?: string;
  to?: string;
}

/** GET /forecasts and /forecasts/target. */
export function forecastRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get('/forecasts', { schema: { querystring: { type: 'object', additionalProperties: false } } }, async () => {
      const bank = ctx.service.runtime()?.forecasts ?? null;
      const config = ctx.service.config().forecast;
      return {
        enabled: bank !== null,
        maxTargets: config.maxTargets,
        targets: (bank?.status() ?? []).sort((a, b) => b.traffic - a.traffic).map(present),
      };
    });

    app.get<{ Querystring: TargetQuery }>(
      '/forecasts/target',
      {
        schema: {
          querystring: querystring(
            { scope: SCOPE, service: NAME, client: NAME, server: NAME, signal: SIGNAL, from: TIME, to: TIME },
            ['scope', 'signal']
          ),
        },
      },
      async (request) => {
        const q = request.query;
        let entity: string;
        if (q.scope === 'service') {
          if (q.service === undefined || q.client !== undefined || q.server !== undefined) {
            throw new ApiError(400, 'bad_request', 'a service target needs service (and neither client nor server)');
          }
          entity = q.service;
        } else {
          if (q.client === undefined || q.server === undefined || q.service !== undefined) {
            throw new ApiError(400, 'bad_request', 'an edge target needs client and server (and no service)');
          }
          entity = `${q.client}->${q.server}`;
        }
        const bank = ctx.service.runtime()?.forecasts ?? null;
        const found = bank?.get(`${entity}:${q.signal}`) ?? null;
        if (found === null) {
          throw new ApiError(
            404,
            'not_found',
            `no forecast for ${q.signal} of ${entity}; GET /api/v1/forecasts lists the targets (at most forecast.maxTargets, busiest first)`
          );
        }
        const config = ctx.service.config();
        const now = ctx.now();
        const range = resolveApiRange(
          { from: q.from ?? 'now-1h', to: q.to ?? `now+${Math.min(config.forecast.forecaster.horizonSeconds, 3600)}s` },
          config.api,
          now,
          config.detection.stepSeconds
        );
        return {
          target: present(found.status),
          frames: buildForecastFrames(found.status, [...found.recent, ...found.ahead], {
            from: range.start,
            to: range.end,
          }),
        };
      }
    );
  };
}
