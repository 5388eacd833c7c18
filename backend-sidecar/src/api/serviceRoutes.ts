import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { chooseBaselines } from '../detectors/autoencoder/chooseBaselines.js';
import type { ServiceStatus } from '../detection/CycleResult.js';
import { ApiError } from '../http/ApiError.js';
import { CANONICAL_SIGNALS, type SignalSpec } from '../signals/index.js';
import type { ApiContext } from './ApiContext.js';
import { closeNames } from './closeNames.js';
import { buildSeriesFrames } from './frames/buildSeriesFrames.js';
import { presentServiceStatus } from './presentServiceStatus.js';
import { promqlString } from './promqlString.js';
import { resolveApiRange } from './resolveApiRange.js';
import { NAME, querystring, STEP, TIME } from './schemas.js';

const STATES = ['ok', 'warmup', 'stale', 'unknown', 'fallback'];

/** The service's detail: status, raw error, per-signal values against their baselines, neighbours, forecasts. */
function detail(ctx: ApiContext, s: ServiceStatus) {
  const { service } = ctx;
  const latest = service.latest();
  const model =
    s.modelId === null ? null : (service.models.models().find((m) => m.manifest.modelId === s.modelId) ?? null);
  const choice = model === null ? null : service.baselinesFor(s.service, model.manifest);
  const baselines =
    model === null || choice === null || choice.pending !== null
      ? null
      : chooseBaselines(model.manifest, s.service, choice.learned, choice.prefer).set;
  const judged = new Map(s.signals.map((j) => [j.signal, j]));
  const signals = s.readings.map((r) => {
    const spec = (CANONICAL_SIGNALS.service as Readonly<Record<string, SignalSpec>>)[r.signal];
    const b = baselines?.[s.service]?.[r.signal] ?? baselines?.default?.[r.signal] ?? null;
    const j = judged.get(r.signal);
    return {
      signal: r.signal,
      unit: spec?.unit ?? '',
      source: r.source,
      value: r.value,
      baseline: b === null ? null : { center: b.center, scale: b.scale },
      deviation: b === null || r.value === null ? null : (r.value - b.center) / b.scale,
      ...(j === undefined
        ? {}
        : {
            judgement: {
              state: j.state,
              score: j.score,
              anomalous: j.anomalous,
              expected: j.expected,
              lower: j.lower,
              upper: j.upper,
              kind: j.kind,
            },
          }),
    };
  });
  const edges = latest?.graph.edges ?? [];
  return {
    ...presentServiceStatus(s),
    error: s.error,
    contributions: s.contributions,
    signals,
    model:
      s.modelId === null ? null : { modelId: s.modelId, perEntity: s.perEntityModel, baselineSource: s.baselineSource },
    callers: edges.filter((e) => e.server === s.service).map((e) => e.client),
    callees: edges.filter((e) => e.client === s.service).map((e) => e.server),
    forecasts: (service.runtime()?.forecasts?.status() ?? []).filter(
      (f) => f.service === s.service || f.client === s.service || f.server === s.service
    ),
  };
}

function findService(ctx: ApiContext, name: string): ServiceStatus {
  const s = ctx.service.latest()?.services.get(name);
  if (s === undefined) {
    const known = [...(ctx.service.latest()?.services.keys() ?? [])];
    const close = closeNames(name, known);
    throw new ApiError(
      404,
      'not_found',
      `${JSON.stringify(name.slice(0, 256))} is not a monitored service` +
        (close.length > 0
          ? `; did you mean ${close.map((c) => JSON.stringify(c)).join(', ')}?`
          : '; GET /api/v1/services lists them')
    );
  }
  return s;
}

/** GET /services, /services/{service} and /services/{service}/scores. */
export function serviceRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: { state?: string; q?: string } }>(
      '/services',
      {
        schema: {
          querystring: querystring({ state: { type: 'string', enum: STATES }, q: { type: 'string', maxLength: 256 } }),
        },
      },
      async (request) => {
        const latest = ctx.service.latest();
        const { state, q } = request.query;
        const list = [...(latest?.services.values() ?? [])]
          .filter((s) => (state === undefined || s.state === state) && (q === undefined || s.service.includes(q)))
          .sort(
            (a, b) =>
              Number(b.verdict === 'anomalous') - Number(a.verdict === 'anomalous') ||
              (b.score ?? -1) - (a.score ?? -1) ||
              (a.service < b.service ? -1 : 1)
          );
        return { at: latest?.at ?? null, services: list.map(presentServiceStatus) };
      }
    );

    app.get<{ Params: { service: string } }>(
      '/services/:service',
      { schema: { params: { type: 'object', properties: { service: NAME }, required: ['service'] } } },
      async (request) => detail(ctx, findService(ctx, request.params.service))
    );

    app.get<{ Params: { service: string }; Querystring: { from?: string; to?: string; step?: string } }>(
      '/services/:service/scores',
      {
        schema: {
          params: { type: 'object', properties: { service: NAME }, required: ['service'] },
          querystring: querystring({ from: TIME, to: TIME, step: STEP }),
        },
      },
      async (request) => {
        const s = findService(ctx, request.params.service);
        const config = ctx.service.config();
        const range = resolveApiRange(request.query, config.api, ctx.now(), config.detection.stepSeconds);
        const selector = `{service=${promqlString(s.service)}}`;
        const prom = ctx.service.prometheus();
        const [scores, contributions] = await ctx.gate.run(() =>
          Promise.all([
            prom.queryRange(`seismo_service_anomaly_score${selector}`, range.start, range.end, range.step),
            prom.queryRange(`seismo_service_signal_contribution${selector}`, range.start, range.end, range.step),
          ]).catch((error: unknown) => {
            throw new ApiError(
              502,
              'bad_gateway',
              `Prometheus did not answer the score history: ${(error as Error).message}`
            );
          })
        );
        return {
          frames: [
            ...buildSeriesFrames(scores.result, 'score', { unit: 'percentunit', name: (l) => l.service ?? 'score' }),
            ...buildSeriesFrames(contributions.result, 'contribution', {
              unit: 'percentunit',
              name: (l) => `${l.service ?? ''} ${l.signal ?? ''}`.trim(),
            }),
          ],
          explanation: detail(ctx, s),
        };
      }
    );
  };
}
