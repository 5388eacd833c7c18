import { PrometheusError, type PrometheusErrorKind } from './PrometheusError.js';

export interface ApiPayload {
  readonly data: unknown;
  readonly warnings: readonly string[];
}

interface RawBody {
  status?: unknown;
  data?: unknown;
  errorType?: unknown;
  error?: unknown;
  warnings?: unknown;
}

/** Longest part of a non-API body quoted in an error: enough to recognise a proxy page. */
const BODY_EXCERPT = 200;

/**
 * Turns one HTTP answer of the Prometheus API into its `data` and warnings, or a PrometheusError
 * whose kind tells the caller whether retrying can help. Prometheus' own error bodies
 * ({"status":"error","errorType":...,"error":...}) keep their errorType and message.
 */
export function decodeApiResponse(
  status: number,
  bodyText: string,
  path: string,
  retryAfterHeader?: string | string[]
): ApiPayload {
  let body: RawBody | undefined;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    body = parsed !== null && typeof parsed === 'object' ? (parsed as RawBody) : undefined;
  } catch {
    body = undefined;
  }
  const retryAfterSeconds = parseRetryAfter(retryAfterHeader);
  const ok = status >= 200 && status < 300;

  if (body !== undefined && body.status === 'success' && ok) {
    const warnings = Array.isArray(body.warnings)
      ? body.warnings.filter((w): w is string => typeof w === 'string')
      : [];
    return { data: body.data, warnings };
  }
  if (body !== undefined && body.status === 'error') {
    const errorType = typeof body.errorType === 'string' ? body.errorType : 'unknown';
    const message = typeof body.error === 'string' && body.error !== '' ? body.error : `HTTP ${status}`;
    return fail(kindOfStatus(status, true), message, { status, errorType, path, retryAfterSeconds });
  }
  if (ok) {
    throw new PrometheusError('decode', 'answer is not a Prometheus API response', { status, path });
  }
  const excerpt = bodyText.replace(/\s+/g, ' ').trim().slice(0, BODY_EXCERPT);
  return fail(kindOfStatus(status, false), excerpt === '' ? 'no response body' : excerpt, {
    status,
    path,
    retryAfterSeconds,
  });
}

function fail(
  kind: PrometheusErrorKind,
  message: string,
  details: { status: number; path: string; errorType?: string; retryAfterSeconds: number | undefined }
): never {
  throw new PrometheusError(kind, message, details);
}

function kindOfStatus(status: number, apiBody: boolean): PrometheusErrorKind {
  if (status === 429) {
    return 'rate_limited';
  }
  if (status === 401 || status === 403) {
    return 'auth';
  }
  if (status >= 500) {
    return apiBody ? 'server' : 'http';
  }
  // 400 bad_data and 422 execution errors are properties of the query: retrying cannot help.
  return apiBody && status >= 400 ? 'query' : 'http';
}

/** Retry-After in seconds (delta form only; an HTTP date from a proxy is ignored). */
function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(text)) {
    return undefined;
  }
  return Number(text);
}
