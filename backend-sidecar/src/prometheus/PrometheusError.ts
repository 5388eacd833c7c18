/**
 * Why a Prometheus call failed:
 * - query: Prometheus rejected the query (HTTP 400 bad_data, 422 execution); never retried
 * - auth: HTTP 401 / 403; never retried
 * - http: another HTTP failure without an API error body (404 from a wrong path prefix, a proxy's
 *   502 page); retried on 5xx
 * - server: Prometheus answered 5xx with an API error body (timeout, internal); retried
 * - rate_limited: HTTP 429; retried, honouring Retry-After
 * - network: connection refused or reset, DNS; retried
 * - tls: the server certificate was rejected (unknown CA, wrong name, expired); never retried,
 *   because the same certificate will be rejected again
 * - timeout: one request took longer than the request timeout; retried
 * - deadline: the call's overall deadline passed (retries included)
 * - budget: the result would exceed the series × points budget; never retried
 * - decode: a 2xx answer that is not a Prometheus API response
 * - aborted: the caller aborted
 */
export type PrometheusErrorKind =
  | 'query'
  | 'auth'
  | 'http'
  | 'server'
  | 'rate_limited'
  | 'network'
  | 'tls'
  | 'timeout'
  | 'deadline'
  | 'budget'
  | 'decode'
  | 'aborted';

export interface PrometheusErrorDetails {
  /** HTTP status, when there was an answer. */
  status?: number;
  /** Prometheus' errorType (bad_data, execution, timeout, canceled, internal, unavailable). */
  errorType?: string;
  /** Endpoint path, e.g. /api/v1/query_range. Never includes credentials. */
  path?: string;
  /** The PromQL, shortened. */
  query?: string;
  /** HTTP requests made for this call so far. */
  attempts?: number;
  /** Seconds the server asked to wait (Retry-After). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * The one error type of the client. Messages name the endpoint path and the query but never the
 * URL's user info, the auth header or custom headers, so they are safe to log.
 */
export class PrometheusError extends Error {
  readonly kind: PrometheusErrorKind;
  readonly status: number | undefined;
  readonly errorType: string | undefined;
  readonly path: string | undefined;
  readonly query: string | undefined;
  readonly attempts: number;
  readonly retryAfterSeconds: number | undefined;
  /** The message without the client's context (path, status, query). */
  readonly description: string;

  constructor(kind: PrometheusErrorKind, description: string, details: PrometheusErrorDetails = {}) {
    const context = [
      details.path,
      details.status !== undefined ? `HTTP ${details.status}` : undefined,
      details.errorType,
    ].filter((part) => part !== undefined && part !== '');
    const suffix = details.query !== undefined ? ` (query: ${details.query})` : '';
    super(`${context.length > 0 ? `${context.join(' ')}: ` : ''}${description}${suffix}`, { cause: details.cause });
    this.name = 'PrometheusError';
    this.kind = kind;
    this.description = description;
    this.status = details.status;
    this.errorType = details.errorType;
    this.path = details.path;
    this.query = details.query;
    this.attempts = details.attempts ?? 0;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** Whether trying the same request again may succeed. */
  get retryable(): boolean {
    switch (this.kind) {
      case 'network':
      case 'timeout':
      case 'server':
      case 'rate_limited':
        return true;
      case 'http':
        return this.status !== undefined && this.status >= 500;
      default:
        return false;
    }
  }

  /** A copy with more context (the call's attempt count, the query); same kind and cause. */
  withDetails(details: PrometheusErrorDetails): PrometheusError {
    return new PrometheusError(this.kind, this.description, {
      status: this.status,
      errorType: this.errorType,
      path: this.path,
      query: this.query,
      attempts: this.attempts,
      retryAfterSeconds: this.retryAfterSeconds,
      cause: this.cause,
      ...details,
    });
  }
}
