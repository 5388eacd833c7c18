import { of, throwError } from 'rxjs';
import { type BackendSrv, type FetchResponse } from '@grafana/runtime';

import { checkDatasourceHealth } from './checkDatasourceHealth';

function backendSrvAnswering(answer: () => ReturnType<BackendSrv['fetch']>): { srv: BackendSrv; urls: string[] } {
  const urls: string[] = [];
  const srv = {
    fetch: (options: { url: string }) => {
      urls.push(options.url);
      return answer();
    },
  } as unknown as BackendSrv;
  return { srv, urls };
}

describe('checkDatasourceHealth', () => {
  it('reports OK from the health endpoint of the given uid', async () => {
    const response = {
      data: { status: 'OK', message: 'Prometheus 2.42 and sidecar reachable' },
    } as FetchResponse<unknown>;
    const { srv, urls } = backendSrvAnswering(() => of(response));
    await expect(checkDatasourceHealth(srv, 'seismo/uid')).resolves.toEqual({
      status: 'OK',
      message: 'Prometheus 2.42 and sidecar reachable',
    });
    expect(urls).toEqual(['/api/datasources/uid/seismo%2Fuid/health']);
  });

  it('passes on the message of a failed check', async () => {
    const { srv } = backendSrvAnswering(() =>
      throwError(() => ({
        status: 400,
        data: { status: 'ERROR', message: 'sidecar: 401 Unauthorized, check the token' },
      }))
    );
    await expect(checkDatasourceHealth(srv, 'x')).resolves.toEqual({
      status: 'ERROR',
      message: 'sidecar: 401 Unauthorized, check the token',
    });
  });

  it('reports UNKNOWN when Grafana itself gave no answer', async () => {
    const { srv } = backendSrvAnswering(() => throwError(() => new Error('network down')));
    await expect(checkDatasourceHealth(srv, 'x')).resolves.toEqual({ status: 'UNKNOWN', message: 'network down' });
  });
});
