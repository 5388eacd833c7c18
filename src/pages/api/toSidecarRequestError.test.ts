import { SidecarRequestError } from './SidecarRequestError';
import { toSidecarRequestError } from './toSidecarRequestError';

describe('toSidecarRequestError', () => {
  it("reads the datasource's own error string", () => {
    const error = toSidecarRequestError({ status: 502, data: { error: 'sidecar unreachable' } }, 'x');
    expect(error).toEqual(expect.objectContaining({ status: 502, message: 'sidecar unreachable', path: 'x' }));
  });

  it("reads the sidecar's nested error passed through", () => {
    const error = toSidecarRequestError(
      { status: 404, data: { error: { status: 404, code: 'not_found', message: 'no incident inc-1' } } },
      'x'
    );
    expect(error.message).toBe('no incident inc-1');
  });

  it("reads Grafana's own message and falls back to the status text, then the status", () => {
    expect(toSidecarRequestError({ status: 404, data: { message: 'Data source not found' } }, 'x').message).toBe(
      'Data source not found'
    );
    expect(toSidecarRequestError({ status: 500, statusText: 'Internal Server Error' }, 'x').message).toBe(
      'Internal Server Error'
    );
    expect(toSidecarRequestError({ status: 500 }, 'x').message).toBe('request failed with HTTP 500');
  });

  it('has no status when nothing answered', () => {
    const error = toSidecarRequestError(new Error('Failed to fetch'), 'x');
    expect(error.status).toBeUndefined();
    expect(error.message).toBe('Failed to fetch');
  });

  it('passes an existing SidecarRequestError through unchanged', () => {
    const original = new SidecarRequestError('m', 502, 'p');
    expect(toSidecarRequestError(original, 'other')).toBe(original);
  });
});
