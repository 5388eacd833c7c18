/** An upstream that did not answer: 502 when it could not be reached, 504 when it was too slow. */
export class UpstreamUnavailableError extends Error {
  constructor(
    message: string,
    readonly status: 502 | 504
  ) {
    super(message);
    this.name = 'UpstreamUnavailableError';
  }
}

export interface Upstream {
  /** How messages name it: `the sidecar`, `Prometheus`. */
  name: string;
  /** Base URL without a trailing slash. */
  url: string;
  timeoutMs: number;
}

/** The reason a fetch failed, without the request URL (the message names the base URL once). */
function transportDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.message || cause?.code || (error instanceof Error ? error.message : String(error));
}

/**
 * One request to an upstream below its base URL. Answers of any status are returned; only a
 * missing answer throws, with a message that says which upstream, where, and what to check, as
 * the Seismo datasource backend words it.
 */
export async function requestUpstream(upstream: Upstream, path: string, init: RequestInit = {}): Promise<Response> {
  try {
    return await fetch(`${upstream.url}${path}`, { ...init, signal: AbortSignal.timeout(upstream.timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') {
      throw new UpstreamUnavailableError(
        `${upstream.name} at ${upstream.url} did not answer within ${upstream.timeoutMs / 1000} s`,
        504
      );
    }
    throw new UpstreamUnavailableError(
      `${upstream.name} is unreachable at ${upstream.url} (${transportDetail(error)}); check the URL and that it is running`,
      502
    );
  }
}
