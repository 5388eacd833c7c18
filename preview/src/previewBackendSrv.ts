import { from, type Observable } from 'rxjs';
import type { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';

import type { AppSettingsStore } from './appSettingsStore';

/** Where the preview answers the datasource's sidecar resource routes from. */
export type SidecarSource = { kind: 'fixtures'; set: string } | { kind: 'live' };

const RESOURCE = /^\/?api\/datasources\/uid\/[^/]+\/resources\/sidecar\/(.+)$/;
const MODEL_FILE = /^models\/([^/]+)\/(manifest|onnx)$/;
const PLUGIN_SETTINGS = /^\/?api\/plugins\/([^/]+)\/settings$/;

export interface PreviewBackendOptions {
  source: SidecarSource;
  /** Answers Grafana's plugin settings API for the app, when the app pages are shown. */
  appSettings?: { pluginId: string; store: AppSettingsStore };
}

/**
 * Grafana's backend service as far as the plugins use it. Requests go to the preview server,
 * which stands in for Grafana's API: the Seismo datasource's routes (`/api/datasources/uid/...`:
 * sidecar resources, feedback, selection, health) are answered there with the sidecar's data.
 * With recorded fixtures (the panel preview), the sidecar resource routes map to the set's
 * `sidecar/` folder, and models to the preview server's model directory. The app's own settings
 * (`/api/plugins/<id>/settings`) are kept in the browser session, as Grafana keeps them per org.
 */
export function previewBackendSrv({ source, appSettings }: PreviewBackendOptions): BackendSrv {
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

  const pluginSettings = <T>(options: BackendSrvRequest): FetchResponse<T> | undefined => {
    const match = PLUGIN_SETTINGS.exec(options.url);
    if (!appSettings || !match || match[1] !== appSettings.pluginId) {
      return undefined;
    }
    const method = (options.method ?? 'GET').toUpperCase();
    if (method === 'POST') {
      appSettings.store.save(options.data as Parameters<AppSettingsStore['save']>[0]);
    }
    const data = (method === 'POST' ? { message: 'Plugin settings updated' } : appSettings.store.load()) as T;
    return {
      data,
      status: 200,
      statusText: 'OK',
      ok: true,
      headers: new Headers(),
      redirected: false,
      type: 'basic',
      url: options.url,
      config: options,
    };
  };

  const request = async <T>(options: BackendSrvRequest): Promise<FetchResponse<T>> => {
    const settings = pluginSettings<T>(options);
    if (settings) {
      return settings;
    }
    const url = new URL(resolve(options.url), window.location.origin);
    for (const [key, value] of Object.entries(options.params ?? {})) {
      if (value !== undefined && value !== null) {
        url.searchParams.set(key, String(value));
      }
    }
    const hasBody = options.data !== undefined;
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      signal: options.abortSignal,
      ...(hasBody ? { body: JSON.stringify(options.data), headers: { 'content-type': 'application/json' } } : {}),
    });
    const data =
      options.responseType === 'arraybuffer'
        ? await response.arrayBuffer()
        : options.responseType === 'text'
          ? await response.text()
          : await response.json().catch(() => null);
    if (!response.ok) {
      // The shape Grafana's backend service rejects with.
      throw { status: response.status, statusText: response.statusText, data, config: options };
    }
    return {
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
  };
  const withMethod =
    (method: string) =>
    async <T>(url: string, data?: unknown): Promise<T> =>
      (await request<T>({ url, method, data })).data;
  return {
    fetch: <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => from(request<T>(options)),
    datasourceRequest: request,
    get: async <T>(url: string, params?: Record<string, unknown>) => (await request<T>({ url, params })).data,
    request: async <T>(options: BackendSrvRequest) => (await request<T>(options)).data,
    delete: withMethod('DELETE'),
    post: withMethod('POST'),
    patch: withMethod('PATCH'),
    put: withMethod('PUT'),
    chunked: () => {
      throw new Error('the preview host does not stream responses');
    },
  } as BackendSrv;
}
