import type { FastifyPluginAsync } from 'fastify';

import type { ApiRouteOptions } from '../app.js';
import { ApiError } from '../http/ApiError.js';
import type { FeedbackInput } from '../storage/FeedbackStore.js';
import type { ApiContext } from './ApiContext.js';
import { parseTimeParam } from './parseTimeParam.js';
import { INCIDENT_ID, querystring, TIME } from './schemas.js';

/** Plausible unix seconds: after 2000, before 2200 (milliseconds are refused). */
const UNIX = { type: 'number', minimum: 946_684_800, maximum: 7_258_118_400 } as const;

const FEEDBACK_BODY = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'scope', 'entity', 'from', 'to'],
  properties: {
    kind: { type: 'string', enum: ['expected', 'false_positive'] },
    scope: { type: 'string', enum: ['service', 'edge'] },
    entity: { type: 'string', minLength: 1, maxLength: 512, pattern: '^[^\\u0000-\\u001f]+$' },
    from: UNIX,
    to: UNIX,
    incidentId: INCIDENT_ID,
    note: { type: 'string', maxLength: 2000 },
    author: { type: 'string', maxLength: 256 },
  },
} as const;

/** GET and POST /feedback. A posted window is on disk (fsync'd) before the answer. */
export function feedbackRoutes(ctx: ApiContext): FastifyPluginAsync<ApiRouteOptions> {
  return async (app) => {
    app.get<{ Querystring: { from?: string; to?: string } }>(
      '/feedback',
      { schema: { querystring: querystring({ from: TIME, to: TIME }) } },
      async (request) => {
        const now = ctx.now();
        const { from, to } = request.query;
        const range =
          from === undefined && to === undefined
            ? undefined
            : {
                from: from === undefined ? 0 : parseTimeParam('from', from, now),
                to: to === undefined ? now : parseTimeParam('to', to, now),
              };
        return { feedback: ctx.service.feedback.list(range) };
      }
    );

    app.post<{ Body: FeedbackInput }>('/feedback', { schema: { body: FEEDBACK_BODY } }, async (request, reply) => {
      const input = request.body;
      if (!(input.to > input.from)) {
        throw new ApiError(400, 'bad_request', `body.to (${input.to}) must be after body.from (${input.from})`);
      }
      const isEdge = input.entity.includes('->');
      if ((input.scope === 'edge') !== isEdge) {
        throw new ApiError(
          400,
          'bad_request',
          input.scope === 'edge'
            ? 'body.entity: an edge is written client->server'
            : 'body.entity: a service name cannot contain "->"; use scope edge for a call edge'
        );
      }
      const record = await ctx.service.feedback.add(input);
      ctx.service.recordFeedbackMetric(record.kind);
      void reply.code(201);
      return record;
    });
  };
}
