import { describeSidecarError } from './describeSidecarError';
import { SidecarRequestError } from './SidecarRequestError';

const failure = (status: number | undefined, message: string) =>
  new SidecarRequestError(message, status, 'sidecar/status');

describe('describeSidecarError', () => {
  it('says the sidecar is unreachable on 502 and points at the datasource settings', () => {
    const described = describeSidecarError(failure(502, 'sidecar: dial tcp 10.0.0.3:8080: connection refused'));
    expect(described.title).toBe('The Seismo sidecar is unreachable');
    expect(described.message).toContain('connection refused');
    expect(described.fix).toMatch(/sidecar URL/);
    expect(described.fixAt).toBe('datasource');
  });

  it('recognises a datasource without a sidecar URL whatever the status', () => {
    const described = describeSidecarError(
      failure(400, 'sidecar URL is not configured; set it in the datasource settings')
    );
    expect(described.title).toBe('The datasource has no sidecar URL');
    expect(described.fixAt).toBe('datasource');
  });

  it('tells a refused token from a missing Grafana permission', () => {
    expect(describeSidecarError(failure(401, 'sidecar answered 401: invalid bearer token')).title).toBe(
      'The sidecar refused the datasource token'
    );
    expect(describeSidecarError(failure(403, 'Access denied to data source')).title).toBe('Access denied');
  });

  it('sends a deleted datasource to the app configuration', () => {
    const described = describeSidecarError(failure(404, 'Data source not found'));
    expect(described.fixAt).toBe('app');
  });

  it('explains a route the datasource does not know as a version mismatch', () => {
    expect(describeSidecarError(failure(404, 'unknown resource "/sidecar/models"')).fix).toMatch(/update/i);
  });

  it('covers timeouts, readiness and answers that never arrived', () => {
    expect(describeSidecarError(failure(504, 'timeout')).title).toMatch(/in time/);
    expect(describeSidecarError(failure(503, 'not ready: no cycle yet')).title).toMatch(/not ready/);
    expect(describeSidecarError(failure(undefined, 'no answer from Grafana')).title).toBe('Grafana did not answer');
  });

  it('keeps the message of errors that are not request failures', () => {
    expect(describeSidecarError(new TypeError('x is undefined')).message).toBe('x is undefined');
  });
});
