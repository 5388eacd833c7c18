import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import { ApiError } from './ApiError.js';
import { describeValidationError } from './describeValidationError.js';
import type { ErrorBody } from './ErrorBody.js';

const CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  429: 'too_many_requests',
  503: 'unavailable',
};

function body(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}

/** Maps any error to its status and body; also says whether it is the server's fault. */
function classify(
  error: FastifyError,
  request: FastifyRequest,
  bodyLimit: number
): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) {
    return { status: error.statusCode, body: body(error.code, error.message) };
  }
  if (error.validation !== undefined) {
    return {
      status: 400,
      body: body('bad_request', describeValidationError(error.validationContext, error.validation)),
    };
  }
  const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: body(
          'payload_too_large',
          `the request body is larger than the limit of ${bodyLimit} bytes (api.bodyLimitBytes)`
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: body(
          'unsupported_media_type',
          `unsupported content type ${JSON.stringify(request.headers['content-type'] ?? '')}; send application/json`
        ),
      };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return { status: 400, body: body('bad_request', 'the request body is not valid JSON') };
    default:
      break;
  }
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx messages describe the request, not the server, so they are safe to pass on.
    return { status, body: body(CODES[status] ?? 'bad_request', error.message) };
  }
  return {
    status: 500,
    body: body('internal', `internal error; the sidecar log has the details under request id ${String(request.id)}`),
  };
}

/**
 * The one error handler: every failure becomes { error: { code, message } } with the right
 * status. Server errors are logged with their stack and answered with a generic message (a
 * stack or an upstream's message may carry internals); client errors are logged briefly.
 */
export function createErrorHandler(bodyLimit: number) {
  return function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): ErrorBody {
    const { status, body: payload } = classify(error, request, bodyLimit);
    if (status >= 500 && !(error instanceof ApiError)) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ status, code: payload.error.code }, payload.error.message);
    }
    void reply.code(status);
    return payload;
  };
}
