import type { FastifyReply, FastifyRequest } from 'fastify';

import type { ErrorBody } from './ErrorBody.js';

const MAX_PATH = 200;

/** 404 in the common error shape; only the path is echoed (no query string). */
export function handleNotFound(request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const path = request.url.split('?')[0] ?? '';
  const shown = path.length > MAX_PATH ? `${path.slice(0, MAX_PATH)}…` : path;
  void reply.code(404);
  return { error: { code: 'not_found', message: `no route for ${request.method} ${shown}` } };
}
