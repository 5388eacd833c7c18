import { SidecarRequestError } from './SidecarRequestError';

/**
 * Turns what Grafana's backend service rejects with into a SidecarRequestError carrying the most
 * specific message available. Bodies come in three shapes: the datasource's own
 * `{"error": "..."}`, the sidecar's `{"error": {"message": "..."}}` passed through, and Grafana's
 * `{"message": "..."}` when the request never reached the plugin.
 */
export function toSidecarRequestError(error: unknown, path: string): SidecarRequestError {
  if (error instanceof SidecarRequestError) {
    return error;
  }
  const failure = (error ?? {}) as { status?: unknown; statusText?: unknown; data?: unknown; message?: unknown };
  const status = typeof failure.status === 'number' && failure.status > 0 ? failure.status : undefined;
  const message =
    messageFromBody(failure.data) ??
    (typeof failure.statusText === 'string' && failure.statusText !== '' ? failure.statusText : undefined) ??
    (typeof failure.message === 'string' && failure.message !== '' ? failure.message : undefined) ??
    (status ? `request failed with HTTP ${status}` : 'no answer from Grafana');
  return new SidecarRequestError(message, status, path);
}

function messageFromBody(body: unknown): string | undefined {
  if (typeof body === 'string') {
    return body.trim() || undefined;
  }
  if (!body || typeof body !== 'object') {
    return undefined;
  }
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error === 'string' && error !== '') {
    return error;
  }
  if (error && typeof error === 'object') {
    const nested = (error as { message?: unknown }).message;
    if (typeof nested === 'string' && nested !== '') {
      return nested;
    }
  }
  return typeof message === 'string' && message !== '' ? message : undefined;
}
