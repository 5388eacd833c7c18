import { lastValueFrom } from 'rxjs';
import { type BackendSrv } from '@grafana/runtime';

export interface HealthResult {
  status: 'OK' | 'ERROR' | 'UNKNOWN';
  message: string;
}

/**
 * Asks Grafana to run the datasource's CheckHealth, the same call as its "Save & test" button.
 * Grafana answers 400 with the failing check's message, which is what the user needs to read.
 */
export async function checkDatasourceHealth(backendSrv: BackendSrv, uid: string): Promise<HealthResult> {
  try {
    const response = await lastValueFrom(
      backendSrv.fetch<{ status?: string; message?: string }>({
        url: `/api/datasources/uid/${encodeURIComponent(uid)}/health`,
        showErrorAlert: false,
      })
    );
    return { status: response.data.status === 'OK' ? 'OK' : 'ERROR', message: response.data.message ?? '' };
  } catch (error: unknown) {
    const data = (error as { data?: { message?: string; status?: string } }).data;
    if (data?.message) {
      return { status: 'ERROR', message: data.message };
    }
    return { status: 'UNKNOWN', message: error instanceof Error ? error.message : 'health check failed' };
  }
}
