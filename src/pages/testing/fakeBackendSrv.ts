import { of, throwError } from 'rxjs';
import { type BackendSrv, type BackendSrvRequest, type FetchResponse } from '@grafana/runtime';

/** An answer of the fake: a body (status 200) or a failure shaped as Grafana rejects. */
export type FakeAnswer = { body: unknown } | { status: number; data?: unknown };

export interface FakeBackendSrv {
  srv: BackendSrv;
  /** Every request made, in order. */
  requests: BackendSrvRequest[];
}

/**
 * A BackendSrv whose `fetch` answers from a table keyed by `METHOD path` (path relative to the
 * datasource's resources, e.g. `GET sidecar/status`); unknown requests fail with 404 as the
 * datasource does. Tests read `requests` to check what the page sent.
 */
export function fakeBackendSrv(
  answers: Record<string, FakeAnswer | ((request: BackendSrvRequest) => FakeAnswer)>,
  datasourceUid = 'seismo'
): FakeBackendSrv {
  const requests: BackendSrvRequest[] = [];
  const prefix = `/api/datasources/uid/${encodeURIComponent(datasourceUid)}/resources/`;
  const srv = {
    fetch: (request: BackendSrvRequest) => {
      requests.push(request);
      const path = request.url.startsWith(prefix) ? request.url.slice(prefix.length) : request.url;
      const key = `${request.method ?? 'GET'} ${path}`;
      const entry = answers[key];
      const answer: FakeAnswer =
        typeof entry === 'function'
          ? entry(request)
          : (entry ?? { status: 404, data: { error: `unknown resource "${path}"` } });
      if ('body' in answer) {
        return of({ data: answer.body, status: 200, ok: true } as FetchResponse<unknown>);
      }
      return throwError(() => ({ status: answer.status, data: answer.data }));
    },
  } as unknown as BackendSrv;
  return { srv, requests };
}
