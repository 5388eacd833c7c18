import { DASHBOARD_UIDS } from '../../types';

/** The provisioned service dashboard with its namespace and service variables set. */
export function serviceDashboardUrl(service: string, namespace?: string): string {
  const params = new URLSearchParams();
  if (namespace) {
    params.set('var-namespace', namespace);
  }
  params.set('var-service', service);
  return `/d/${DASHBOARD_UIDS.service}?${params.toString()}`;
}
