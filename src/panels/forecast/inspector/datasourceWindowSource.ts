import { lastValueFrom } from 'rxjs';
import { type BackendSrv, type FetchError } from '@grafana/runtime';

import type { WindowSource } from './WindowSource';

function message(error: unknown, what: string): Error {
  const fetchError = error as Partial<FetchError<{ error?: string | { message?: string }; message?: string }>>;
  const body = fetchError.data;
  const detail =
    typeof body?.error === 'string'
      ? body.error
      : (body?.error?.message ?? body?.message ?? fetchError.statusText ?? String(error));
  const status = fetchError.status ? ` (HTTP ${fetchError.status})` : '';
  return new Error(`${what}${status}: ${detail}`);
}

/**
 * The sidecar routes behind the Seismo datasource's resource API
 * (`/api/datasources/uid/<uid>/resources/sidecar/...`): the datasource holds the sidecar's URL
 * and token, the browser never talks to the sidecar itself.
 */
export function datasourceWindowSource(backendSrv: BackendSrv, datasourceUid: string): WindowSource {
  const base = `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/sidecar`;
  const get = async <T>(
    path: string,
    what: string,
    options: { params?: Record<string, string>; binary?: boolean } = {}
  ) => {
    try {
      const response = await lastValueFrom(
        backendSrv.fetch<T>({
          url: `${base}/${path}`,
          params: options.params,
          responseType: options.binary ? 'arraybuffer' : 'json',
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (error) {
      throw message(error, what);
    }
  };
  return {
    window: (service, at) =>
      get('window', `the sidecar could not give the window of ${service}`, {
        params: { service, at: String(Math.round(at)) },
      }),
    manifest: (modelId) =>
      get(`models/${encodeURIComponent(modelId)}/manifest`, `the sidecar could not give the manifest of ${modelId}`),
    onnx: async (modelId) =>
      new Uint8Array(
        await get<ArrayBuffer>(
          `models/${encodeURIComponent(modelId)}/onnx`,
          `the sidecar could not give the model ${modelId}`,
          {
            binary: true,
          }
        )
      ),
  };
}
