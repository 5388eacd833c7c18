import { backendSrvTransport } from './backendSrvTransport';
import { SidecarClient } from './SidecarClient';
import { SidecarRequestError } from './SidecarRequestError';
import { fakeBackendSrv } from '../testing/fakeBackendSrv';

describe('SidecarClient', () => {
  it('reads the sidecar through the datasource resources of its uid', async () => {
    const fake = fakeBackendSrv({ 'GET sidecar/incidents': { body: { incidents: [] } } }, 'prod/seismo');
    const client = new SidecarClient(backendSrvTransport(fake.srv), 'prod/seismo');
    await expect(client.incidents({ state: 'open', from: 'now-24h' })).resolves.toEqual({ incidents: [] });
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'GET',
        url: '/api/datasources/uid/prod%2Fseismo/resources/sidecar/incidents',
        params: { state: 'open', from: 'now-24h' },
        showErrorAlert: false,
      }),
    ]);
  });

  it('escapes ids in paths, so an id cannot reach another route', async () => {
    const fake = fakeBackendSrv({});
    const client = new SidecarClient(backendSrvTransport(fake.srv), 'seismo');
    await expect(client.incident('../models')).rejects.toBeInstanceOf(SidecarRequestError);
    expect(fake.requests[0]!.url).toBe('/api/datasources/uid/seismo/resources/sidecar/incidents/..%2Fmodels');
  });

  it('writes the selection with PUT and feedback with POST on the datasource routes', async () => {
    const fake = fakeBackendSrv({
      'PUT selection': (request) => ({ body: { overrides: request.data, services: [] } }),
      'POST feedback': (request) => ({ body: { ...(request.data as object), id: 'fb-1' } }),
    });
    const client = new SidecarClient(backendSrvTransport(fake.srv), 'seismo');
    await client.saveSelection({ include: ['a'], exclude: [] });
    await client.sendFeedback({ kind: 'expected', scope: 'service', entity: 'a', from: 1, to: 2 });
    expect(fake.requests.map((r) => [r.method, r.url, r.data])).toEqual([
      ['PUT', '/api/datasources/uid/seismo/resources/selection', { include: ['a'], exclude: [] }],
      [
        'POST',
        '/api/datasources/uid/seismo/resources/feedback',
        { kind: 'expected', scope: 'service', entity: 'a', from: 1, to: 2 },
      ],
    ]);
  });

  it('rejects with the status and message of a failed answer', async () => {
    const fake = fakeBackendSrv({ 'GET sidecar/status': { status: 502, data: { error: 'sidecar unreachable' } } });
    const client = new SidecarClient(backendSrvTransport(fake.srv), 'seismo');
    await expect(client.status()).rejects.toEqual(
      expect.objectContaining({ status: 502, message: 'sidecar unreachable' })
    );
  });
});
