import { from, type Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

/** Where the preview answers the datasource's sidecar resource routes from. */
export type SidecarSource = { kind: 'fixtures'; set: string } | { kind: 'live' };

const RESOURCE = /^\/?api\/datasources\/uid\/[^/]+\/resources\/sidecar\/(.+)$/;
const MODEL_FILE = /^models\/([^/]+)\/(manifest|onnx)$/;

/**
 * Grafana's backend service as far as the panels use it: `fetch` of the Seismo datasource's
 * sidecar resource routes. Live, the preview server proxies them to the sidecar with its token
 * (as the datasource backend does); with recorded fixtures, they map to the set's `sidecar/`
 * folder, and models to the preview server's model directory.
 */
export function previewBackendSrv(source: SidecarSource): BackendSrv {
  const resolve = (url: string): string => {
    const match = RESOURCE.exec(url);
    if (!match || source.kind === 'live') {
      return url.startsWith('/') ? url : `/${url}`;
    }
    const path = match[1]!;
    const model = MODEL_FILE.exec(path);
    if (model) {
      return `/models/${model[1]}/${model[2]}`;
    }
    return `/fixtures/${source.set}/sidecar/${path}.json`;
  };
  const request = async <T>(options: BackendSrvRequest): Promise<FetchResponse<T>> => {
    const url = new URL(resolve(options.url), window.location.origin);
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(key, String(value));
      }
    }
    const response = await fetch(url, { method: options.method ?? 'GET', signal: options.abortSignal });
    const data =
      options.responseType === 'arraybuffer'
        ? await response.arrayBuffer()
        : options.responseType === 'text'
          ? await response.text()
          : await response.json().catch(() => null);
    const result: FetchResponse<T> = {
      data: data as T,
      status: response.status,
      statusText: response.statusText,
      ok: response.ok,
      headers: response.headers,
      redirected: response.redirected,
      type: response.type,
      url: response.url,
      config: options,
    };
    if (!response.ok) {
      throw { status: response.status, statusText: response.statusText, data, config: options };
    }
    return result;
  };
  const unsupported = (): never => {
    throw new Error('the preview host only supports fetch()');
  };
  return {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(request<T>(options)),
    datasourceRequest: request,
    get: async <T>(url: string, params?: Record<string, unknown>) => (await request<T>({ url, params })).data,
    request: async <T>(options: BackendSrvRequest) => (await request<T>(options)).data,
    delete: unsupported,
    post: unsupported,
    patch: unsupported,
    put: unsupported,
    chunked: unsupported,
  };
}
