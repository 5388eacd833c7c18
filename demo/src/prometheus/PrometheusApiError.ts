/**
 * An error answered by the Prometheus HTTP API. errorType and message are taken from the
 * response body ('bad_data', 'execution', 'timeout', ...); when the body is not an API error
 * (e.g. 503 while the TSDB is still loading) errorType is 'http' and the message is the body.
 */
export class PrometheusApiError extends Error {
  override readonly name = 'PrometheusApiError';

  constructor(
    readonly errorType: string,
    message: string,
    /** HTTP status of the response. */
    readonly status: number,
    /** The API path that answered, e.g. '/api/v1/query'. */
    readonly endpoint: string
  ) {
    super(message);
  }
}
