import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

import { requestUpstream, UpstreamUnavailableError, type Upstream } from './requestUpstream.js';
import { sendJson } from './sendJson.js';

/**
 * Sends one request to an upstream and relays its answer as it is (status, content type, body);
 * when no answer comes, answers 502 or 504 with `{"error": message}` naming the upstream.
 */
export async function forwardToUpstream(
  response: ServerResponse,
  upstream: Upstream,
  path: string,
  init: RequestInit = {}
): Promise<void> {
  let answer: Response;
  try {
    answer = await requestUpstream(upstream, path, init);
  } catch (error) {
    if (!(error instanceof UpstreamUnavailableError)) {
      throw error;
    }
    sendJson(response, error.status, { error: error.message });
    return;
  }
  response.writeHead(answer.status, {
    'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
    'cache-control': 'no-store',
  });
  if (answer.body) {
    Readable.fromWeb(answer.body as never).pipe(response);
  } else {
    response.end();
  }
}
