import type { FastifyReply, FastifyRequest } from 'fastify';

import type { Secret } from '../config/Secret.js';
import { ApiError } from './ApiError.js';
import { tokensEqual } from './tokensEqual.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

function isPublic(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { public?: unknown } | undefined)?.public === true;
}

/**
 * onRequest hook: every route not marked public (see PUBLIC_ROUTE) requires
 * "Authorization: Bearer <token>". The token is looked up per request so a reloaded token
 * applies at once. With no token configured the API is open; config validation allows that
 * only on loopback or when explicitly accepted.
 */
export function createBearerAuthHook(currentToken: () => Secret | null) {
  return async function bearerAuth(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (isPublic(request)) {
      return;
    }
    const expected = currentToken();
    if (expected === null) {
      return;
    }
    // RFC 6750: a 401 tells the client which scheme to use.
    reply.header('www-authenticate', 'Bearer realm="seismo"');
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      throw new ApiError(
        401,
        'unauthorized',
        'missing bearer token: send "Authorization: Bearer <token>" with the token configured on the sidecar (api.tokenFile or SEISMO_API_TOKEN)'
      );
    }
    const match = BEARER.exec(header);
    if (match === null) {
      throw new ApiError(
        401,
        'unauthorized',
        'the Authorization header must use the Bearer scheme: "Authorization: Bearer <token>"'
      );
    }
    if (!tokensEqual(match[1] ?? '', expected.reveal())) {
      throw new ApiError(
        401,
        'unauthorized',
        'invalid bearer token: it does not match the token configured on the sidecar'
      );
    }
  };
}
