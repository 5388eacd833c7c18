import { lastValueFrom } from 'rxjs';
import { type BackendSrv } from '@grafana/runtime';

import { toSidecarRequestError } from './toSidecarRequestError';
import type { Transport } from './Transport';

/**
 * A Transport over Grafana's backend service. Grafana's own error toasts stay off: the pages
 * show each failure where it happened, with what to do about it.
 */
export function backendSrvTransport(backendSrv: BackendSrv): Transport {
  return async <T>(request: Parameters<Transport>[0]): Promise<T> => {
    try {
      const response = await lastValueFrom(
        backendSrv.fetch<T>({ ...request, showErrorAlert: false, showSuccessAlert: false })
      );
      return response.data;
    } catch (error: unknown) {
      throw toSidecarRequestError(error, request.url);
    }
  };
}
