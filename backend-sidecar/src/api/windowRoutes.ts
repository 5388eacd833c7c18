import type { FastifyPluginAsync } from 'fastify';

import { selectServiceSignals } from '../adapters/selectServiceSignals.js';
import { TelemetryReader } from '../adapters/TelemetryReader.js';
import type { ApiRouteOptions } from '../app.js';
import { explainWindow, WindowNotScorable } from '../detection/explainWindow.js';
import { measuredShares, serviceWindowSeries, structuralZeroNote } from '../detection/serviceWindowSeries.js';
import { ApiError } from '../http/ApiError.js';
import { buildWindow } from '../signals/index.js';
import type { ApiContext } from './ApiContext.js';
import { closeNames } from './closeNames.js';
import { parseTimeParam } from './parseTimeParam.js';
import { NAME, querystring, TIME } from './schemas.js';

/**
 * GET /window: the window the model scores for a service ending at a time, read from Prometheus
 * at the model's own step and length (one query per signal), with every step of the scoring.
 */
export function windowRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: { service: string; at?: string } }>(
      '/window',
      { schema: { querystring: querystring({ service: NAME, at: TIME }, ['service']) } },
      async (request) => {
        const { service: name, at } = request.query;
        const { service } = ctx;
        if (service.catalog.service(name) === undefined) {
          const close = closeNames(
            name,
            [...service.catalog.services()].map((s) => s.service)
          );
          throw new ApiError(
            404,
            'not_found',
            `${JSON.stringify(name)} is not a known service${close.length > 0 ? `; did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?` : ''}`
          );
        }
        const lease = service.models.lease(name);
        if (lease === null) {
          throw new ApiError(
            503,
            'unavailable',
            `no model in service${service.modelError() === null ? '' : `: ${service.modelError()}`}`
          );
        }
        try {
          const { manifest } = lease.lease.model;
          const config = service.config();
          const step = manifest.stepSeconds;
          const end = Math.floor(parseTimeParam('at', at ?? 'now', ctx.now()) / step) * step;
          const start = end - (manifest.windowLength - 1) * step;
          const reader = new TelemetryReader({
            client: service.prometheus(),
            presets: service.presets(),
            windowSeconds: Math.max(config.detection.rateWindowSeconds, step),
            concurrency: config.detection.maxConcurrentQueries,
          });
          const reading = await ctx.gate.run(() => reader.read({ start, end, step }));
          const failed = reading.sources.flatMap((s) => s.coverage.signals).filter((c) => c.status === 'failed');
          if (failed.length > 0 && reading.sources.every((s) => s.coverage.signalsWithData === 0)) {
            throw new ApiError(
              502,
              'bad_gateway',
              `Prometheus did not answer: ${failed[0]?.error?.message ?? 'unknown error'}`
            );
          }
          const choices = selectServiceSignals(reading).get(name);
          // The same window the loop builds: structural zeros for a service that calls nothing.
          const { series, structuralZeros } = serviceWindowSeries(
            name,
            choices,
            manifest.signals,
            service.outboundCallers()
          );
          const window = buildWindow(name, series, reading.grid, {
            scope: 'service',
            signals: manifest.signals,
            maxGapSteps: manifest.maxGapSteps,
            maxInterpolationSteps: manifest.maxGapSteps,
          });
          try {
            const explained = await explainWindow(
              lease.lease.model,
              name,
              window,
              service.baselinesFor(name, manifest)
            );
            return {
              ...explained,
              contributions: measuredShares(explained.contributions, structuralZeros),
              sources: Object.fromEntries([...(choices ?? [])].map(([k, v]) => [k, v.source])),
              structuralZeros,
              notes: structuralZeros.length === 0 ? [] : [structuralZeroNote(structuralZeros)],
            };
          } catch (error) {
            if (error instanceof WindowNotScorable) {
              throw new ApiError(422, 'unprocessable', error.message);
            }
            throw error;
          }
        } finally {
          lease.lease.release();
        }
      }
    );
  };
}
