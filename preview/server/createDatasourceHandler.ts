import type { IncomingMessage, ServerResponse } from 'node:http';

import { checkDatasourceHealth } from './checkDatasourceHealth.js';
import { forwardToUpstream } from './forwardToUpstream.js';
import { PREVIEW_DATASOURCE } from './previewDatasource.js';
import { readJsonObject, RequestBodyError } from './readJsonObject.js';
import type { Upstream } from './requestUpstream.js';
import { sendJson } from './sendJson.js';
import { sidecarRoute } from './sidecarRoute.js';

/** Bodies of the two writes stay small; the sidecar's own limits fit well inside. */
const MAX_WRITE_BODY_BYTES = 256 * 1024;

/** The datasource's write routes and the sidecar API path each one forwards to. */
const WRITES: Readonly<Record<string, { method: 'POST' | 'PUT'; path: string }>> = {
  'resources/feedback': { method: 'POST', path: 'feedback' },
  'resources/selection': { method: 'PUT', path: 'selection' },
};

export interface DatasourceUpstreams {
  sidecar?: Upstream & { token?: string };
  prometheus?: Upstream;
  /** Unix milliseconds. */
  now: () => number;
}

/** Handles `/api/datasources/uid/<uid>/<rest>` for one request. */
export type DatasourceHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  uid: string,
  rest: string
) => Promise<void>;

/**
 * The Seismo datasource's routes as its Go backend answers them in Grafana, for the one datasource
 * the preview has: the sidecar read routes through the backend's allow-list, the feedback and
 * selection writes, and the health check. Sidecar answers pass through unchanged (the app pages
 * read the sidecar's error shape as well as the backend's); the token is added here and never
 * reaches the browser. The backend also requires the Editor role for writes and records the
 * Grafana user as feedback author; the preview has no users, so it forwards bodies as sent.
 */
export function createDatasourceHandler({ sidecar, prometheus, now }: DatasourceUpstreams): DatasourceHandler {
  const sidecarHeaders = (): Record<string, string> =>
    sidecar?.token ? { authorization: `Bearer ${sidecar.token}` } : {};

  const requireSidecar = (response: ServerResponse): typeof sidecar => {
    if (!sidecar) {
      sendJson(response, 502, {
        error: 'the preview was started without a sidecar URL: start it with --sidecar <url> to use live data',
      });
    }
    return sidecar;
  };

  const health = async (response: ServerResponse) => {
    const answer = await checkDatasourceHealth({
      ...(sidecar ? { sidecar } : {}),
      ...(prometheus ? { prometheus } : {}),
      now,
    });
    // Grafana answers a failed check with 400 and the check's result.
    sendJson(response, answer.status === 'OK' ? 200 : 400, answer);
  };

  const write = async (
    request: IncomingMessage,
    response: ServerResponse,
    route: string,
    target: (typeof WRITES)[string]
  ) => {
    if (request.method !== target.method) {
      sendJson(response, 405, { error: `method ${request.method} is not allowed on ${route}; use ${target.method}` });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = await readJsonObject(request, MAX_WRITE_BODY_BYTES);
    } catch (error) {
      if (!(error instanceof RequestBodyError)) {
        throw error;
      }
      sendJson(response, error.status, { error: error.message });
      return;
    }
    const upstream = requireSidecar(response);
    if (upstream) {
      await forwardToUpstream(response, upstream, `/api/v1/${target.path}`, {
        method: target.method,
        headers: { ...sidecarHeaders(), 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
    }
  };

  const read = async (request: IncomingMessage, response: ServerResponse, uid: string, rest: string) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendJson(response, 405, { error: `method ${request.method} is not allowed on ${rest}; use GET` });
      return;
    }
    let path: string | undefined;
    try {
      path = sidecarRoute(`/api/datasources/uid/${uid}/${rest}`);
    } catch (error) {
      sendJson(response, 403, { error: (error as Error).message });
      return;
    }
    if (path === undefined) {
      sendJson(response, 404, { error: 'name a sidecar path after resources/sidecar/' });
      return;
    }
    const upstream = requireSidecar(response);
    if (upstream) {
      const search = new URL(request.url ?? '/', 'http://localhost').search;
      await forwardToUpstream(response, upstream, `/api/v1/${path}${search}`, { headers: sidecarHeaders() });
    }
  };

  return async (request, response, uid, rest) => {
    if (uid !== PREVIEW_DATASOURCE.uid) {
      // Grafana's own answer for a uid it does not know.
      sendJson(response, 404, { message: 'Data source not found' });
      return;
    }
    if (rest === 'health') {
      if (request.method !== 'GET') {
        sendJson(response, 405, { message: `method ${request.method} is not allowed on the health check; use GET` });
        return;
      }
      await health(response);
      return;
    }
    const target = WRITES[rest];
    if (target) {
      await write(request, response, rest, target);
      return;
    }
    if (!rest.startsWith('resources/sidecar/')) {
      sendJson(response, 404, {
        error: `unknown resource "${rest}"; the preview serves resources/sidecar/<path>, resources/feedback, resources/selection and health`,
      });
      return;
    }
    await read(request, response, uid, rest);
  };
}
