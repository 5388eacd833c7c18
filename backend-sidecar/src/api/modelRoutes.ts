import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { describeMismatch } from '../detectors/autoencoder/describeMismatch.js';
import type { LoadedModel } from '../detectors/autoencoder/loadModel.js';
import { ApiError } from '../http/ApiError.js';
import type { ApiContext } from './ApiContext.js';

const MODEL_ID = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;

function find(ctx: ApiContext, modelId: string): LoadedModel {
  const model = ctx.service.models.models().find((m) => m.manifest.modelId === modelId);
  if (model === undefined) {
    const loaded = ctx.service.models.models().map((m) => m.manifest.modelId);
    throw new ApiError(
      404,
      'not_found',
      `no loaded model ${JSON.stringify(modelId)}; loaded: ${loaded.length === 0 ? 'none' : loaded.join(', ')}`
    );
  }
  return model;
}

/** GET /models, /models/{modelId}/manifest and /models/{modelId}/onnx. Only loaded models; no path is taken from the request. */
export function modelRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get('/models', { schema: { querystring: { type: 'object', additionalProperties: false } } }, async () => {
      const { service } = ctx;
      const config = service.config().detection;
      const latest = service.latest();
      return {
        models: service.models.models().map((m) => {
          const manifest = m.manifest;
          const training = manifest.raw.training as { created?: unknown } | undefined;
          const problems = describeMismatch(manifest, {
            windowLength: config.windowSteps,
            stepSeconds: config.stepSeconds,
          });
          return {
            modelId: manifest.modelId,
            kind: manifest.kind,
            entity: manifest.entity,
            signals: manifest.signals,
            windowLength: manifest.windowLength,
            stepSeconds: manifest.stepSeconds,
            threshold: manifest.calibration.threshold,
            thresholdScore: manifest.calibration.thresholdScore,
            dataSource: manifest.dataSource,
            trainedAt: typeof training?.created === 'string' ? training.created : null,
            onnxSha256: manifest.onnx.sha256,
            backend: m.backend,
            fitsConfig: problems.length === 0,
            problems,
            servicesScored: [...(latest?.services.values() ?? [])].filter((s) => s.modelId === manifest.modelId).length,
          };
        }),
        lastError: service.modelError(),
        perServiceModels: service.entityModels(),
        baselines: service.baselines.status(),
      };
    });

    app.get<{ Params: { modelId: string } }>(
      '/models/:modelId/manifest',
      { schema: { params: { type: 'object', properties: { modelId: MODEL_ID }, required: ['modelId'] } } },
      async (request) => find(ctx, request.params.modelId).manifest.raw
    );

    app.get<{ Params: { modelId: string } }>(
      '/models/:modelId/onnx',
      { schema: { params: { type: 'object', properties: { modelId: MODEL_ID }, required: ['modelId'] } } },
      async (request, reply) => {
        const model = find(ctx, request.params.modelId);
        const bytes = await readFile(join(model.directory, model.manifest.onnx.file));
        // The file may have been replaced since the model was loaded; the bytes must be the ones in service.
        const sha = createHash('sha256').update(bytes).digest('hex');
        if (sha !== model.manifest.onnx.sha256) {
          throw new ApiError(
            409,
            'conflict',
            `${model.manifest.onnx.file} changed on disk since model ${model.manifest.modelId} was loaded; retry after the next cycle reloads it`
          );
        }
        void reply.type('application/octet-stream');
        void reply.header('content-disposition', `attachment; filename="${model.manifest.modelId}.onnx"`);
        return bytes;
      }
    );
  };
}
